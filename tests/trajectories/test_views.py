"""Every trajectories view, for every persona (+ anonymous), and the forms' bad input."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from tests.conftest import PERSONAS
from tests.factories import HalfDayFactory, MembershipFactory, TrajectoryFactory
from tests.trajectories.factories import DecisionFactory, StartAgreementFactory
from trajectories.models import (
    CalendarFeed,
    Decision,
    DecisionFactor,
    HalfDay,
    HourEntry,
    Membership,
    Phase,
    RecruitmentContact,
    Role,
    Signature,
)
from trajectories.selectors.calendar import CALENDAR_PAGE_SIZE, FEED_DAYS_AHEAD, FEED_DAYS_BACK

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")

EVERYONE_WITH_A_VIEW_ROLE = {
    "coach": 200,
    "researcher": 200,
    "independent": 200,
    "champion": 200,
    "buddy": 200,
    "manager": 200,
    "participant": 403,
    "outsider": 404,
    "staff": 200,
}
EDIT_TRAJECTORY = {
    **{p: 403 for p in PERSONAS},
    "coach": 200,
    "researcher": 200,
    "staff": 200,
    "outsider": 404,
}
EDIT_PLAN = {**{p: 403 for p in PERSONAS}, "coach": 200, "researcher": 200, "outsider": 404}
PEOPLE = {**EDIT_PLAN, "champion": 200, "staff": 200}
PLAN_HALF_DAYS = {**EDIT_PLAN, "champion": 200, "buddy": 200}
OUTCOMES = {
    **{p: 403 for p in PERSONAS},
    "coach": 200,
    "champion": 200,
    "buddy": 200,
    "outsider": 404,
}


@pytest.fixture
def planned(world):
    half_day = HalfDayFactory(
        trajectory=world.trajectory,
        title="Startdialoog",
        starts_at=datetime(2026, 3, 2, 13, 30, tzinfo=AMS),
        ends_at=datetime(2026, 3, 2, 16, 0, tzinfo=AMS),
        is_start_dialogue=True,
    )
    StartAgreementFactory(trajectory=world.trajectory)
    DecisionFactory(trajectory=world.trajectory)
    return half_day


PAGES = [
    ("/trajecten/{t}/", EVERYONE_WITH_A_VIEW_ROLE),
    ("/trajecten/{t}/planning/", EVERYONE_WITH_A_VIEW_ROLE),
    ("/trajecten/{t}/startdocument/", EVERYONE_WITH_A_VIEW_ROLE),
    ("/trajecten/{t}/startdocument/?afdruk=1", EVERYONE_WITH_A_VIEW_ROLE),
    ("/trajecten/{t}/werving/", EDIT_TRAJECTORY),
    ("/trajecten/{t}/besluit/", EDIT_TRAJECTORY),
    ("/trajecten/{t}/interview/", EDIT_PLAN),
    ("/trajecten/{t}/startdocument/bewerken/", EDIT_PLAN),
    ("/trajecten/{t}/mensen/", PEOPLE),
    ("/trajecten/{t}/organisatie/", EDIT_TRAJECTORY),
    ("/trajecten/{t}/planning/nieuw/", PLAN_HALF_DAYS),
    ("/trajecten/{t}/planning/{h}/", PLAN_HALF_DAYS),
    ("/trajecten/{t}/uren/", EDIT_PLAN),
    ("/trajecten/{t}/planning/{h}/leeropbrengsten/", OUTCOMES),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("pattern", "expected"), PAGES, ids=[p for p, _e in PAGES])
def test_page_per_persona(world, planned, client_for, persona, pattern, expected):
    url = pattern.format(t=world.trajectory.pk, h=planned.pk)
    response = client_for(world.users[persona]).get(url)
    assert response.status_code == expected[persona]


@pytest.mark.parametrize(("pattern", "expected"), PAGES, ids=[p for p, _e in PAGES])
def test_page_anonymous_goes_to_login(world, planned, client, pattern, expected):
    response = client.get(pattern.format(t=world.trajectory.pk, h=planned.pk))
    assert response.status_code == 302 and "/account/inloggen/" in response.url


@pytest.mark.parametrize("persona", PERSONAS)
def test_calendar_per_persona(world, planned, client_for, persona):
    response = client_for(world.users[persona]).get("/trajecten/kalender/?maand=2026-03")
    assert response.status_code == 200
    html = response.content.decode()
    sees = persona in {"coach", "researcher", "independent", "champion", "buddy", "manager"}
    assert ("Het Baken College" in html) is sees
    assert "maart 2026" in html


def test_calendar_anonymous(client):
    assert client.get("/trajecten/kalender/").status_code == 302


@pytest.mark.parametrize("persona", PERSONAS)
def test_posting_views_per_persona(world, planned, client_for, persona):
    """The POST-only actions refuse roles without the right, before any change."""
    client = client_for(world.users[persona])
    t = world.trajectory.pk
    # Allowed roles get the confirmation page again (400): moving on with fewer
    # half-days held than agreed needs a reason.
    phase = client.post(f"/trajecten/{t}/fase/", {"to_phase": "closing"})
    assert phase.status_code == (
        400 if EDIT_TRAJECTORY[persona] == 200 else EDIT_TRAJECTORY[persona]
    )
    # The trajectory has left recruitment: its factors are locked (400, nothing saved).
    factor = client.post(
        f"/trajecten/{t}/besluit/factor/",
        {"factor-category": "organisation", "factor-is_helping": "1", "factor-free_text": "Timing"},
    )
    if EDIT_TRAJECTORY[persona] == 200:
        assert factor.status_code in (302, 400)  # no decision yet, or locked
    else:
        assert factor.status_code == EDIT_TRAJECTORY[persona]
    assert not DecisionFactor.objects.exists()
    sign = client.post(f"/trajecten/{t}/startdocument/ondertekenen/", {"party": "champion"})
    expected_sign = {"champion": 302, "outsider": 404, "participant": 403}.get(persona, 403)
    assert sign.status_code == expected_sign
    assert Signature.objects.count() == (1 if persona == "champion" else 0)


def test_get_on_posting_views_not_allowed(world, client_for):
    client = client_for(world.coach)
    # Without ?naar= the phase page sends you back to the trajectory.
    assert client.get(f"/trajecten/{world.trajectory.pk}/fase/").status_code == 302
    assert client.get("/trajecten/kalender/koppeling/").status_code == 405


def test_manager_sees_own_organisation_only(world, client_for):
    client = client_for(world.manager)
    for suffix in ("", "planning/", "startdocument/"):
        assert client.get(f"/trajecten/{world.other.pk}/{suffix}").status_code == 404
        assert client.get(f"/trajecten/{world.trajectory.pk}/{suffix}").status_code == 200


# --- the trajectory page ----------------------------------------------------------


def test_trajectory_page_shows_phase_next_step_and_refusal(world, client_for):
    world.trajectory.phase = Phase.RECRUITMENT
    world.trajectory.save()
    client = client_for(world.coach)
    html = client.get(f"/trajecten/{world.trajectory.pk}/").content.decode()
    assert "Volgende stap" in html
    assert "Leg het besluit van de organisatie vast" in html
    response = client.post(
        f"/trajecten/{world.trajectory.pk}/fase/", {"to_phase": "start_dialogue"}, follow=True
    )
    assert "Voor de startdialoog is eerst een ja van de organisatie nodig." in (
        response.content.decode()
    )
    world.trajectory.refresh_from_db()
    assert world.trajectory.phase == Phase.RECRUITMENT


def test_decline_via_the_page(world, client_for):
    world.trajectory.phase = Phase.RECRUITMENT
    world.trajectory.save()
    client = client_for(world.coach)
    t = world.trajectory.pk
    client.post(
        f"/trajecten/{t}/besluit/", {"decision-is_yes": "0", "decision-decided_on": "2026-02-03"}
    )
    assert Decision.objects.get().is_yes is False
    client.post(f"/trajecten/{t}/fase/", {"to_phase": "declined"})
    world.trajectory.refresh_from_db()
    assert world.trajectory.phase == Phase.DECLINED
    assert world.trajectory.transitions.get().by == world.coach


# --- planning ------------------------------------------------------------------------

GOOD_HALF_DAY = {
    "title": "Training mentoren",
    "starts_at": "2026-04-14T13:00",
    "ends_at": "2026-04-14T16:30",
    "place": "Aula",
    "unit": "year_group",
    "intervention_types": ["training", "dialogue"],
    "goals": ["2", "3"],
    "preparation_notes": "Casussen verzamelen",
}


def test_coach_plans_a_half_day(world, client_for):
    client = client_for(world.coach)
    response = client.post(f"/trajecten/{world.trajectory.pk}/planning/nieuw/", GOOD_HALF_DAY)
    assert response.status_code == 302
    half_day = HalfDay.objects.get()
    assert half_day.intervention_types == ["training", "dialogue"]
    assert half_day.goals == [2, 3]
    html = client.get(f"/trajecten/{world.trajectory.pk}/planning/").content.decode()
    assert "Training mentoren" in html and "training voor (een deel van) een team" in html


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ends_at": "2026-04-14T12:00"}, "Het einde moet na het begin liggen."),
        (
            {"starts_at": "2027-04-14T13:00", "ends_at": "2027-04-14T16:00"},
            "Het dagdeel moet binnen de looptijd van het traject vallen.",
        ),
    ],
)
def test_bad_half_day_rejected_in_dutch(world, client_for, change, message):
    response = client_for(world.coach).post(
        f"/trajecten/{world.trajectory.pk}/planning/nieuw/", {**GOOD_HALF_DAY, **change}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not HalfDay.objects.exists()


def test_champion_adds_learning_outcomes(world, planned, client_for):
    client = client_for(world.champion)
    url = f"/trajecten/{world.trajectory.pk}/planning/{planned.pk}/leeropbrengsten/"
    assert client.post(url, {"learning_outcomes": "Mentoren zien hun rol"}).status_code == 302
    planned.refresh_from_db()
    assert planned.learning_outcomes == "Mentoren zien hun rol"


def test_managers_and_staff_do_not_read_the_teams_learning_outcomes(world, planned, client_for):
    """F6 of the security review: the learning outcomes are what the team said (research
    data the champion collects); the plan shows them to the team, never to a manager."""
    planned.learning_outcomes = "Mentoren zien hun rol ZQXOUTCOME"
    planned.save(update_fields=["learning_outcomes"])
    url = f"/trajecten/{world.trajectory.pk}/planning/"
    for persona, reads in {
        "coach": True,
        "researcher": True,
        "champion": True,
        "buddy": True,
        "manager": False,
        "staff": False,
    }.items():
        response = client_for(world.users[persona]).get(url)
        assert response.status_code == 200, persona
        page = response.content.decode()
        assert ("ZQXOUTCOME" in page) is reads, persona
        assert planned.title in page, persona  # the plan itself is still shown


def test_half_day_of_another_trajectory_is_404(world, client_for):
    foreign = HalfDayFactory(trajectory=world.other)
    url = f"/trajecten/{world.trajectory.pk}/planning/{foreign.pk}/"
    assert client_for(world.coach).get(url).status_code == 404


# --- phase 1 pages --------------------------------------------------------------------


def test_recruitment_log_and_factor(world, client_for):
    world.trajectory.phase = Phase.RECRUITMENT
    world.trajectory.save()
    client = client_for(world.researcher)
    t = world.trajectory.pk
    response = client.post(
        f"/trajecten/{t}/werving/",
        {
            "date": "2026-01-20",
            "kind": "meeting",
            "people": "aanjager, directie",
            "notes": "Kennismaking",
            "is_introductory": "on",
        },
    )
    assert response.status_code == 302
    assert RecruitmentContact.objects.get().is_introductory
    client.post(
        f"/trajecten/{t}/besluit/", {"decision-is_yes": "1", "decision-decided_on": "2026-02-01"}
    )
    response = client.post(
        f"/trajecten/{t}/besluit/factor/",
        {"factor-category": "champion", "factor-is_helping": "0", "factor-free_text": ""},
    )
    assert response.status_code == 400
    assert "Kies een factor uit de lijst of beschrijf er een." in response.content.decode()
    client.post(
        f"/trajecten/{t}/besluit/factor/",
        {"factor-category": "champion", "factor-is_helping": "1", "factor-free_text": "Draagvlak"},
    )
    html = client.get(f"/trajecten/{t}/besluit/").content.decode()
    assert "Draagvlak" in html


def test_interview_saved(world, client_for):
    client = client_for(world.coach)
    client.post(
        f"/trajecten/{world.trajectory.pk}/interview/",
        {"run_up": "Vlot", "helped": "Enthousiaste aanjager", "hindered": "", "decisive": "Timing"},
    )
    assert world.trajectory.coach_interview.helped == "Enthousiaste aanjager"


def test_signing_flow_and_twice_refused(world, client_for):
    agreement = StartAgreementFactory(trajectory=world.trajectory)
    url = f"/trajecten/{world.trajectory.pk}/startdocument/ondertekenen/"
    client_for(world.researcher).post(url, {"party": "research_team"})
    client_for(world.champion).post(url, {"party": "champion"})
    response = client_for(world.champion).post(url, {"party": "champion"}, follow=True)
    assert "Deze partij heeft deze versie al ondertekend." in response.content.decode()
    client_for(world.manager).post(url, {"party": "management"})
    assert agreement.signatures.count() == 3
    html = (
        client_for(world.manager)
        .get(f"/trajecten/{world.trajectory.pk}/startdocument/")
        .content.decode()
    )
    assert "vergrendeld" in html


def test_assign_champion_and_buddy(world, client_for):
    client = client_for(world.coach)
    response = client.post(
        f"/trajecten/{world.trajectory.pk}/mensen/",
        {
            "role": "champion",
            "email": "Tweede.Aanjager@school.test",
            "first_name": "Lotte",
            "last_name": "Bakker",
            "is_alumnus": "on",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="tweede.aanjager@school.test")
    assert membership.role == Role.CHAMPION and membership.is_alumnus
    assert Membership.objects.filter(trajectory=world.trajectory, role=Role.CHAMPION).count() == 2


# --- hours -----------------------------------------------------------------------------


def test_hours_page_totals_and_warnings(world, client_for):
    client = client_for(world.coach)
    url = f"/trajecten/{world.trajectory.pk}/uren/"
    # At most a working day per entry: 33 hours are four days of 8 and one of 1.
    for day, hours in ((1, "8"), (2, "8"), (3, "8"), (4, "8"), (5, "1")):
        client.post(
            url,
            {"entry-date": f"2026-03-0{day + 1}", "entry-activity": "preparation",
             "entry-hours": hours},
        )
    assert HourEntry.objects.count() == 5
    html = client.get(url).content.decode()
    assert "Let op: 80 % van het urenbudget is gebruikt." in html
    client.post(url, {"entry-date": "2026-03-09", "entry-activity": "half_day", "entry-hours": "7"})
    html = client.get(url).content.decode()
    assert "Het urenbudget is op." in html
    client.post(url, {"extra-hours": "10", "extra-reason": "Extra dagdeel voor de bovenbouw"})
    html = client.get(url).content.decode()
    assert "40 van 50 uur gebruikt (80 %)" in html


def test_negative_hours_rejected(world, client_for):
    response = client_for(world.coach).post(
        f"/trajecten/{world.trajectory.pk}/uren/",
        {"entry-date": "2026-03-01", "entry-activity": "mail", "entry-hours": "-1"},
    )
    assert response.status_code == 400
    assert "Het aantal uren moet meer dan nul zijn." in response.content.decode()
    assert not HourEntry.objects.exists()


# --- calendar and feed ---------------------------------------------------------------


def test_ics_feed_content_and_revocation(world, client_for, client):
    soon = timezone.localtime() + timedelta(days=10)
    HalfDayFactory(
        trajectory=world.trajectory,
        title="Startdialoog",
        starts_at=soon.replace(hour=13, minute=30, second=0, microsecond=0),
        ends_at=soon.replace(hour=16, minute=0, second=0, microsecond=0),
        is_start_dialogue=True,
    )
    coach = client_for(world.coach)
    coach.post("/trajecten/kalender/koppeling/")
    feed = CalendarFeed.objects.get(user=world.coach)
    html = coach.get("/trajecten/kalender/").content.decode()
    assert f"/trajecten/agenda/{feed.token}.ics" in html
    response = client.get(f"/trajecten/agenda/{feed.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VCALENDAR" in body and "BEGIN:VEVENT" in body
    assert "Startdialoog — Het Baken College" in body
    assert f"DTSTART;TZID=Europe/Amsterdam:{soon:%Y%m%d}T133000" in body
    assert "ROC De Delta" not in body
    coach.post("/trajecten/kalender/koppeling/intrekken/")
    assert client.get(f"/trajecten/agenda/{feed.token}.ics").status_code == 404
    assert client.get("/trajecten/agenda/onzin.ics").status_code == 404


def _grow(world, trajectories, per_trajectory):
    for n in range(trajectories):
        trajectory = TrajectoryFactory(study=world.study)
        MembershipFactory(trajectory=trajectory, user=world.coach, role=Role.COACH)
        for day in range(per_trajectory):
            HalfDayFactory(
                trajectory=trajectory,
                starts_at=datetime(2026, 3 + day, 1 + n, 13, 0, tzinfo=AMS),
                ends_at=datetime(2026, 3 + day, 1 + n, 16, 0, tzinfo=AMS),
            )


def test_calendar_query_count_does_not_grow(world, planned, client_for, django_assert_num_queries):
    client = client_for(world.coach)
    url = "/trajecten/kalender/?maand=2026-03"
    client.get(url)  # warm up session and caches

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    before = count()
    _grow(world, trajectories=4, per_trajectory=3)
    after = count()
    assert before == after
    with django_assert_num_queries(before):
        client.get(url)


def test_calendar_shows_one_month_a_page_at_a_time(world, client_for):
    """However many trajectories a coach has, a calendar page renders one month
    and at most `CALENDAR_PAGE_SIZE` half-days."""
    for n in range(CALENDAR_PAGE_SIZE + 20):
        trajectory = TrajectoryFactory(study=world.study)
        MembershipFactory(trajectory=trajectory, user=world.coach, role=Role.COACH)
        HalfDayFactory(
            trajectory=trajectory,
            starts_at=datetime(2026, 10, 1 + n % 28, 9, 0, tzinfo=AMS),
            ends_at=datetime(2026, 10, 1 + n % 28, 12, 0, tzinfo=AMS),
        )
        HalfDayFactory(  # another month: never on October's page
            trajectory=trajectory,
            title="Terugkomdag november",
            starts_at=datetime(2026, 11, 3, 9, 0, tzinfo=AMS),
            ends_at=datetime(2026, 11, 3, 12, 0, tzinfo=AMS),
        )
    client = client_for(world.coach)
    first = client.get("/trajecten/kalender/?maand=2026-10").content.decode()
    assert first.count('class="calendar-half-day"') == CALENDAR_PAGE_SIZE
    assert "Terugkomdag november" not in first
    assert f"{CALENDAR_PAGE_SIZE + 20} dagdelen deze maand." in first
    assert "Pagina 1 van 2" in first
    second = client.get("/trajecten/kalender/?maand=2026-10&page=2").content.decode()
    assert second.count('class="calendar-half-day"') == 20
    november = client.get("/trajecten/kalender/?maand=2026-11").content.decode()
    assert november.count("Terugkomdag november") == CALENDAR_PAGE_SIZE
    assert "?maand=2026-10" in november and "?maand=2026-12" in november


@pytest.mark.parametrize("value", ["", "2026-13", "onzin", "1-1-1", "99999-01", "2026-"])
def test_calendar_month_parameter_falls_back_to_this_month(world, client_for, value):
    response = client_for(world.coach).get("/trajecten/kalender/", {"maand": value})
    assert response.status_code == 200
    this_month = date_format(timezone.localdate(), "F Y")
    assert this_month in response.content.decode()


def test_calendar_feed_covers_a_bounded_range(world, client_for, client):
    today = timezone.localdate()
    for title, offset in [
        ("Lang geleden", -(FEED_DAYS_BACK + 5)),
        ("Vorige maand", -30),
        ("Volgend jaar", FEED_DAYS_AHEAD - 5),
        ("Ver weg", FEED_DAYS_AHEAD + 5),
    ]:
        day = datetime.combine(today + timedelta(days=offset), time(9, 0), tzinfo=AMS)
        HalfDayFactory(
            trajectory=world.trajectory,
            title=title,
            starts_at=day,
            ends_at=day + timedelta(hours=3),
        )
    client_for(world.coach).post("/trajecten/kalender/koppeling/")
    feed = CalendarFeed.objects.get(user=world.coach)
    body = client.get(f"/trajecten/agenda/{feed.token}.ics").content.decode()
    assert "Vorige maand" in body and "Volgend jaar" in body
    assert "Lang geleden" not in body and "Ver weg" not in body


def test_plan_and_trajectory_page_query_count_does_not_grow(world, planned, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.coach)

    def count(url):
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    urls = [f"/trajecten/{world.trajectory.pk}/planning/", f"/trajecten/{world.trajectory.pk}/"]
    before = [count(url) for url in urls]
    for day in range(6):
        HalfDayFactory(
            trajectory=world.trajectory,
            starts_at=datetime(2026, 4, 1 + day, 13, 0, tzinfo=AMS),
            ends_at=datetime(2026, 4, 1 + day, 16, 0, tzinfo=AMS),
        )
    assert [count(url) for url in urls] == before


def test_calendar_shows_summer_pause(world, client_for):
    HalfDayFactory(
        trajectory=world.trajectory,
        starts_at=datetime(2026, 6, 20, 13, 0, tzinfo=AMS),
        ends_at=datetime(2026, 6, 20, 16, 0, tzinfo=AMS),
    )
    client = client_for(world.coach)
    july = client.get("/trajecten/kalender/?maand=2026-07").content.decode()
    assert "juli 2026" in july and "Zomerstop" in july
    june = client.get("/trajecten/kalender/?maand=2026-06").content.decode()
    assert "Zomerstop" not in june
    assert "20 jun" in june.lower()


AGREEMENT_FORM = {
    "facilitation_hours": "3",
    "facilitation_period": "per week",
    "support": "Vrije middag",
    "coach_hours_budget": "45",
    "min_half_days": "6",
    "duties": ["logbook", "harvest"],
    "sub_goals": "Loopbaangesprek in elk leerjaar",
}


def test_editing_a_locked_agreement_makes_a_new_version(world, client_for):
    from tests.trajectories.factories import sign_all

    locked = sign_all(StartAgreementFactory(trajectory=world.trajectory))
    client = client_for(world.coach)
    url = f"/trajecten/{world.trajectory.pk}/startdocument/bewerken/"
    assert client.post(url, AGREEMENT_FORM).status_code == 302
    versions = list(world.trajectory.start_agreements.order_by("version"))
    assert [a.version for a in versions] == [1, 2]
    assert versions[0].coach_hours_budget == locked.coach_hours_budget
    assert versions[1].coach_hours_budget == 45 and versions[1].duties == ["logbook", "harvest"]
    html = client.get(f"/trajecten/{world.trajectory.pk}/startdocument/").content.decode()
    assert "Versie 2" in html and "Loopbaangesprek in elk leerjaar" in html


def test_agreement_with_negative_facilitation_rejected(world, client_for):
    response = client_for(world.coach).post(
        f"/trajecten/{world.trajectory.pk}/startdocument/bewerken/",
        {**AGREEMENT_FORM, "facilitation_hours": "-1"},
    )
    assert response.status_code == 200
    assert "Zorg ervoor dat deze waarde minstens 0 is." in response.content.decode()
    assert not world.trajectory.start_agreements.exists()


def test_contact_person_added_and_bad_contact_rejected(world, client_for):
    from trajectories.models import ContactPerson

    client = client_for(world.coach)
    url = f"/trajecten/{world.trajectory.pk}/werving/"
    response = client.post(
        url, {"person-name": "Ilse Kramer", "person-function": "teamleider", "person-email": ""}
    )
    assert response.status_code == 302
    assert ContactPerson.objects.get().organisation == world.organisation
    response = client.post(url, {"date": "", "kind": "fax", "people": "x"})
    assert response.status_code == 400
    assert "Dit veld is verplicht." in response.content.decode()
    assert not RecruitmentContact.objects.exists()
    assert "Ilse Kramer" in client.get(url).content.decode()
