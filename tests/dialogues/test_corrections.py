"""Harvest items are correctable and moderated; change requests are answered in sight.

- A participant changes or deletes their own item through their personal link
  until the harvest closes; another participant's link cannot touch it.
- The facilitator (coach, researcher) hides a duplicate: it stays stored, leaves
  the board, the report form and the coding, and its author reads why.
- Per report version the session page shows who approved, who asked for a
  change and what they wrote, and whether the next version answers it; the
  participant sees the reply.
- Nothing is harvested, submitted or approved before the session took place.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dialogues import coding_sources, services
from dialogues.models import Approval, HarvestItem
from dialogues.tokens import make_token
from tests.conftest import PERSONAS

from .factories import DialogueSessionFactory, HarvestItemFactory, InviteeFactory

FACILITATE = {"coach", "researcher"}


def _status(persona, allowed):
    if persona == "outsider":
        return 404
    return 200 if persona in allowed else 403


# --- the participant's own items ---------------------------------------------------


def test_participant_changes_their_own_item(world, dialogue, client):
    item = HarvestItemFactory(invitee=dialogue.noor, text="Dubbel ingediend item")
    url = reverse("dialogues:personal_item_edit", args=[make_token(dialogue.noor), item.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": "Wij willen elkaar vaker bevragen", "goal": "2"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.text == "Wij willen elkaar vaker bevragen" and item.goal == 2
    assert item.edited_at is not None


def test_participant_deletes_their_own_item_after_confirming(world, dialogue, client):
    item = HarvestItemFactory(invitee=dialogue.noor, text="Dubbel ingediend item")
    url = reverse("dialogues:personal_item_delete", args=[make_token(dialogue.noor), item.pk])
    page = client.get(url).content.decode()
    assert "Dubbel ingediend item" in page and 'id="confirm-delete"' in page
    assert HarvestItem.objects.filter(pk=item.pk).exists()
    assert client.post(url).status_code == 302
    assert not HarvestItem.objects.filter(pk=item.pk).exists()


def test_personal_page_offers_change_and_delete_while_open(world, dialogue, client):
    item = HarvestItemFactory(invitee=dialogue.noor)
    token = make_token(dialogue.noor)
    html = client.get(reverse("dialogues:personal", args=[token])).content.decode()
    assert reverse("dialogues:personal_item_edit", args=[token, item.pk]) in html
    assert reverse("dialogues:personal_item_delete", args=[token, item.pk]) in html


def test_another_participants_link_cannot_touch_the_item(world, dialogue, client):
    item = HarvestItemFactory(invitee=dialogue.noor, text="Van Noor")
    token = make_token(dialogue.piet)
    edit = reverse("dialogues:personal_item_edit", args=[token, item.pk])
    delete = reverse("dialogues:personal_item_delete", args=[token, item.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"text": "Overschreven"}).status_code == 404
    assert client.post(delete).status_code == 404
    item.refresh_from_db()
    assert item.text == "Van Noor"
    with pytest.raises(ValidationError):
        services.harvest_item_change(invitee=dialogue.piet, item=item, text="Overschreven")


def test_items_lock_when_the_harvest_closes_and_a_crafted_post_changes_nothing(
    world, dialogue, client
):
    item = HarvestItemFactory(invitee=dialogue.noor, text="Vast na sluiten")
    services.harvest_close(session=dialogue.session)
    token = make_token(dialogue.noor)
    edit = reverse("dialogues:personal_item_edit", args=[token, item.pk])
    delete = reverse("dialogues:personal_item_delete", args=[token, item.pk])
    page = client.get(edit).content.decode()
    assert 'id="locked-reason"' in page and "teamcoach" in page
    assert client.post(edit, {"text": "Toch gewijzigd"}).status_code == 400
    assert client.post(delete).status_code == 403
    item.refresh_from_db()
    assert item.text == "Vast na sluiten"


# --- the facilitator hides ------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_hide_page_per_persona(world, dialogue, client_for, persona):
    item = HarvestItemFactory(invitee=dialogue.noor)
    client = client_for(world.users[persona])
    url = reverse("dialogues:item_hide", args=[dialogue.session.pk, item.pk])
    assert client.get(url).status_code == _status(persona, FACILITATE)
    response = client.post(url, {"reason": "Dubbel"})
    assert response.status_code == (302 if persona in FACILITATE else _status(persona, FACILITATE))
    item.refresh_from_db()
    assert (item.hidden_at is not None) is (persona in FACILITATE)
    unhide = client.post(reverse("dialogues:item_unhide", args=[dialogue.session.pk, item.pk]))
    assert unhide.status_code == (302 if persona in FACILITATE else _status(persona, FACILITATE))


def test_hidden_item_leaves_board_report_and_coding_and_its_author_is_told(
    world, dialogue, client, client_for
):
    kept = HarvestItemFactory(invitee=dialogue.piet, text="Samen een visie formuleren")
    stray = HarvestItemFactory(invitee=dialogue.noor, text="asdfgh per ongeluk")
    coach = client_for(world.coach)
    hide = reverse("dialogues:item_hide", args=[dialogue.session.pk, stray.pk])
    assert coach.post(hide, {"reason": ""}).status_code == 400  # a reason is required
    coach.post(hide, {"reason": "Per ongeluk verstuurd"})
    stray.refresh_from_db()
    assert stray.hidden_by == world.coach and HarvestItem.objects.filter(pk=stray.pk).exists()
    board = coach.get(reverse("dialogues:items", args=[dialogue.session.pk])).content.decode()
    assert "asdfgh" not in board and "Samen een visie" in board
    report_form = client_for(world.researcher).get(
        reverse("dialogues:report_edit", args=[dialogue.session.pk])
    )
    assert "asdfgh" not in report_form.content.decode()
    ids = {s.source_id for s in coding_sources.harvest_items([world.trajectory.pk])}
    assert kept.pk in ids and stray.pk not in ids
    detail = coach.get(reverse("dialogues:detail", args=[dialogue.session.pk])).content.decode()
    assert 'id="hidden-items"' in detail and "Per ongeluk verstuurd" in detail
    own = client.get(reverse("dialogues:personal", args=[make_token(dialogue.noor)]))
    assert "Verborgen door de teamcoach: Per ongeluk verstuurd" in own.content.decode()
    coach.post(reverse("dialogues:item_unhide", args=[dialogue.session.pk, stray.pk]))
    stray.refresh_from_db()
    assert stray.hidden_at is None and stray.hidden_reason == ""


# --- dates checked against reality ------------------------------------------------------


def test_no_harvest_submission_or_approval_before_the_session(world):
    session = DialogueSessionFactory(
        trajectory=world.trajectory,
        facilitator=world.coach,
        researcher=world.researcher,
        starts_at=timezone.now() + timedelta(weeks=7),
    )
    invitee = InviteeFactory(session=session)
    services.consent_record(invitee=invitee, agreed=True)
    with pytest.raises(ValidationError) as excinfo:
        services.harvest_item_add(invitee=invitee, text="Te vroeg")
    assert "nog niet plaatsgevonden" in " ".join(excinfo.value.messages)
    services.report_save_draft(session=session, body="Concept")
    with pytest.raises(ValidationError):
        services.report_submit(report=session.report)
    assert not HarvestItem.objects.filter(session=session).exists()


# --- responses are visible -----------------------------------------------------------


def _submit(session, body, reply=""):
    services.report_save_draft(session=session, body=body, reply=reply)
    return services.report_submit(report=session.report, notify=False)


def test_session_page_shows_who_approved_who_asked_what_and_whether_it_was_answered(
    world, dialogue, client_for, client
):
    v1 = _submit(dialogue.session, "Versie een")
    services.report_answer(invitee=dialogue.noor, version_id=v1.pk, decision="approve")
    services.report_answer(
        invitee=dialogue.piet,
        version_id=v1.pk,
        decision="change",
        comment="Mijn citaat over de mentoren klopt niet",
    )
    researcher = client_for(world.researcher)
    detail_url = reverse("dialogues:detail", args=[dialogue.session.pk])
    html = researcher.get(detail_url).content.decode()
    assert "Noor Jansen</strong>: akkoord" in html
    assert "Piet Kok</strong>: wijziging gevraagd" in html
    assert "Mijn citaat over de mentoren klopt niet" in html
    assert "Nog niet beantwoord: schrijf een nieuwe versie." in html
    form = researcher.get(reverse("dialogues:report_edit", args=[dialogue.session.pk]))
    assert "Mijn citaat over de mentoren klopt niet" in form.content.decode()
    _submit(dialogue.session, "Versie twee", reply="Het citaat is aangepast.")
    html = researcher.get(detail_url).content.decode()
    assert "Beantwoord in versie 2." in html and "Het citaat is aangepast." in html
    own = client.get(reverse("dialogues:personal", args=[make_token(dialogue.piet)]))
    own = own.content.decode()
    assert "Mijn citaat over de mentoren klopt niet" in own
    assert "beantwoord in versie 2" in own and "Het citaat is aangepast." in own


def test_the_team_coach_sees_the_answers_but_the_manager_does_not(world, dialogue, client_for):
    v1 = _submit(dialogue.session, "Versie een")
    services.report_answer(
        invitee=dialogue.piet, version_id=v1.pk, decision="change", comment="Geheim verzoek"
    )
    url = reverse("dialogues:detail", args=[dialogue.session.pk])
    assert "Geheim verzoek" in client_for(world.coach).get(url).content.decode()
    for persona in ("manager", "champion", "buddy", "staff"):
        assert "Geheim verzoek" not in client_for(world.users[persona]).get(url).content.decode()


def test_session_page_queries_do_not_grow_with_versions_and_answers(world, dialogue, client_for):
    client = client_for(world.researcher)
    url = reverse("dialogues:detail", args=[dialogue.session.pk])
    v1 = _submit(dialogue.session, "Versie een")
    services.report_answer(
        invitee=dialogue.noor, version_id=v1.pk, decision="change", comment="Graag aanpassen"
    )
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for number in range(2, 5):
        version = _submit(dialogue.session, f"Versie {number}")
        for invitee in (dialogue.noor, dialogue.piet):
            Approval.objects.create(
                version=version, invitee=invitee, decision="change", comment=f"Verzoek {number}"
            )
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)
