"""The champion plans the start dialogue session: who may be its researcher, what
comes preselected, what the study researcher who does it may then do, and what
an invited participant without an account gets."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from dialogues import services
from dialogues.forms import SessionForm
from tests.factories import HalfDayFactory, UserFactory
from trajectories.models import HistoryEvent, Membership, StudyMembership

from .factories import DialogueSessionFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _post(world, **changes):
    data = {
        "kind": "start",
        "theme": "Ik als mentor",
        "lob_term": "SLB",
        "starts_at": "2027-02-09T13:30",
        "duration_minutes": 120,
        "place": "Aula",
        "agenda": "30 minuten welkom",
        "facilitator": world.coach.pk,
        "researcher": world.independent.pk,
    }
    data.update(changes)
    return data


def test_the_study_research_team_is_offered_as_researcher(world):
    form = SessionForm(trajectory=world.trajectory)
    offered = set(form.fields["researcher"].queryset)
    # The trajectory's researcher and the study's team; never the coach, a champion
    # or the research team of no study of this trajectory.
    assert offered == {world.researcher, world.independent}
    assert set(form.fields["facilitator"].queryset) == {world.coach}


def test_one_coach_one_researcher_and_the_start_dialogue_half_day_are_preselected(world):
    Membership.objects.filter(user=world.researcher).delete()
    StudyMembership.objects.filter(user=world.researcher).delete()
    starts = datetime(2027, 2, 9, 13, 30, tzinfo=AMSTERDAM)
    HalfDayFactory(trajectory=world.trajectory, starts_at=starts - timedelta(days=7))
    day = HalfDayFactory(
        trajectory=world.trajectory,
        is_start_dialogue=True,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=150),
        place="Teamruimte",
    )
    form = SessionForm(trajectory=world.trajectory)
    assert form.initial["facilitator"] == world.coach.pk
    assert form.initial["researcher"] == world.independent.pk
    assert (form.initial["half_day"], form.initial["place"]) == (day.pk, "Teamruimte")
    assert form.initial["duration_minutes"] == 150
    assert form["starts_at"].value().strftime("%Y-%m-%d %H:%M") == "2027-02-09 13:30"
    # Once the half-day has its session, the next form no longer offers it by default.
    DialogueSessionFactory(trajectory=world.trajectory, half_day=day)
    assert "half_day" not in SessionForm(trajectory=world.trajectory).initial


def test_two_researchers_are_not_guessed(world):
    form = SessionForm(trajectory=world.trajectory)
    assert "researcher" not in form.initial and form.initial["facilitator"] == world.coach.pk


def test_the_champion_creates_a_session_with_the_study_researcher(world, client_for):
    response = client_for(world.champion).post(
        reverse("dialogues:create", args=[world.trajectory.pk]), _post(world)
    )
    assert response.status_code == 302
    session = world.trajectory.dialogue_sessions.get()
    assert session.researcher == world.independent


@pytest.mark.parametrize("who", ["outsider", "champion", "coach"])
def test_nobody_outside_the_research_team_is_the_researcher(world, client_for, who):
    response = client_for(world.champion).post(
        reverse("dialogues:create", args=[world.trajectory.pk]),
        _post(world, researcher=world.users[who].pk),
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not world.trajectory.dialogue_sessions.exists()


def test_the_service_refuses_a_researcher_or_coach_from_elsewhere_in_dutch(world, settings):
    settings.LANGUAGE_CODE = "nl"
    stranger = UserFactory()
    with pytest.raises(ValidationError) as error:
        services.session_create(
            trajectory=world.trajectory,
            starts_at=datetime(2027, 2, 9, 13, 30, tzinfo=AMSTERDAM),
            facilitator=world.champion,
            researcher=stranger,
        )
    messages = error.value.message_dict
    assert messages["facilitator"] == ["Kies een teamcoach van dit traject."]
    assert messages["researcher"] == [
        "Kies een onderzoeker van dit traject of uit het onderzoeksteam van het onderzoek."
    ]


def test_an_outsider_gets_404_on_another_organisations_session_pages(world, client_for):
    session = DialogueSessionFactory(
        trajectory=world.trajectory, facilitator=world.coach, researcher=world.independent
    )
    client = client_for(world.outsider)
    assert client.get(reverse("dialogues:create", args=[world.trajectory.pk])).status_code == 404
    url = reverse("dialogues:invitee_add", args=[session.pk])
    assert client.post(url, {"name": "Daan", "email": "daan@x.test"}).status_code == 404
    assert not session.invitees.exists()


def test_the_session_researcher_from_the_study_team_runs_that_session_only(world, client_for):
    """The study researcher chosen for a session facilitates it and writes its report;
    on another session of the trajectory they stay an independent researcher."""
    own = DialogueSessionFactory(
        trajectory=world.trajectory, facilitator=world.coach, researcher=world.independent
    )
    other = DialogueSessionFactory(
        trajectory=world.trajectory, facilitator=world.coach, researcher=world.researcher
    )
    client = client_for(world.independent)
    for name in ("dialogues:board", "dialogues:groups", "dialogues:report_edit"):
        assert client.get(reverse(name, args=[own.pk])).status_code == 200, name
        assert client.get(reverse(name, args=[other.pk])).status_code == 403, name
    response = client.post(
        reverse("dialogues:report_edit", args=[own.pk]), {"body": "Oogstverslag van de start"}
    )
    assert response.status_code == 302 and own.report.current_version().body.startswith("Oogst")
    detail = client.get(reverse("dialogues:detail", args=[own.pk])).content.decode()
    assert "Oogstverslag schrijven" in detail and "Oogstscherm" in detail
    # Out of the research team, out of the session too (an outsider again: 404).
    StudyMembership.objects.filter(user=world.independent).delete()
    client = client_for(User.objects.get(pk=world.independent.pk))
    assert client.get(reverse("dialogues:report_edit", args=[own.pk])).status_code == 404


def test_an_invited_participant_without_account_gets_a_link_not_an_account(world, client_for):
    """Invitees act through their personal link: no account, no role, one e-mail."""
    session = DialogueSessionFactory(
        trajectory=world.trajectory, facilitator=world.coach, researcher=world.independent
    )
    client = client_for(world.champion)
    client.post(
        reverse("dialogues:invitee_add", args=[session.pk]),
        {"name": "Daan Visser", "email": "Daan.Visser@debrug.test"},
    )
    users_before = User.objects.count()
    history_before = HistoryEvent.objects.filter(trajectory=world.trajectory).count()
    mail.outbox.clear()
    services.invitation_deliver(invitee_id=session.invitees.get().pk, by_id=world.champion.pk)
    invitee = session.invitees.get()
    assert (invitee.email, invitee.user) == ("daan.visser@debrug.test", None)
    assert User.objects.count() == users_before
    assert not Membership.objects.filter(user__email="daan.visser@debrug.test").exists()
    assert HistoryEvent.objects.filter(trajectory=world.trajectory).count() == history_before
    assert [m.to for m in mail.outbox] == [["daan.visser@debrug.test"]]
    assert (
        "/dialogen/p/" in mail.outbox[0].body and "/account/uitnodiging/" not in mail.outbox[0].body
    )
