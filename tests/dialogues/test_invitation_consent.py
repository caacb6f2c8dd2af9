from datetime import timedelta

import pytest
from django.core import mail, signing
from django.urls import reverse

from dialogues import selectors
from dialogues.models import InvitationSend
from dialogues.tokens import SALT, make_token
from research.models import Consent

from .factories import DialogueSessionFactory, InviteeFactory


@pytest.fixture
def session(world):
    return DialogueSessionFactory(
        trajectory=world.trajectory,
        facilitator=world.coach,
        researcher=world.researcher,
        lob_term="SLB",
        theme="Ik en studieloopbaanbegeleiding",
        place="Lokaal 2.14",
    )


def test_invitation_is_rendered_with_term_theme_and_details(world, session):
    invitee = InviteeFactory(session=session, name="Piet Kok")
    subject, body = selectors.invitation_render(session, invitee)
    assert "Ik en studieloopbaanbegeleiding" in subject
    assert "Beste Piet Kok" in body
    assert "SLB" in body
    assert "Lokaal 2.14" in body
    assert "120 minuten" in body
    assert "voorwerp" in body
    assert "Marieke van der Linden" in body
    assert "toestemming" in body
    assert "/dialogen/p/" in body


def test_preview_and_send_records_each_mail_and_resend_to_one(
    world, session, client_for, django_capture_on_commit_callbacks
):
    first = InviteeFactory(session=session, email="a@school.test")
    InviteeFactory(session=session, email="b@school.test")
    client = client_for(world.champion)
    preview = client.get(reverse("dialogues:invitation_preview", args=[session.pk]))
    assert "SLB" in preview.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dialogues:invitation_send", args=[session.pk]))
    assert sorted(m.to[0] for m in mail.outbox) == ["a@school.test", "b@school.test"]
    assert InvitationSend.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dialogues:invitation_send", args=[session.pk]))
    assert len(mail.outbox) == 2  # nobody invited twice by "send to everyone"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dialogues:invitation_resend", args=[session.pk, first.pk]))
    assert len(mail.outbox) == 3
    assert mail.outbox[-1].to == ["a@school.test"]
    assert first.sends.count() == 2


def test_bad_invitee_is_refused_in_dutch(world, session, client_for):
    client = client_for(world.champion)
    response = client.post(
        reverse("dialogues:invitee_add", args=[session.pk]),
        {"name": "X", "email": "geen-adres"},
        follow=True,
    )
    assert "geldig e-mailadres" in response.content.decode()
    assert session.invitees.count() == 0


def test_consent_via_valid_personal_link(world, session, client):
    invitee = InviteeFactory(session=session)
    url = reverse("dialogues:personal_consent", args=[make_token(invitee)])
    client.post(url, {"agreed": "yes"})
    consent = Consent.objects.get(email=invitee.email)
    assert consent.agreed is True
    assert consent.kind == "dialogue"
    assert consent.text.version == 2
    assert consent.via == "link"
    assert consent.trajectory == world.trajectory
    client.post(url, {"agreed": "no"})
    assert selectors.has_consented(invitee) is False


def test_tampered_token_is_refused(world, session, client):
    invitee = InviteeFactory(session=session)
    token = make_token(invitee)
    bad = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for url in (reverse("dialogues:personal", args=[bad]),):
        response = client.get(url)
        assert response.status_code == 403
        assert "niet geldig" in response.content.decode()
    response = client.post(reverse("dialogues:personal_consent", args=[bad]), {"agreed": "yes"})
    assert response.status_code == 403
    assert not Consent.objects.filter(kind="dialogue").exists()


def test_token_for_a_forged_invitee_is_refused(world, session, client):
    invitee = InviteeFactory(session=session)
    forged = signing.dumps({"i": invitee.pk, "s": invitee.session_id + 999}, salt=SALT)
    response = client.get(reverse("dialogues:personal", args=[forged]))
    assert response.status_code == 403


def test_expired_token_is_refused(world, session, client, monkeypatch):
    import time

    invitee = InviteeFactory(session=session)
    token = make_token(invitee)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + timedelta(days=200).total_seconds())
    response = client.post(reverse("dialogues:personal_consent", args=[token]), {"agreed": "yes"})
    assert response.status_code == 403
    assert "verlopen" in response.content.decode()
    assert not Consent.objects.filter(kind="dialogue").exists()


def test_facilitator_sees_who_consented(world, dialogue, client_for):
    body = client_for(world.coach).get(reverse("dialogues:detail", args=[dialogue.session.pk]))
    text = body.content.decode()
    assert "Piet Kok" in text and "akkoord" in text and "nog geen antwoord" in text


def test_session_create_by_champion(world, client_for):
    client = client_for(world.champion)
    response = client.post(
        reverse("dialogues:create", args=[world.trajectory.pk]),
        {
            "kind": "start",
            "theme": "Ik en LOB",
            "lob_term": "LOB",
            "starts_at": "2026-12-01T13:30",
            "duration_minutes": 120,
            "place": "Aula",
            "agenda": "30 minuten welkom",
            "facilitator": world.coach.pk,
            "researcher": world.researcher.pk,
        },
    )
    assert response.status_code == 302
    session = world.trajectory.dialogue_sessions.get()
    assert session.facilitator == world.coach and len(session.code) == 6


def test_invitee_with_an_account_is_linked_to_it(world, session, client_for):
    client_for(world.champion).post(
        reverse("dialogues:invitee_add", args=[session.pk]),
        {"name": "Noor Jansen", "email": world.participant.email.upper()},
    )
    invitee = session.invitees.get()
    assert invitee.user == world.participant
    response = client_for(world.participant).get(reverse("dialogues:index"))
    assert f"/dialogen/{session.pk}/" in response.content.decode()


def test_the_same_address_twice_is_refused_in_dutch(world, session, client_for):
    client = client_for(world.champion)
    url = reverse("dialogues:invitee_add", args=[session.pk])
    client.post(url, {"name": "Piet", "email": "piet@school.test"})
    response = client.post(url, {"name": "Piet", "email": "piet@school.test"}, follow=True)
    assert "al uitgenodigd" in response.content.decode()
    assert session.invitees.count() == 1
