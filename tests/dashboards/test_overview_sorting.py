"""The overview sorts and pages in the database.

Each sort key is an SQL annotation that repeats a rule of `figures_for`; the
tests below compare the two on every trajectory of the demo (all phases,
hours, logbooks, dialogues, closing interviews) and on hand-made edge cases,
and check that a page of the overview computes the figures of its own rows only.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dashboards import selectors as dashboards
from dashboards import services as overview_rows
from dashboards.models import OverviewRow
from dashboards.views import OVERVIEW_PAGE_SIZE
from tests.factories import HalfDayFactory, MembershipFactory, TrajectoryFactory, UserFactory
from tests.trajectories.factories import StartAgreementFactory
from trajectories.models import HourEntry, Phase, Role, Trajectory

pytestmark = pytest.mark.django_db

FIGURE_OF_KEY = {
    "hours": lambda item: item.hours.percent,
    "half_days": lambda item: item.half_days_held,
    "missing": lambda item: item.missing_logbook_weeks,
    "approvals": lambda item: item.pending_approvals,
    "interviews": lambda item: item.interviews_to_plan,
    "action": lambda item: len(item.needs_action),
    "phase": lambda item: item.phase_index,
}


def _sql_keys(trajectories, now):
    qs = dashboards.computed_sort_keys(trajectories, now=now)
    return {row["pk"]: row for row in qs.values("pk", *(f"sort_{key}" for key in FIGURE_OF_KEY))}


def _assert_same(trajectories, now):
    figures = {item.trajectory.pk: item for item in dashboards.figures_for(trajectories, now=now)}
    sql = _sql_keys(trajectories, now)
    assert set(sql) == set(figures)
    differences = [
        (pk, key, row[f"sort_{key}"], figure(figures[pk]))
        for pk, row in sql.items()
        for key, figure in FIGURE_OF_KEY.items()
        if row[f"sort_{key}"] != figure(figures[pk])
    ]
    assert differences == []
    return figures


def test_sort_keys_equal_the_figures_on_every_demo_trajectory(demo_world):
    now = timezone.now()
    figures = _assert_same(Trajectory.objects.all(), now)
    assert len(figures) >= 10
    # the demo exercises the keys: not all zero
    for key in ("hours", "half_days", "action", "missing", "interviews"):
        assert any(FIGURE_OF_KEY[key](item) for item in figures.values()), key
    # and a moment half a year later (half-days held, other weeks missing)
    _assert_same(Trajectory.objects.all(), now + timedelta(days=180))


def test_sort_keys_equal_the_figures_on_edge_cases(world):
    now = timezone.now()
    # no agreement: default budget of 40 hours, 39.5 used -> 98 %
    over = TrajectoryFactory(study=world.study, phase=Phase.CUSTOM)
    HourEntry.objects.create(
        trajectory=over,
        user=world.coach,
        date=timezone.localdate(now),
        activity="call",
        hours=Decimal("39.5"),
    )
    # an agreement of 6 half-days and two held in the custom phase
    short = TrajectoryFactory(study=world.study, phase=Phase.CUSTOM)
    StartAgreementFactory(trajectory=short, coach_hours_budget=20, min_half_days=6)
    for days in (30, 10):
        HalfDayFactory(trajectory=short, starts_at=now - timedelta(days=days))
    # a finished one never needs action
    TrajectoryFactory(study=world.study, phase=Phase.FINISHED)
    # closing phase, a champion and a manager without an interview
    closing = TrajectoryFactory(study=world.study, phase=Phase.CLOSING)
    for role in (Role.CHAMPION, Role.MANAGER):
        MembershipFactory(trajectory=closing, user=UserFactory(), role=role)
    figures = _assert_same(Trajectory.objects.all(), now)
    assert figures[over.pk].hours.percent == 98
    assert figures[closing.pk].interviews_to_plan == 2
    assert "half_days" in figures[short.pk].needs_action


@pytest.mark.parametrize("key", sorted(dashboards.SORT_KEYS))
@pytest.mark.parametrize("descending", [False, True])
def test_sql_order_is_the_figures_order(demo_world, key, descending):
    """Same order as sorting the figures in Python: by the key, ties by name A to Z."""
    now = timezone.now()
    overview_rows.refresh_all_stale(now)
    ordered = list(dashboards.sorted_overview(Trajectory.objects.all(), key, descending))
    figures = {item.trajectory.pk: item for item in dashboards.figures_for(ordered, now=now)}

    def value(trajectory):
        if key == "organisation":
            return trajectory.organisation.name.lower()
        return FIGURE_OF_KEY[key](figures[trajectory.pk])

    values = [value(trajectory) for trajectory in ordered]
    assert values == sorted(values, reverse=descending)
    for first, second in zip(ordered, ordered[1:], strict=False):
        if value(first) == value(second):
            assert first.organisation.name.lower() <= second.organisation.name.lower()


def test_a_page_of_the_overview_computes_only_its_own_rows(world, client_for):
    """With three pages of trajectories, a page renders 50 rows, and its query
    count is that of a page with 2 trajectories."""
    client = client_for(world.coach)
    url = reverse("dashboards:overview")

    def measure(page):
        with CaptureQueriesContext(connection) as context:
            response = client.get(url, {"page": page, "sort": "-hours"})
        assert response.status_code == 200
        return len(context.captured_queries), response.content.decode().count(
            "<tr data-trajectory="
        )

    client.get(url)
    small, small_rows = measure(1)
    for _n in range(2 * OVERVIEW_PAGE_SIZE + 10):
        trajectory = TrajectoryFactory(study=world.study, phase=Phase.CUSTOM)
        MembershipFactory(trajectory=trajectory, user=world.coach, role=Role.COACH)
    # 110 new trajectories: their rows are stale, and the first request brings 50 of them
    # up to date (two more queries: compute, write) and leaves the rest to the task.
    refreshing, _rows = measure(1)
    assert refreshing == small + 2
    assert OverviewRow.objects.filter(valid_until__lte=timezone.now()).count() == 60
    overview_rows.refresh_all_stale()
    large, rows = measure(1)
    _last, last_rows = measure(3)
    assert rows == OVERVIEW_PAGE_SIZE
    assert last_rows == small_rows + 2 * OVERVIEW_PAGE_SIZE + 10 - 2 * OVERVIEW_PAGE_SIZE
    assert large == small
