"""Every dialogue view for every persona (+ anonymous), and what managers never see."""

import pytest
from django.urls import reverse

from dialogues import services
from tests.conftest import PERSONAS

from .factories import HarvestItemFactory

SUMMARY = {
    "coach",
    "researcher",
    "independent",
    "champion",
    "buddy",
    "manager",
    "staff",
    "participant",
}
CONTENT = {"coach", "researcher", "independent", "participant"}
INVITE = {"coach", "champion"}
FACILITATE = {"coach", "researcher"}
WRITE = {"researcher"}
TRAJECTORY_VIEWERS = SUMMARY - {"participant"}

SECRET_ITEM = "Geheime oogst: wij vinden LOB lastig"
SECRET_REPORT = "Verslagtekst die alleen deelnemers lezen"

# (url name, uses trajectory pk, method, allowed personas)
VIEWS = [
    ("dialogues:list", True, "get", TRAJECTORY_VIEWERS),
    ("dialogues:create", True, "get", INVITE),
    ("dialogues:detail", False, "get", SUMMARY),
    ("dialogues:status_json", False, "get", SUMMARY),
    ("dialogues:invitation_preview", False, "get", INVITE),
    ("dialogues:board", False, "get", FACILITATE),
    ("dialogues:items", False, "get", CONTENT),
    ("dialogues:items_json", False, "get", CONTENT),
    ("dialogues:groups", False, "get", FACILITATE),
    ("dialogues:report_edit", False, "get", WRITE),
    ("dialogues:report_compare", False, "get", CONTENT),
    ("dialogues:invitation_send", False, "post", INVITE),
    ("dialogues:close_harvest", False, "post", FACILITATE),
    ("dialogues:report_close", False, "post", WRITE),
]


@pytest.fixture
def filled(world, dialogue):
    HarvestItemFactory(invitee=dialogue.noor, text=SECRET_ITEM)
    services.report_save_draft(session=dialogue.session, body=SECRET_REPORT + " v1")
    services.report_submit(report=dialogue.session.report)
    services.report_save_draft(session=dialogue.session, body=SECRET_REPORT + " v2")
    return dialogue


def _url(name, uses_trajectory, world, dialogue):
    arg = world.trajectory.pk if uses_trajectory else dialogue.session.pk
    return reverse(name, args=[arg])


@pytest.mark.parametrize("persona", [*PERSONAS, None])
@pytest.mark.parametrize(("name", "uses_trajectory", "method", "allowed"), VIEWS)
def test_it_applies_the_access_rules(
    world, filled, client_for, persona, name, uses_trajectory, method, allowed
):
    user = world.users[persona] if persona else None
    response = getattr(client_for(user), method)(_url(name, uses_trajectory, world, filled))
    if persona is None:
        assert response.status_code == 302
        assert "/account/" in response["Location"]
    elif persona in allowed:
        assert response.status_code in (200, 302)
    elif persona == "outsider":
        assert response.status_code == 404
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("persona", ["champion", "buddy", "manager", "staff", "outsider"])
def test_it_never_shows_harvest_or_report_text_to_non_readers(world, filled, client_for, persona):
    client = client_for(world.users[persona])
    for name, uses_trajectory, method, _allowed in VIEWS:
        response = getattr(client, method)(_url(name, uses_trajectory, world, filled))
        body = response.content.decode()
        assert SECRET_ITEM not in body, name
        assert SECRET_REPORT not in body, name


def test_it_shows_the_manager_only_summary(world, filled, client_for):
    client = client_for(world.manager)
    response = client.get(reverse("dialogues:detail", args=[filled.session.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Deelnemers met toestemming" in body
    assert "Concept" in body  # report status (draft of version 2)
    assert "Noor Jansen" not in body
    data = client.get(reverse("dialogues:status_json", args=[filled.session.pk])).json()
    assert set(data) == {"session", "date", "participants", "report_status"}
    assert data["participants"] == 2


def test_a_participant_of_another_session_cannot_read_this_harvest(world, filled, client_for):
    client = client_for(filled.stranger_user)
    for name in ("dialogues:detail", "dialogues:items", "dialogues:items_json"):
        response = client.get(reverse(name, args=[filled.session.pk]))
        assert response.status_code == 403, name
    # and their personal link gives no way into this session
    response = client.get(reverse("dialogues:personal", args=[filled.token(filled.stranger)]))
    assert SECRET_ITEM not in response.content.decode()


def test_participant_of_the_session_reads_items_and_report(world, filled, client_for):
    response = client_for(world.participant).get(
        reverse("dialogues:detail", args=[filled.session.pk])
    )
    body = response.content.decode()
    assert SECRET_ITEM in body
    assert SECRET_REPORT in body


def test_personal_pages_hide_nothing_but_expose_no_other_session(world, filled, client):
    response = client.get(reverse("dialogues:personal", args=[filled.token(filled.noor)]))
    assert response.status_code == 200
    assert SECRET_REPORT + " v1" in response.content.decode()


INDEX_ALLOWED = {
    "coach",
    "researcher",
    "independent",
    "champion",
    "buddy",
    "manager",
    "participant",
    "outsider",
    "staff",
}


@pytest.mark.parametrize("persona", [*PERSONAS, None])
def test_index_lists_only_visible_sessions(world, filled, client_for, persona):
    user = world.users[persona] if persona else None
    response = client_for(user).get(reverse("dialogues:index"))
    if persona is None:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    body = response.content.decode()
    assert SECRET_ITEM not in body and SECRET_REPORT not in body
    sees = persona in SUMMARY
    assert (f"/dialogen/{filled.session.pk}/" in body) == sees


def test_stranger_sees_only_their_own_session_in_the_index(world, filled, client_for):
    body = client_for(filled.stranger_user).get(reverse("dialogues:index")).content.decode()
    assert f"/dialogen/{filled.other_session.pk}/" in body
    assert f"/dialogen/{filled.session.pk}/" not in body


def test_participants_do_not_see_each_others_consent(world, filled, client_for):
    body = (
        client_for(world.participant)
        .get(reverse("dialogues:detail", args=[filled.session.pk]))
        .content.decode()
    )
    assert "Lies Maas" not in body and "nog geen antwoord" not in body
