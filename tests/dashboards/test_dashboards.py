"""Manager dashboard, one trajectory's dashboard and the coach/researcher overview:
who may open them, what figures they show, sorting and query counts."""

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from dashboards import selectors as dashboards
from dialogues.models import HarvestReport, ReportStatus
from tests.dialogues.factories import DialogueSessionFactory
from tests.factories import (
    HalfDayFactory,
    MembershipFactory,
    OrganisationFactory,
    TrajectoryFactory,
    UserFactory,
)
from tests.logbooks.factories import EntryFactory
from tests.trajectories.factories import (
    DecisionFactory,
    HourEntryFactory,
    StartAgreementFactory,
    sign_all,
)
from trajectories import selectors
from trajectories.models import (
    BudgetExtension,
    ClosingInterview,
    ClosingMeeting,
    GoalProgress,
    GoalSource,
    GoalStatus,
    InterviewStatus,
    MissedReason,
    Phase,
    Role,
)

MANAGER_URL = reverse("dashboards:manager")
OVERVIEW_URL = reverse("dashboards:overview")


def _trajectory_url(trajectory):
    return reverse("dashboards:trajectory", args=[trajectory.pk])


# --- access ----------------------------------------------------------------------

MANAGER_PAGE = {
    "manager": 200,
    "coach": 302,
    "researcher": 302,
    "independent": 302,
    "champion": 403,
    "buddy": 403,
    "participant": 403,
    "outsider": 403,
    "staff": 403,
}
OVERVIEW_PAGE = {
    "coach": 200,
    "researcher": 200,
    "independent": 200,
    "manager": 403,
    "champion": 403,
    "buddy": 403,
    "participant": 403,
    "outsider": 403,
    "staff": 403,
}
TRAJECTORY_PAGE = {
    "coach": 200,
    "researcher": 200,
    "independent": 200,
    "manager": 200,
    "champion": 200,
    "buddy": 200,
    "participant": 403,
    "staff": 403,
    "outsider": 404,
}


@pytest.mark.parametrize("persona", sorted(MANAGER_PAGE))
def test_manager_dashboard_is_for_managers(world, client_for, persona):
    response = client_for(world.users[persona]).get(MANAGER_URL)
    assert response.status_code == MANAGER_PAGE[persona]
    if response.status_code == 302:
        # The research team lands on their own overview instead.
        assert response["Location"] == OVERVIEW_URL


@pytest.mark.parametrize("persona", sorted(OVERVIEW_PAGE))
def test_overview_is_for_coaches_and_researchers(world, client_for, persona):
    response = client_for(world.users[persona]).get(OVERVIEW_URL)
    assert response.status_code == OVERVIEW_PAGE[persona]


@pytest.mark.parametrize("persona", sorted(TRAJECTORY_PAGE))
def test_trajectory_dashboard_follows_view_progress(world, client_for, persona):
    response = client_for(world.users[persona]).get(_trajectory_url(world.trajectory))
    assert response.status_code == TRAJECTORY_PAGE[persona]


