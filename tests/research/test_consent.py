"""Consent that governs the data: per person, trajectory and kind; given and withdrawn by
the person; checked by every intake service; erased inside the window, frozen after it."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from django.utils import timezone

from coding.models import Fragment
from coding.services import fragments_sync
from dialogues import services as dialogue_services
from dialogues.models import (
    DialogueSession,
    HarvestItem,
    HarvestReport,
    ReportStatus,
    ReportVersion,
)
from dialogues.tokens import make_token
from logbooks import services as logbook_services
from logbooks.models import EmailDataPoint, Entry
from research.consent import ConsentRequired, has_current_consent
from research.models import AuditAction, AuditEvent, Consent, ConsentKind, Withdrawal
from research.selectors import person_for, windows_by_kind, withdrawal_window
from research.services import consent_give, consent_withdraw, participation_reopen
from tests.dialogues.factories import DialogueSessionFactory, InviteeFactory
from tests.factories import MembershipFactory, UserFactory, give_consent
from tests.logbooks.audio_samples import wav_bytes
from trajectories.models import ClosingInterview, Role
from trajectories.services import closing as closing_services


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):
    """A media folder of this test alone, so the scan sees only what it made."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Files are deleted after the withdrawal commits: run those callbacks."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def aware(*args):
    return timezone.make_aware(datetime(*args))


def _withhold(user, kind):
    """The person has not (yet) given consent of this kind."""
    Consent.objects.filter(user=user, kind=kind).delete()


def _eml(sender: str, subject: str, body: str) -> SimpleUploadedFile:
    raw = (
        f"From: {sender}\r\nTo: team@baken.test\r\nSubject: {subject}\r\n"
        f"Date: Mon, 30 Nov 2026 10:00:00 +0100\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"\r\n{body}\r\n"
    ).encode()
    return SimpleUploadedFile("bericht.eml", raw, content_type="message/rfc822")


def _interview(world, interviewee, planned_at=None):
    return closing_services.closing_interview_plan(
        trajectory=world.trajectory,
        interviewee=interviewee,
        interviewer=world.independent,
        planned_at=planned_at or timezone.now() - timedelta(hours=2),
        is_online=True,
    )


def _rows_naming(needles) -> list[tuple[str, str, object]]:
    """Every text field of every table that still holds one of `needles`."""
    hits = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, (models.CharField, models.TextField, models.JSONField)):
                continue
            for pk, value in model._default_manager.values_list("pk", field.name):
                text = str(value or "").lower()
                hits.extend(
                    (model._meta.label, field.name, pk)
                    for needle in needles
                    if needle.lower() in text
                )
    return hits


def _media_naming(needles) -> list[str]:
    """Every file in the media folder whose bytes hold one of `needles`."""
    found = []
    for root, _dirs, files in os.walk(settings.MEDIA_ROOT):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                data = handle.read().lower()
            if any(needle.lower().encode() in data for needle in needles):
                found.append(path)
    return found


def _media_files() -> set[str]:
    return {
        os.path.join(root, name)
        for root, _dirs, files in os.walk(settings.MEDIA_ROOT)
        for name in files
    }


# --- 1. intake refused without consent, per kind ----------------------------------------