@pytest.mark.parametrize("url_name", ["manager", "overview", "trajectory"])
def test_anonymous_visitors_are_sent_to_the_login_page(world, client, url_name):
    args = [world.trajectory.pk] if url_name == "trajectory" else []
    response = client.get(reverse(f"dashboards:{url_name}", args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_dashboards_refuse_post(world, client_for):
    assert client_for(world.manager).post(MANAGER_URL).status_code == 405


def test_manager_of_another_organisation_sees_nothing_of_this_one(world, client_for):
    other_manager = UserFactory()
    MembershipFactory(trajectory=world.other, user=other_manager, role=Role.MANAGER)
    client = client_for(other_manager)
    page = client.get(MANAGER_URL).content.decode()
    assert world.other_organisation.name in page
    assert world.organisation.name not in page
    assert f'data-trajectory="{world.trajectory.pk}"' not in page
    assert client.get(_trajectory_url(world.trajectory)).status_code == 404


def test_manager_sees_every_trajectory_they_manage_and_only_those(world, client_for):
    second = TrajectoryFactory(organisation=OrganisationFactory(name="Vakcollege Noord"))
    MembershipFactory(trajectory=second, user=world.manager, role=Role.MANAGER)
    TrajectoryFactory(organisation=OrganisationFactory(name="Lyceum Zuid"))
    page = client_for(world.manager).get(MANAGER_URL).content.decode()
    assert world.organisation.name in page
    assert "Vakcollege Noord" in page
    assert "Lyceum Zuid" not in page
    assert world.other_organisation.name not in page


def test_overview_lists_only_the_users_own_trajectories(world, client_for):
    foreign = TrajectoryFactory(
        study=world.study, organisation=OrganisationFactory(name="Lyceum Zuid")
    )
    page = client_for(world.researcher).get(OVERVIEW_URL).content.decode()
    assert world.organisation.name in page
    assert world.other_organisation.name not in page  # the researcher has no role there
    assert "Lyceum Zuid" not in page
    coach_page = client_for(world.coach).get(OVERVIEW_URL).content.decode()
    assert world.other_organisation.name in coach_page
    assert f'data-trajectory="{foreign.pk}"' not in coach_page


def test_independent_researcher_sees_the_trajectories_they_interview_in(world, client_for):
    client = client_for(world.independent)
    assert world.organisation.name not in client.get(OVERVIEW_URL).content.decode()
    ClosingInterview.objects.create(
        trajectory=world.trajectory,
        interviewee=world.champion,
        interviewee_role=Role.CHAMPION,
        interviewer=world.independent,
    )
    assert world.organisation.name in client.get(OVERVIEW_URL).content.decode()


# --- figures -----------------------------------------------------------------------


def _figures(trajectory, **kwargs):
    return dashboards.figures_for([trajectory], **kwargs)[0]


def test_half_days_are_counted_held_and_planned_against_the_agreed_minimum(world):
    now = timezone.now()
    StartAgreementFactory(trajectory=world.trajectory, min_half_days=6)
    for days in (-30, -10, 5):
        HalfDayFactory(trajectory=world.trajectory, starts_at=now + timedelta(days=days))
    item = _figures(world.trajectory)
    assert (item.half_days_held, item.half_days_planned, item.min_half_days) == (2, 1, 6)
    assert "half_days" in item.needs_action  # 3 held or planned, 6 agreed


def test_hours_use_the_newest_agreement_and_extensions(world):
    StartAgreementFactory(trajectory=world.trajectory, version=1, coach_hours_budget=40)
    StartAgreementFactory(trajectory=world.trajectory, version=2, coach_hours_budget=30)
    HourEntryFactory(trajectory=world.trajectory, user=world.coach, hours=Decimal("20"))
    HourEntryFactory(trajectory=world.trajectory, user=world.coach, hours=Decimal("9.5"))
    BudgetExtension.objects.create(trajectory=world.trajectory, hours=5, reason="Extra dagdeel")
    item = _figures(world.trajectory)
    assert item.hours.budget == 30
    assert item.hours.used == Decimal("29.5")
    assert item.hours.total_budget == 35
    assert item.hours.percent == 84
    assert "hours_warning" in item.needs_action
    # The same figures the hours page shows.
    assert item.hours == selectors.hours_summary(world.trajectory)


def test_logbook_rhythm_counts_weeks_only_where_enough_people_wrote(world, settings):
    settings.DASHBOARD_MIN_WEEKLY_AUTHORS = 3
    today = timezone.localdate()
    this_monday = today - timedelta(days=today.weekday())
    last_week = (this_monday - timedelta(weeks=1)).isocalendar()
    two_weeks_ago = (this_monday - timedelta(weeks=2)).isocalendar()
    for author, role, (year, week, _day) in [
        (world.champion, Role.CHAMPION, last_week),
        (world.buddy, Role.BUDDY, last_week),
        (world.coach, Role.COACH, last_week),
        (world.champion, Role.CHAMPION, two_weeks_ago),
        (world.coach, Role.COACH, two_weeks_ago),
    ]:
        EntryFactory(
            trajectory=world.trajectory,
            author=author,
            author_role=role,
            iso_year=year,
            iso_week=week,
        )
    EntryFactory(  # a draft does not count
        trajectory=world.trajectory,
        author=world.buddy,
        author_role=Role.BUDDY,
        iso_year=two_weeks_ago[0],
        iso_week=two_weeks_ago[1],
        status="draft",
        submitted_at=None,
    )
    item = _figures(world.trajectory)
    assert len(item.rhythm_weeks) == dashboards.RHYTHM_WEEKS
    assert item.rhythm_weeks[-1] == today.isocalendar()[:2]
    # All writers together, never per role: last week three people wrote (shown);
    # two weeks ago two (hidden, the draft does not count); this week nobody.
    assert item.rhythm[-3:] == [None, 3, None]
    assert item.rhythm_hidden_weeks == dashboards.RHYTHM_WEEKS - 1
    assert item.rhythm_series == [("Alle schrijvers", [0] * (dashboards.RHYTHM_WEEKS - 2) + [3, 0])]
    settings.DASHBOARD_MIN_WEEKLY_AUTHORS = 2
    assert _figures(world.trajectory).rhythm[-3:] == [2, 3, None]
    # Three writers (coach, champion, buddy) over the last complete weeks (the
    # trajectory started long ago); five of their entries were submitted.
    assert item.expected_logbook_weeks == 3 * dashboards.MISSING_WINDOW_WEEKS
    assert item.missing_logbook_weeks == 3 * dashboards.MISSING_WINDOW_WEEKS - 5
    assert "missing_logbook" in item.needs_action


def test_a_manager_reads_no_weekly_figure_of_a_trajectory_with_one_champion(world, client_for):
    """A role is often one person: with one champion writing every week the manager sees
    neither a count per role nor a count per week, only that too few people wrote."""
    today = timezone.localdate()
    this_monday = today - timedelta(days=today.weekday())
    for weeks_back in (1, 2, 4, 5):
        year, week, _day = (this_monday - timedelta(weeks=weeks_back)).isocalendar()
        EntryFactory(
            trajectory=world.trajectory,
            author=world.champion,
            author_role=Role.CHAMPION,
            iso_year=year,
            iso_week=week,
        )
    with translation.override("nl"):
        page = client_for(world.manager).get(_trajectory_url(world.trajectory)).content.decode()
    rhythm = page[page.index('id="rhythm-') : page.index('id="goals-')]
    assert "Te weinig schrijvers om per week te tonen." in rhythm
    table = rhythm[rhythm.index("<table") : rhythm.index("</table>")]
    cells = re.findall(r"<td>(.*?)</td>", table)
    assert len(cells) == dashboards.RHYTHM_WEEKS
    assert set(cells) == {"te weinig schrijvers om per week te tonen"}
    assert "Aanjager" not in rhythm and "aanjager" not in rhythm
    # The chart draws no column and its text names no week's count.
    chart = rhythm[rhythm.index("<svg") : rhythm.index("</svg>")]
    assert chart.count("<rect") == 1  # the legend's swatch
    desc = chart[chart.index("<desc") : chart.index("</desc>")]
    assert re.search(r"wk \d+: \d", desc) is None
    assert "12 weken: te weinig schrijvers" in desc


def test_missing_logbook_weeks_count_from_the_week_after_the_start_dialogue(world):
    today = timezone.localdate()
    three_weeks_ago = today - timedelta(days=today.weekday() + 21)
    HalfDayFactory(
        trajectory=world.trajectory,
        is_start_dialogue=True,
        starts_at=timezone.make_aware(
            datetime.combine(three_weeks_ago + timedelta(days=2), time(14))
        ),
    )
    item = _figures(world.trajectory)
    # The start dialogue's week does not count; the two complete weeks after it do.
    assert item.expected_logbook_weeks == 3 * 2
    assert item.missing_logbook_weeks == 3 * 2


def test_ended_trajectories_need_no_action(world):
    HourEntryFactory(trajectory=world.trajectory, user=world.coach, hours=Decimal("60"))
    world.trajectory.phase = Phase.FINISHED
    world.trajectory.save()
    item = _figures(world.trajectory)
    assert item.hours.level == "over"
    assert item.needs_action == []


def test_no_missing_logbook_weeks_outside_the_logbook_phases(world):
    world.trajectory.phase = Phase.CLOSING
    world.trajectory.save()
    item = _figures(world.trajectory)
    assert (item.expected_logbook_weeks, item.missing_logbook_weeks) == (0, 0)


def test_harvest_report_status_and_pending_approvals(world):
    past = timezone.now() - timedelta(days=20)
    pending = DialogueSessionFactory(trajectory=world.trajectory, starts_at=past)
    HarvestReport.objects.create(session=pending, status=ReportStatus.PENDING)
    final = DialogueSessionFactory(trajectory=world.trajectory, starts_at=past + timedelta(days=5))
    HarvestReport.objects.create(session=final, status=ReportStatus.FINAL)
    DialogueSessionFactory(trajectory=world.trajectory, starts_at=past + timedelta(days=6))
    item = _figures(world.trajectory)
    assert [report.status for report in item.harvest_reports] == ["pending", "final", ""]
    assert item.pending_approvals == 1
    assert "approvals" in item.needs_action


def test_upcoming_dates_are_kinds_and_dates_only(world):
    now = timezone.now()
    HalfDayFactory(
        trajectory=world.trajectory, starts_at=now + timedelta(days=3), title="Geheime titel"
    )
    DialogueSessionFactory(trajectory=world.trajectory, starts_at=now + timedelta(days=4))
    ClosingMeeting.objects.create(
        trajectory=world.trajectory, held_on=timezone.localdate() + timedelta(days=20)
    )
    ClosingInterview.objects.create(
        trajectory=world.trajectory,
        interviewee=world.buddy,
        interviewee_role=Role.BUDDY,
        interviewer=world.independent,
        planned_at=now + timedelta(days=10),
        place="Kamer 12",
    )
    with translation.override("en"):
        item = _figures(world.trajectory)
    kinds = [upcoming.kind for upcoming in item.upcoming]
    assert kinds == ["Half-day", "Start dialogue", "Closing interview", "Closing meeting"]
    assert not any("Geheime" in kind or "Kamer" in kind for kind in kinds)


def test_closing_interviews_to_plan_and_missed_are_counted_in_the_closing_phase(world):
    world.trajectory.phase = Phase.CLOSING
    world.trajectory.save()
    ClosingInterview.objects.create(
        trajectory=world.trajectory, interviewee=world.champion, interviewee_role=Role.CHAMPION
    )  # no interviewer yet: still to plan
    ClosingInterview.objects.create(
        trajectory=world.trajectory,
        interviewee=world.buddy,
        interviewee_role=Role.BUDDY,
        interviewer=world.independent,
        status=InterviewStatus.MISSED,
        missed_reason=MissedReason.CHANGE_OF_JOB,
    )
    item = _figures(world.trajectory)
    # The champion's interview has no interviewer; the manager has no interview at all.
    assert item.interviews_to_plan == 2
    assert item.closing.missed == 1
    assert "interviews" in item.needs_action


def test_goal_progress_reaches_the_dashboard_as_tracks_and_a_chart(world, client_for):
    StartAgreementFactory(trajectory=world.trajectory, sub_goals="")
    GoalStatus.objects.create(
        trajectory=world.trajectory,
        goal=1,
        source=GoalSource.START_AGREEMENT,
        recorded_on=date(2026, 2, 1),
        status="not_started",
    )
    GoalStatus.objects.create(
        trajectory=world.trajectory,
        goal=1,
        source=GoalSource.INTERIM_EVALUATION,
        half_day=HalfDayFactory(trajectory=world.trajectory),
        recorded_on=date(2026, 6, 1),
        status="partly",
    )
    item = _figures(world.trajectory)
    assert [point.status for point in item.goal_tracks[0].points] == ["not_started", "partly"]
    page = client_for(world.manager).get(MANAGER_URL).content.decode()
    timeline = re.search(r"<svg[^>]*chart-timeline.*?</svg>", page, re.S).group(0)
    assert timeline.count("<circle") == 2
    with translation.override("nl"):
        partly = str(GoalProgress.PARTLY.label)
    assert f"1 juni 2026: {partly}" in page  # the table alternative


@pytest.mark.parametrize(
    "phase,setup",
    [
        (Phase.RECRUITMENT, "nothing"),
        (Phase.RECRUITMENT, "no"),
        (Phase.RECRUITMENT, "yes"),
        (Phase.RECRUITMENT, "yes_agreement"),
        (Phase.RECRUITMENT, "yes_signed"),
        (Phase.START_DIALOGUE, "nothing"),
        (Phase.CUSTOM, "nothing"),
        (Phase.CUSTOM, "half_days"),
        (Phase.CLOSING, "nothing"),
        (Phase.FINISHED, "nothing"),
    ],
)
def test_next_step_agrees_with_the_trajectory_page(world, phase, setup):
    trajectory = world.trajectory
    trajectory.phase = phase
    trajectory.save()
    if setup.startswith("yes"):
        DecisionFactory(trajectory=trajectory, is_yes=True)
    if setup == "no":
        DecisionFactory(trajectory=trajectory, is_yes=False)
    if setup in ("yes_agreement", "yes_signed"):
        agreement = StartAgreementFactory(trajectory=trajectory)
        if setup == "yes_signed":
            sign_all(agreement)
    if setup == "half_days":
        now = timezone.now()
        HalfDayFactory(trajectory=trajectory, starts_at=now, is_start_dialogue=True)
        HalfDayFactory(trajectory=trajectory, starts_at=now + timedelta(days=30))
    assert _figures(trajectory).next_step == selectors.next_step(trajectory)


# --- pages -------------------------------------------------------------------------


def test_manager_dashboard_shows_charts_with_text_alternatives(world, client_for):
    page = client_for(world.manager).get(MANAGER_URL).content.decode()
    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(svgs) == 4  # half-days, hours, logbook rhythm, goal progress
    for svg in svgs:
        title_id, desc_id = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
        assert f'<title id="{title_id}">' in svg and f'<desc id="{desc_id}">' in svg
        assert 'role="img"' in svg
    assert page.count('<details class="chart-table">') == 4
    assert "css/dashboard.css" in page
    assert ' style="' not in page


def test_manager_landing_page_leads_to_the_dashboard(world, client_for):
    page = client_for(world.manager).get(reverse("home")).content.decode()
    assert f'id="landing-dashboard" href="{MANAGER_URL}"' in page


@pytest.mark.parametrize(
    "persona,visible", [("manager", True), ("coach", True), ("champion", False)]
)
def test_navigation_shows_dashboard_to_managers_and_the_team(world, client_for, persona, visible):
    page = client_for(world.users[persona]).get(reverse("home")).content.decode()
    assert (f'class="nav-link" href="{MANAGER_URL}"' in page) is visible


def _overview_rows(page):
    return [int(pk) for pk in re.findall(r'<tr data-trajectory="(\d+)"', page)]


def test_overview_puts_trajectories_that_need_action_first(world, client_for):
    calm = world.other  # the coach's other trajectory; nothing to do there
    busy = world.trajectory
    HourEntryFactory(trajectory=busy, user=world.coach, hours=Decimal("45"))
    world.other_organisation.name = "AAA eerste op naam"
    world.other_organisation.save()
    page = client_for(world.coach).get(OVERVIEW_URL).content.decode()
    assert _overview_rows(page)[0] == busy.pk
    assert 'data-sort-key="action"' in page
    assert re.search(r'aria-sort="descending" data-sort-key="action"', page)
    assert calm.pk in _overview_rows(page)


def test_overview_sorts_by_a_whitelisted_column_with_aria_sort(world, client_for):
    client = client_for(world.coach)
    by_name = client.get(OVERVIEW_URL, {"sort": "organisation"}).content.decode()
    assert _overview_rows(by_name) == [world.trajectory.pk, world.other.pk]  # Baken < Delta
    assert re.search(r'aria-sort="ascending" data-sort-key="organisation"', by_name)
    assert by_name.count("aria-sort=") == 1
    reverse_name = client.get(OVERVIEW_URL, {"sort": "-organisation"}).content.decode()
    assert _overview_rows(reverse_name) == [world.other.pk, world.trajectory.pk]
    # The current column's link reverses the order.
    assert 'href="?sort=-organisation"' in by_name
    # Anything else falls back to "needs action first" instead of failing.
    crafted = client.get(OVERVIEW_URL, {"sort": "organisation__name; drop"})
    assert crafted.status_code == 200
    assert re.search(r'aria-sort="descending" data-sort-key="action"', crafted.content.decode())


def test_overview_search_keeps_the_sort(world, client_for):
    page = client_for(world.coach).get(OVERVIEW_URL, {"q": "delta", "sort": "hours"})
    html = page.content.decode()
    assert _overview_rows(html) == [world.other.pk]
    assert 'href="?q=delta&amp;sort=-hours"' in html


def test_parse_sort_only_accepts_whitelisted_keys():
    assert dashboards.parse_sort("hours") == ("hours", False)
    assert dashboards.parse_sort("-missing") == ("missing", True)
    assert dashboards.parse_sort("--hours") == ("action", True)
    assert dashboards.parse_sort("id") == ("action", True)
    assert dashboards.parse_sort(None) == ("action", True)


# --- query counts (the demo-scale comparison is in test_dashboards_scale.py) --------


def _busy_trajectory(study, coach, manager=None):
    trajectory = TrajectoryFactory(study=study)
    MembershipFactory(trajectory=trajectory, user=coach, role=Role.COACH)
    champion = UserFactory()
    MembershipFactory(trajectory=trajectory, user=champion, role=Role.CHAMPION)
    if manager is not None:
        MembershipFactory(trajectory=trajectory, user=manager, role=Role.MANAGER)
    now = timezone.now()
    StartAgreementFactory(trajectory=trajectory)
    HalfDayFactory(trajectory=trajectory, starts_at=now - timedelta(days=9), is_start_dialogue=True)
    HalfDayFactory(trajectory=trajectory, starts_at=now + timedelta(days=9))
    HourEntryFactory(trajectory=trajectory, user=coach)
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday() + 7)
    year, week, _day = monday.isocalendar()
    EntryFactory(trajectory=trajectory, author=champion, iso_year=year, iso_week=week)
    session = DialogueSessionFactory(trajectory=trajectory, starts_at=now - timedelta(days=9))
    HarvestReport.objects.create(session=session, status=ReportStatus.PENDING)
    GoalStatus.objects.create(
        trajectory=trajectory,
        goal=2,
        source=GoalSource.START_AGREEMENT,
        recorded_on=date(2026, 2, 1),
        status="not_started",
    )
    ClosingInterview.objects.create(
        trajectory=trajectory, interviewee=champion, interviewee_role=Role.CHAMPION
    )
    return trajectory


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_cost_the_same_number_of_queries_with_more_data(world, client_for):
    manager_client = client_for(world.manager)
    coach_client = client_for(world.coach)
    _busy_trajectory(world.study, world.coach, world.manager)
    counts = {
        url: _count_queries(client, url)
        for client, url in [
            (manager_client, MANAGER_URL),
            (coach_client, OVERVIEW_URL),
            (coach_client, _trajectory_url(world.trajectory)),
        ]
    }
    for _n in range(4):
        _busy_trajectory(world.study, world.coach, world.manager)
    for client, url in [
        (manager_client, MANAGER_URL),
        (coach_client, OVERVIEW_URL),
        (coach_client, _trajectory_url(world.trajectory)),
    ]:
        assert _count_queries(client, url) == counts[url], url


def test_figures_cost_a_fixed_number_of_queries(world, django_assert_num_queries):
    trajectories = [_busy_trajectory(world.study, world.coach) for _n in range(3)]
    with django_assert_num_queries(dashboards.FIGURES_QUERIES):
        items = dashboards.figures_for(trajectories)
    assert len(items) == 3
    assert all(item.pending_approvals == 1 for item in items)
    with django_assert_num_queries(dashboards.FIGURES_QUERIES - dashboards.GOAL_QUERIES):
        items = dashboards.figures_for(trajectories, goals=False)
    assert all(item.goal_tracks == [] for item in items)


def test_dashboard_queries_never_select_a_private_text_column(world, client_for):
    """Defence in depth: the figures are computed without ever loading text."""
    from django.apps import apps
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.dashboards.test_dashboards_privacy import PRIVATE_TEXT

    _busy_trajectory(world.study, world.coach, world.manager)
    columns = []
    for model_label, fields in PRIVATE_TEXT.items():
        model = apps.get_model(model_label)
        for name in fields:
            column = model._meta.get_field(name).column
            columns.append(f'"{model._meta.db_table}"."{column}"')
    with CaptureQueriesContext(connection) as queries:
        for client, url in [
            (client_for(world.manager), MANAGER_URL),
            (client_for(world.coach), OVERVIEW_URL),
            (client_for(world.coach), _trajectory_url(world.trajectory)),
        ]:
            assert client.get(url).status_code == 200
    sql = "\n".join(query["sql"] for query in queries)
    assert "logbooks_entry" in sql  # the check looks at the right queries
    assert [column for column in columns if column in sql] == []