def test_logbook_entry_is_refused_without_logbook_consent_and_nothing_typed_is_lost(
    world, client_for
):
    _withhold(world.champion, ConsentKind.LOGBOOK)
    client = client_for(world.champion)
    url = reverse("logbooks:write", args=[world.trajectory.pk, 2026, 48])
    response = client.post(url, {"actions": "GEHEIM-LOGBOEK-1 mijn week", "action": "submit"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Zonder je toestemming voor je logboek wordt niets bewaard" in body
    assert reverse("research:my_consent", args=[world.trajectory.pk]) in body
    assert "GEHEIM-LOGBOEK-1 mijn week" in body  # still in the form
    assert not Entry.objects.filter(author=world.champion).exists()
    # Audio goes through the same gate.
    entry = logbook_services.entry_for_week(
        author=world.champion, trajectory=world.trajectory, iso_year=2026, iso_week=48,
        role=Role.CHAMPION,
    )
    with pytest.raises(ConsentRequired):
        logbook_services.audio_add(
            entry=entry, uploaded=SimpleUploadedFile("m.wav", wav_bytes(), "audio/wav")
        )
    # With consent the same entry is accepted.
    give_consent(trajectory=world.trajectory, kind=ConsentKind.LOGBOOK, user=world.champion)
    client.post(url, {"actions": "GEHEIM-LOGBOEK-1 mijn week", "action": "submit"})
    assert Entry.objects.filter(author=world.champion).count() == 1


def test_a_newly_added_champion_without_consent_writes_nothing(world):
    newcomer = UserFactory(first_name="Eva", last_name="Smit")
    MembershipFactory(trajectory=world.trajectory, user=newcomer, role=Role.CHAMPION, consent=False)
    entry = logbook_services.entry_for_week(
        author=newcomer, trajectory=world.trajectory, iso_year=2026, iso_week=47,
        role=Role.CHAMPION,
    )
    with pytest.raises(ConsentRequired) as refused:
        logbook_services.entry_save(
            entry=entry, editor=newcomer, data={"actions": "Iets"}, submit=True
        )
    assert refused.value.consent_url.startswith(
        reverse("research:my_consent", args=[world.trajectory.pk])
    )


def test_a_new_text_version_asks_again(world):
    consent = Consent.objects.get(user=world.champion, kind=ConsentKind.LOGBOOK)
    old = consent.text.__class__.objects.create(kind=ConsentKind.LOGBOOK, version=1, body="Oud")
    consent.text = old
    consent.save()
    assert not has_current_consent(
        trajectory=world.trajectory, kind=ConsentKind.LOGBOOK, user=world.champion
    )
    entry = logbook_services.entry_for_week(
        author=world.champion, trajectory=world.trajectory, iso_year=2026, iso_week=46,
        role=Role.CHAMPION,
    )
    with pytest.raises(ConsentRequired, match="is veranderd"):
        logbook_services.entry_save(entry=entry, editor=world.champion, data={"actions": "x"})


def test_harvest_item_and_approval_are_refused_without_dialogue_consent(world, client):
    session = DialogueSessionFactory(trajectory=world.trajectory, researcher=world.researcher)
    guest = InviteeFactory(session=session, name="Kees van Dam", email="kees@gast.test")
    token = make_token(guest)
    response = client.post(
        reverse("dialogues:personal_item", args=[token]), {"text": "GEHEIM-OOGST-1"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Zonder je toestemming voor deelname aan deze dialoog wordt niets bewaard" in body
    assert "#consent" in body
    assert "GEHEIM-OOGST-1" in body  # kept in the form
    assert not HarvestItem.objects.exists()
    report = HarvestReport.objects.create(session=session, status=ReportStatus.PENDING)
    version = ReportVersion.objects.create(
        report=report, number=1, body="Verslag", submitted_at=timezone.now()
    )
    for decision, comment in (("approve", ""), ("change", "Graag anders")):
        with pytest.raises(ConsentRequired):
            dialogue_services.report_answer(
                invitee=guest, version_id=version.pk, decision=decision, comment=comment
            )
    assert not version.answers.exists()


def test_closing_interview_notes_and_recording_need_interview_consent(world):
    interview = _interview(world, world.manager)
    _withhold(world.manager, ConsentKind.INTERVIEW)
    with pytest.raises(ConsentRequired, match="niets over deze persoon bewaard"):
        closing_services.closing_interview_save_answers(
            interview=interview, by=world.independent, notes="GEHEIM-INTERVIEW-1"
        )
    with pytest.raises(ConsentRequired):
        closing_services.closing_interview_add_audio(
            interview=interview, uploaded=SimpleUploadedFile("i.wav", wav_bytes(), "audio/wav")
        )
    interview.refresh_from_db()
    assert not interview.notes and not interview.audio


def test_emails_and_observation_notes_need_the_persons_notes_consent(world):
    _withhold(world.buddy, ConsentKind.NOTES)
    buddy = world.buddy
    with pytest.raises(ConsentRequired):
        logbook_services.email_import(
            trajectory=world.trajectory,
            uploaded=_eml(f"Jan-Willem <{buddy.email}>", "Plan", "GEHEIM-MAIL-1"),
            created_by=world.researcher,
        )
    assert not EmailDataPoint.objects.exists()
    # A note about him by name is data about him too; one naming nobody is not.
    with pytest.raises(ConsentRequired):
        logbook_services.note_create(
            trajectory=world.trajectory,
            author=world.researcher,
            kind="observation",
            title="Teamoverleg",
            text="Jan-Willem van der Berg twijfelde hardop.",
            occurred_on=timezone.localdate(),
        )
    logbook_services.note_create(
        trajectory=world.trajectory,
        author=world.researcher,
        kind="observation",
        title="Teamoverleg",
        text="Het team sprak over de keuzeweek.",
        occurred_on=timezone.localdate(),
    )
    # An e-mail from someone who consented is accepted.
    logbook_services.email_import(
        trajectory=world.trajectory,
        uploaded=_eml(f"Sanne <{world.champion.email}>", "Plan", "Tekst"),
        created_by=world.researcher,
    )
    assert EmailDataPoint.objects.count() == 1


def test_coding_takes_only_data_covered_by_consent(world):
    session = DialogueSessionFactory(trajectory=world.trajectory, researcher=world.researcher)
    agreed = InviteeFactory(session=session, email="ja@gast.test")
    refused = InviteeFactory(session=session, email="nee@gast.test")
    dialogue_services.consent_record(invitee=agreed, agreed=True)
    dialogue_services.consent_record(invitee=refused, agreed=False)
    HarvestItem.objects.create(session=session, invitee=agreed, text="Wel gecodeerd")
    HarvestItem.objects.create(session=session, invitee=refused, text="Nooit gecodeerd")
    newcomer = UserFactory()
    MembershipFactory(trajectory=world.trajectory, user=newcomer, role=Role.BUDDY, consent=False)
    Entry.objects.create(
        trajectory=world.trajectory, author=newcomer, author_role="buddy", iso_year=2026,
        iso_week=40, week_start=datetime(2026, 9, 28).date(), actions="Zonder toestemming",
        status="submitted", submitted_at=timezone.now(),
    )
    fragments_sync()
    texts = " ".join(Fragment.objects.values_list("text", flat=True))
    assert "Wel gecodeerd" in texts
    assert "Nooit gecodeerd" not in texts and "Zonder toestemming" not in texts


# --- 2. given by the person, with a copy --------------------------------------------------


def test_a_person_gives_consent_on_their_own_page_with_name_date_version_and_a_copy(
    world, client_for, django_capture_on_commit_callbacks
):
    _withhold(world.buddy, ConsentKind.INTERVIEW)
    client = client_for(world.buddy)
    url = reverse("research:my_consent", args=[world.trajectory.pk])
    page = client.get(url).content.decode()
    assert "5 werkdagen" in page and "sleutel" in page and "opgenomen" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"kind": "interview", "agreed": "yes", "name": "J.W. van der Berg"})
    consent = Consent.objects.filter(user=world.buddy, kind="interview").get()
    assert consent.agreed and consent.name == "J.W. van der Berg" and consent.via == "app"
    assert consent.text.version == 2 and "opgenomen" in consent.text.body
    (copy,) = mail.outbox
    assert copy.to == [world.buddy.email]
    assert "J.W. van der Berg" in copy.body and "5 werkdagen" in copy.body


def test_an_invitee_consents_through_the_personal_link(world, client):
    session = DialogueSessionFactory(trajectory=world.trajectory)
    guest = InviteeFactory(session=session, name="Kees van Dam", email="kees@gast.test")
    token = make_token(guest)
    page = client.get(reverse("dialogues:personal", args=[token])).content.decode()
    assert "leidinggevenden" in page and "geen geluids- of video-opnamen" in page
    client.post(
        reverse("dialogues:personal_consent", args=[token]), {"agreed": "yes", "name": "Kees"}
    )
    consent = Consent.objects.get(email="kees@gast.test")
    assert consent.kind == "dialogue" and consent.via == "link" and consent.name == "Kees"


# --- 3. withdrawal inside the window removes every trace, per kind ------------------------


def _withdraw_on_own_page(client, trajectory, kind):
    """A "no" after a "yes" on one's own page: the first shows what it will do, the second
    (confirmed) does it."""
    url = reverse("research:my_consent", args=[trajectory.pk])
    first = client.post(url, {"kind": kind, "agreed": "no"})
    assert "Ja, trek mijn toestemming in" in first.content.decode()
    assert not Withdrawal.objects.exists()  # nothing happened yet
    return client.post(url, {"kind": kind, "agreed": "no", "confirmed": "on"}, follow=True)


def _own_invitation(world, user):
    """`user` also takes part in a dialogue of the trajectory, with dialogue consent."""
    session = DialogueSessionFactory(
        trajectory=world.trajectory, facilitator=world.coach, researcher=world.researcher
    )
    give_consent(trajectory=world.trajectory, kind=ConsentKind.DIALOGUE, user=user)
    return InviteeFactory(session=session, name=user.get_full_name(), email=user.email, user=user)


def test_logbook_writer_withdraws_the_logbook_in_time_and_every_trace_of_it_goes(
    world, client_for, on_commit
):
    champion = world.champion
    invitation = _own_invitation(world, champion)
    dialogue_services.harvest_item_add(invitee=invitation, text="OOGST-BLIJFT-2")
    client = client_for(champion)
    client.post(
        reverse("logbooks:write", args=[world.trajectory.pk, 2026, 48]),
        {"actions": "GEHEIM-LOGBOEK-2 wat ik deed", "action": "submit"},
    )
    entry = Entry.objects.get(author=champion)
    logbook_services.audio_add(
        entry=entry, uploaded=SimpleUploadedFile("m.wav", wav_bytes(), "audio/wav")
    )
    audio = entry.audio_clips.get().file.path
    fragments_sync()
    assert Fragment.objects.filter(text__contains="GEHEIM-LOGBOEK-2").exists()
    assert Fragment.objects.filter(text__contains="OOGST-BLIJFT-2").exists()
    page = client.get(reverse("research:my_consent", args=[world.trajectory.pk])).content
    assert "Je laatste bijdrage hiervoor was op" in page.decode()

    with on_commit():
        response = _withdraw_on_own_page(client, world.trajectory, "logbook")

    assert "alles wat je daarvoor gaf is verwijderd" in response.content.decode()
    assert _rows_naming(["GEHEIM-LOGBOEK-2"]) == []
    assert _media_naming(["GEHEIM-LOGBOEK-2"]) == [] and audio not in _media_files()
    # Only the logbook: the harvest and its fragment stay, and so do the account and login.
    assert Fragment.objects.filter(text__contains="OOGST-BLIJFT-2").exists()
    assert HarvestItem.objects.filter(text="OOGST-BLIJFT-2").exists()
    withdrawal = Withdrawal.objects.get()
    assert (withdrawal.kind, withdrawal.within_window, withdrawal.user) == (
        "logbook", True, champion
    )
    assert withdrawal.summary["removed"]["logbook_entries"] == 1
    page = client.get(reverse("research:my_consent", args=[world.trajectory.pk])).content.decode()
    assert 'data-testid="status-logbook"' in page and "heropenen" in page
    # Nothing new of the logbook is accepted; a harvest item still is.
    with pytest.raises(ConsentRequired, match="logboek ingetrokken"):
        entry = logbook_services.entry_for_week(
            author=champion, trajectory=world.trajectory, iso_year=2026, iso_week=49,
            role=Role.CHAMPION,
        )
        logbook_services.entry_save(entry=entry, editor=champion, data={"actions": "Nieuw"})
    dialogue_services.harvest_item_add(invitee=invitation, text="Nog een idee")
    with pytest.raises(Exception, match="opnieuw openzetten"):
        consent_give(trajectory=world.trajectory, kind="logbook", agreed=True, user=champion)


def test_interviewee_withdraws_the_interview_in_time_and_the_recording_goes(
    world, client_for, on_commit
):
    manager = world.manager
    interview = _interview(world, manager)
    closing_services.closing_interview_save_answers(
        interview=interview, by=world.independent, notes="GEHEIM-INTERVIEW-2"
    )
    interview.refresh_from_db()
    closing_services.closing_interview_add_audio(
        interview=interview, uploaded=SimpleUploadedFile("i.wav", wav_bytes(), "audio/wav")
    )
    interview.refresh_from_db()
    recording = interview.audio.path
    client = client_for(manager)

    with on_commit():
        _withdraw_on_own_page(client, world.trajectory, "interview")

    assert _rows_naming(["GEHEIM-INTERVIEW-2"]) == []
    assert recording not in _media_files()
    assert not ClosingInterview.objects.exists()
    manager.refresh_from_db()
    assert manager.is_active
    assert has_current_consent(trajectory=world.trajectory, kind="notes", user=manager)


def test_sender_of_emails_withdraws_the_notes_in_time_and_mails_notes_and_attachments_go(
    world, client_for, on_commit
):
    buddy = world.buddy
    Entry.objects.create(
        trajectory=world.trajectory, author=buddy, author_role="buddy", iso_year=2026,
        iso_week=48, week_start=datetime(2026, 11, 23).date(), actions="MAATJE-BLIJFT",
        status="submitted", submitted_at=timezone.now(),
    )
    logbook_services.email_import(
        trajectory=world.trajectory,
        uploaded=_eml(f"Jan-Willem van der Berg <{buddy.email}>", "Plan", "GEHEIM-MAIL-2"),
        created_by=world.researcher,
    )
    logbook_services.note_create(
        trajectory=world.trajectory,
        author=world.researcher,
        kind="observation",
        title="Overleg",
        text="Jan-Willem van der Berg deelde GEHEIM-NOTITIE-2 niet.",
        occurred_on=timezone.localdate(),
    )
    assert _media_naming(["GEHEIM-MAIL-2"])

    with on_commit():
        _withdraw_on_own_page(client_for(buddy), world.trajectory, "notes")

    assert not EmailDataPoint.objects.exists()
    assert _rows_naming(["GEHEIM-MAIL-2", "GEHEIM-NOTITIE-2"]) == []
    assert _media_naming(["GEHEIM-MAIL-2", buddy.email]) == []
    assert Entry.objects.filter(author=buddy, actions="MAATJE-BLIJFT").exists()
    with pytest.raises(ConsentRequired, match="ingetrokken"):
        logbook_services.note_create(
            trajectory=world.trajectory, author=world.researcher, kind="observation",
            title="Later", text="Jan-Willem van der Berg was er weer.",
            occurred_on=timezone.localdate(),
        )


def test_leaving_the_whole_research_on_ones_own_page(world, client_for, on_commit):
    champion = world.champion
    client = client_for(champion)
    client.post(
        reverse("logbooks:write", args=[world.trajectory.pk, 2026, 48]),
        {"actions": "GEHEIM-LOGBOEK-3", "action": "submit"},
    )
    url = reverse("research:my_withdraw", args=[world.trajectory.pk])
    assert "Ja, stop met meedoen" in client.get(url).content.decode()

    with on_commit():
        response = client.post(url)

    assert "Alles wat je gaf is verwijderd" in response.content.decode()
    assert _rows_naming(["Sanne", "Vries", champion.email, "GEHEIM-LOGBOEK-3"]) == []
    withdrawal = Withdrawal.objects.get()
    assert (withdrawal.kind, withdrawal.within_window, withdrawal.user) == ("", True, None)


def test_invitee_says_no_after_yes_and_everything_goes(world, client, client_for):
    session = DialogueSessionFactory(
        trajectory=world.trajectory, facilitator=world.coach, researcher=world.researcher
    )
    guest = InviteeFactory(session=session, name="Kees van Dam", email="kees@gast.test")
    token = make_token(guest)
    consent_url = reverse("dialogues:personal_consent", args=[token])
    client.post(consent_url, {"agreed": "yes"})
    client.post(reverse("dialogues:personal_item", args=[token]), {"text": "GEHEIM-OOGST-2"})
    board = client_for(world.coach).get(reverse("dialogues:items", args=[session.pk]))
    assert "GEHEIM-OOGST-2" in board.content.decode()
    page = client.get(reverse("dialogues:personal", args=[token])).content.decode()
    assert "Je laatste bijdrage was op" in page
    fragments_sync()
    assert Fragment.objects.filter(text__contains="GEHEIM-OOGST-2").exists()

    response = client.post(consent_url, {"agreed": "no"})

    assert "alles wat je gaf is verwijderd" in response.content.decode()
    assert _rows_naming(["Kees", "van Dam", "kees@gast.test", "GEHEIM-OOGST-2"]) == []
    board = client_for(world.coach).get(reverse("dialogues:items", args=[session.pk]))
    assert "GEHEIM-OOGST-2" not in board.content.decode()
    assert client.get(reverse("dialogues:personal", args=[token])).status_code == 403


def test_a_colleague_invited_with_an_account_withdraws_only_the_dialogue_through_the_link(
    world, client
):
    champion = world.champion
    invitation = _own_invitation(world, champion)
    dialogue_services.harvest_item_add(invitee=invitation, text="GEHEIM-OOGST-4")
    Entry.objects.create(
        trajectory=world.trajectory, author=champion, author_role="champion", iso_year=2026,
        iso_week=48, week_start=datetime(2026, 11, 23).date(), actions="LOGBOEK-BLIJFT-4",
        status="submitted", submitted_at=timezone.now(),
    )

    response = client.post(
        reverse("dialogues:personal_consent", args=[make_token(invitation)]), {"agreed": "no"}
    )

    assert "andere onderdelen van het onderzoek blijft" in response.content.decode()
    assert _rows_naming(["GEHEIM-OOGST-4"]) == []
    assert Entry.objects.filter(actions="LOGBOEK-BLIJFT-4").exists()
    champion.refresh_from_db()
    assert champion.is_active
    assert Withdrawal.objects.get().kind == "dialogue"


# --- 4. after the window: data stay, nothing new, no new "yes" until re-opened ---------------


def _old_contribution(world, kind):
    """A person who agreed to `kind` and gave data of it on Monday 2 March 2026."""
    long_ago = aware(2026, 3, 2, 10)
    if kind == ConsentKind.DIALOGUE:
        session = DialogueSessionFactory(trajectory=world.trajectory, starts_at=long_ago)
        guest = InviteeFactory(session=session, name="Kees van Dam", email="kees@gast.test")
        give_consent(trajectory=world.trajectory, kind=kind, email=guest.email, at=long_ago)
        item = HarvestItem.objects.create(session=session, invitee=guest, text="Oude oogst")
        HarvestItem.objects.filter(pk=item.pk).update(created_at=long_ago)
        return {"invitee": guest}, lambda: dialogue_services.harvest_item_add(
            invitee=guest, text="Nieuw"
        )
    if kind == ConsentKind.LOGBOOK:
        user = world.champion
        Entry.objects.create(
            trajectory=world.trajectory, author=user, author_role="champion", iso_year=2026,
            iso_week=10, week_start=long_ago.date(), actions="Oud", status="submitted",
            submitted_at=long_ago,
        )
        Entry.objects.filter(author=user).update(created_at=long_ago)
        entry = logbook_services.entry_for_week(
            author=user, trajectory=world.trajectory, iso_year=2026, iso_week=48,
            role=Role.CHAMPION,
        )
        return {"user": user}, lambda: logbook_services.entry_save(
            entry=entry, editor=user, data={"actions": "Nieuw"}
        )
    if kind == ConsentKind.INTERVIEW:
        user = world.manager
        interview = _interview(world, user, planned_at=long_ago)
        return {"user": user}, lambda: closing_services.closing_interview_save_answers(
            interview=interview, by=world.independent, notes="Nieuw"
        )
    user = world.buddy
    logbook_services.email_import(
        trajectory=world.trajectory,
        uploaded=_eml(f"J <{user.email}>", "Oud", "Oude mail"),
        created_by=world.researcher,
    )
    EmailDataPoint.objects.update(created_at=long_ago)
    return {"user": user}, lambda: logbook_services.email_import(
        trajectory=world.trajectory,
        uploaded=_eml(f"J <{user.email}>", "Nieuw", "Nieuwe mail"),
        created_by=world.researcher,
    )


@pytest.mark.parametrize("kind", ConsentKind.values)
def test_after_the_window_data_stay_nothing_new_and_no_new_yes_until_reopened(world, kind):
    person, give_more = _old_contribution(world, kind)
    answer = consent_give(trajectory=world.trajectory, kind=kind, agreed=False, **person)
    withdrawal = answer.withdrawal
    assert withdrawal is not None and not withdrawal.within_window
    assert withdrawal.reference_date.isoformat() == "2026-03-02"
    with pytest.raises(ConsentRequired, match="ingetrokken"):
        give_more()
    # A new "yes" through the old page or link is refused...
    with pytest.raises(Exception, match="opnieuw openzetten"):
        consent_give(trajectory=world.trajectory, kind=kind, agreed=True, **person)
    # ...until a researcher re-opens participation (audited).
    participation_reopen(withdrawal=withdrawal, by=world.researcher)
    assert AuditEvent.objects.filter(action=AuditAction.REOPEN).count() == 1
    consent_give(trajectory=world.trajectory, kind=kind, agreed=True, **person, copy=False)
    give_more()


def test_after_the_window_the_personal_link_refuses_a_new_yes(world, client):
    person, _more = _old_contribution(world, ConsentKind.DIALOGUE)
    guest = person["invitee"]
    consent_give(trajectory=world.trajectory, kind="dialogue", agreed=False, invitee=guest)
    token = make_token(guest)
    response = client.post(
        reverse("dialogues:personal_consent", args=[token]), {"agreed": "yes"}, follow=True
    )
    assert "opnieuw openzetten" in response.content.decode()
    assert not Consent.objects.filter(email=guest.email, agreed=True, at__gt=aware(2026, 4, 1))
    page = client.get(reverse("dialogues:personal", args=[token])).content.decode()
    assert "bedenktijd" in page and "2 maart 2026" in page


# --- 5. the window counts from the real last contribution ---------------------------------


def test_window_counts_from_the_last_contribution_over_a_weekend_and_kings_day(world):
    """Friday 24 April 2026; Saturday, Sunday and King's Day (Monday 27 April) do not count:
    working days 28, 29, 30 April, 1 and 4 May; the window ends on Monday 4 May."""
    session = DialogueSessionFactory(trajectory=world.trajectory, starts_at=aware(2026, 4, 1, 14))
    guest = InviteeFactory(session=session, email="kees@gast.test")
    give_consent(trajectory=world.trajectory, kind="dialogue", email=guest.email)
    early = HarvestItem.objects.create(session=session, invitee=guest, text="Eerst")
    late = HarvestItem.objects.create(session=session, invitee=guest, text="Later")
    HarvestItem.objects.filter(pk=early.pk).update(created_at=aware(2026, 4, 1, 15))
    HarvestItem.objects.filter(pk=late.pk).update(created_at=aware(2026, 4, 24, 16))
    person = person_for(invitee=guest)
    on_deadline = withdrawal_window(person, aware(2026, 5, 4, 23))
    assert on_deadline.reference_date.isoformat() == "2026-04-24"  # not the session's date
    assert on_deadline.deadline.isoformat() == "2026-05-04"
    assert on_deadline.within
    assert not withdrawal_window(person, aware(2026, 5, 5, 8)).within
    assert windows_by_kind(person, aware(2026, 5, 5, 8))["dialogue"].deadline.isoformat() == (
        "2026-05-04"
    )
    # Withdrawn on the last day: erased; the day after: kept.
    answer = consent_give(
        trajectory=world.trajectory, kind="dialogue", agreed=False, invitee=guest,
        at=aware(2026, 5, 4, 17),
    )
    assert answer.withdrawal.within_window
    assert not HarvestItem.objects.exists()


def test_each_kind_has_its_own_window_from_its_own_last_contribution(world, client_for):
    """The champion took part in a dialogue on Wednesday 1 April 2026 and wrote the logbook
    until Friday 24 April. On Monday 4 May the logbook's window (over a weekend and King's
    Day) is still open; the dialogue's closed on 10 April (Good Friday and Easter Monday do
    not count): withdrawing the logbook erases it,
    withdrawing the dialogue keeps the harvest and stops it."""
    champion = world.champion
    invitation = _own_invitation(world, champion)
    DialogueSession.objects.filter(pk=invitation.session_id).update(starts_at=aware(2026, 4, 1, 14))
    item = HarvestItem.objects.create(session=invitation.session, invitee=invitation, text="Oogst")
    HarvestItem.objects.filter(pk=item.pk).update(created_at=aware(2026, 4, 1, 15))
    Entry.objects.create(
        trajectory=world.trajectory, author=champion, author_role="champion", iso_year=2026,
        iso_week=17, week_start=datetime(2026, 4, 20).date(), actions="Laatste week",
        status="submitted", submitted_at=aware(2026, 4, 24, 16),
    )
    # A logbook entry in another trajectory, later: it does not move this trajectory's window.
    Entry.objects.create(
        trajectory=world.other, author=champion, author_role="champion", iso_year=2026,
        iso_week=19, week_start=datetime(2026, 5, 4).date(), actions="Elders",
        status="submitted", submitted_at=aware(2026, 5, 4, 9),
    )
    on_monday = aware(2026, 5, 4, 17)
    assert withdrawal_window(person_for(user=champion), on_monday).reference_date.isoformat() == (
        "2026-05-04"
    )
    windows = windows_by_kind(person_for(user=champion), on_monday, world.trajectory)
    assert windows["logbook"].reference_date.isoformat() == "2026-04-24"
    assert (windows["logbook"].deadline.isoformat(), windows["logbook"].within) == (
        "2026-05-04", True
    )
    assert (windows["dialogue"].deadline.isoformat(), windows["dialogue"].within) == (
        "2026-04-10", False
    )

    logbook = consent_give(
        trajectory=world.trajectory, kind="logbook", agreed=False, user=champion, at=on_monday
    ).withdrawal
    dialogue = consent_give(
        trajectory=world.trajectory, kind="dialogue", agreed=False, user=champion, at=on_monday
    ).withdrawal

    assert (logbook.within_window, dialogue.within_window) == (True, False)
    assert list(Entry.objects.filter(author=champion).values_list("actions", flat=True)) == [
        "Elders"
    ]
    assert HarvestItem.objects.filter(pk=item.pk).exists()
    assert dialogue.reference_date.isoformat() == "2026-04-01"
    with pytest.raises(ValidationError, match="ingetrokken"):
        dialogue_services.harvest_item_add(invitee=invitation, text="Nieuw")
    # The interview and the notes are still open to the champion.
    assert has_current_consent(trajectory=world.trajectory, kind="interview", user=champion)
    closing_services.closing_interview_plan(
        trajectory=world.trajectory, interviewee=champion, interviewer=world.independent,
        planned_at=timezone.now() + timedelta(days=3), is_online=True,
    )


def test_someone_who_contributed_today_is_told_so(world, client_for):
    Entry.objects.create(
        trajectory=world.trajectory, author=world.champion, author_role="champion",
        iso_year=2026, iso_week=49, week_start=datetime(2026, 11, 30).date(), actions="Vandaag",
        status="submitted", submitted_at=timezone.now(),
    )
    page = client_for(world.champion).get(
        reverse("research:my_consent", args=[world.trajectory.pk])
    ).content.decode()
    # Each kind counts from its own last contribution: the logbook from today's entry.
    logbook = page.split('data-testid="kind-window-logbook"')[1].split("</div>")[0]
    notes = page.split('data-testid="kind-window-notes"')[1].split("</div>")[0]
    today = timezone.localdate()
    assert "Je laatste bijdrage hiervoor was op" in logbook and f" {today.day} " in logbook
    assert "nog geen gegevens" in notes
    # Leaving the whole research counts from the latest contribution of any kind.
    assert "Je laatste bijdrage was op" in page


# --- 6. leftovers: the login-attempt log ----------------------------------------------------


def test_withdrawal_leaves_no_address_in_the_login_attempt_log(world, client):
    from axes.models import AccessAttempt, AccessLog

    buddy = world.buddy
    client.post(reverse("login"), {"username": buddy.email.upper(), "password": "fout"})
    AccessLog.objects.create(username=buddy.email, ip_address="10.0.0.1", user_agent="test")
    AccessAttempt.objects.get_or_create(
        username=buddy.email, ip_address="10.0.0.1", defaults={"failures_since_start": 1}
    )
    other = AccessLog.objects.create(username="iemand@anders.test", ip_address="10.0.0.2")
    consent_withdraw(user=buddy, requested_by=buddy, trajectory=world.trajectory)
    for model in (AccessAttempt, AccessLog):
        assert not model.objects.filter(username__iexact=buddy.email).exists()
    assert AccessLog.objects.filter(pk=other.pk).exists()
