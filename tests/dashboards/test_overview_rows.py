"""The overview's stored sort keys (`OverviewRow`) stay equal to the figures computed on
the spot: after a change through a service, after one rolled back, and when the clock passes
a half-day's start."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dashboards import selectors as dashboards
from dashboards import services as overview_rows
from dashboards import tasks
from dashboards.models import OverviewRow
from tests.factories import HalfDayFactory, MembershipFactory, TrajectoryFactory
from trajectories.models import Phase, Role, Trajectory
from trajectories.services import hours as hours_services

pytestmark = pytest.mark.django_db


def _stored(trajectory):
    row = OverviewRow.objects.get(trajectory=trajectory)
    return {key: getattr(row, key) for key in OverviewRow.KEYS}


def _computed(trajectory, now=None):
    row = dashboards.computed_sort_keys(Trajectory.objects.filter(pk=trajectory.pk), now=now)
    return row.values(*(f"sort_{key}" for key in OverviewRow.KEYS)).get()


def _as_stored(computed):
    return {key.removeprefix("sort_"): value for key, value in computed.items()}


def test_a_new_trajectory_has_a_stale_row_and_the_overview_computes_it(world, client_for):
    trajectory = TrajectoryFactory(study=world.study, phase=Phase.CUSTOM)
    MembershipFactory(trajectory=trajectory, user=world.coach, role=Role.COACH)
    row = OverviewRow.objects.get(trajectory=trajectory)
    assert row.valid_until <= timezone.now()
    assert client_for(world.coach).get(reverse("dashboards:overview")).status_code == 200
    row.refresh_from_db()
    assert row.valid_until > timezone.now()
    assert _stored(trajectory) == _as_stored(_computed(trajectory))


def test_an_organisation_renamed_moves_its_trajectory_in_the_order(world, client_for):
    client = client_for(world.coach)
    url = reverse("dashboards:overview")
    trajectory = TrajectoryFactory(study=world.study, phase=Phase.CUSTOM)
    MembershipFactory(trajectory=trajectory, user=world.coach, role=Role.COACH)
    trajectory.organisation.name = "Aaa Eerste College"
    trajectory.organisation.save()
    html = client.get(url, {"sort": "organisation"}).content.decode()
    assert OverviewRow.objects.get(trajectory=trajectory).organisation == "aaa eerste college"
    assert html.index(f'data-trajectory="{trajectory.pk}"') < html.index(
        f'data-trajectory="{world.trajectory.pk}"'
    )


def test_hours_logged_through_the_service_move_the_trajectory_up_at_once(world, client_for):
    client = client_for(world.coach)
    url = reverse("dashboards:overview")
    calm = TrajectoryFactory(study=world.study, phase=Phase.CUSTOM)
    busy = TrajectoryFactory(study=world.study, phase=Phase.CUSTOM)
    for trajectory in (calm, busy):
        MembershipFactory(trajectory=trajectory, user=world.coach, role=Role.COACH)
    client.get(url)
    assert _stored(busy)["hours"] == 0
    hours_services.hours_log(
        trajectory=busy,
        user=world.coach,
        date=timezone.localdate(),
        activity="call",
        hours=Decimal("8"),
    )
    assert OverviewRow.objects.get(trajectory=busy).valid_until <= timezone.now()
    html = client.get(url, {"sort": "-hours"}).content.decode()
    # 8 of the default 40 hours
    assert _stored(busy)["hours"] == 20 == _computed(busy)["sort_hours"]
    assert html.index(f'data-trajectory="{busy.pk}"') < html.index(f'data-trajectory="{calm.pk}"')


def test_a_change_rolled_back_leaves_the_row_as_it_was(world):
    trajectory = TrajectoryFactory(study=world.study, phase=Phase.CUSTOM)
    overview_rows.refresh_all_stale()
    before = OverviewRow.objects.get(trajectory=trajectory).valid_until
    with pytest.raises(RuntimeError), transaction.atomic():
        HalfDayFactory(trajectory=trajectory, starts_at=timezone.now() - timedelta(days=1))
        assert OverviewRow.objects.get(trajectory=trajectory).valid_until <= timezone.now()
        raise RuntimeError
    assert OverviewRow.objects.get(trajectory=trajectory).valid_until == before


def test_the_row_goes_stale_when_a_half_day_starts(world):
    """No data change: the clock passes the half-day's start, and from then on it is held."""
    now = timezone.now()
    trajectory = TrajectoryFactory(study=world.study, phase=Phase.CUSTOM)
    starts = now + timedelta(hours=5)
    HalfDayFactory(trajectory=trajectory, starts_at=starts)
    overview_rows.refresh_all_stale(now)
    row = OverviewRow.objects.get(trajectory=trajectory)
    assert row.valid_until == min(starts, overview_rows.next_week_start(now))
    assert row.half_days == 0
    later = starts + timedelta(minutes=1)
    assert trajectory.pk in set(overview_rows.stale(later).values_list("trajectory_id", flat=True))
    overview_rows.refresh_all_stale(later)
    assert _stored(trajectory) == _as_stored(_computed(trajectory, later))
    assert _stored(trajectory)["half_days"] == 1


def test_the_periodic_task_refreshes_every_stale_row_and_adds_missing_ones(world):
    trajectories = TrajectoryFactory.create_batch(3, study=world.study, phase=Phase.CUSTOM)
    OverviewRow.objects.filter(trajectory=trajectories[0]).delete()
    assert tasks.refresh_overview.delay().get() >= 3
    assert not overview_rows.stale().exists()
    for trajectory in trajectories:
        assert _stored(trajectory) == _as_stored(_computed(trajectory))
    assert tasks.refresh_overview.delay().get() == 0


def test_stored_rows_equal_the_computed_keys_on_every_demo_trajectory(demo_world):
    """seed_demo stores the rows of everything it seeded (its bulk rounds send no signals)."""
    now = timezone.now()
    overview_rows.refresh_all_stale(now)
    computed = {
        row.pop("pk"): _as_stored(row)
        for row in dashboards.computed_sort_keys(Trajectory.objects.all(), now=now).values(
            "pk", *(f"sort_{key}" for key in OverviewRow.KEYS)
        )
    }
    stored = {
        row.pop("trajectory_id"): row
        for row in OverviewRow.objects.values("trajectory_id", *OverviewRow.KEYS)
    }
    assert stored == computed
    assert any(row["action"] for row in stored.values())


def test_the_overview_counts_no_further_than_it_pages(world, client_for, monkeypatch):
    """The caption and the pager say "meer dan" once there are more trajectories than the
    paginator's window, and Next still leads on."""
    from dashboards.views import OVERVIEW_PAGE_SIZE
    from lobtraject import paging

    monkeypatch.setattr(paging, "WINDOW", 1)
    for _n in range(OVERVIEW_PAGE_SIZE + 5):
        trajectory = TrajectoryFactory(study=world.study, phase=Phase.CUSTOM)
        MembershipFactory(trajectory=trajectory, user=world.coach, role=Role.COACH)
    client = client_for(world.coach)
    html = client.get(reverse("dashboards:overview")).content.decode()
    assert f"Meer dan {OVERVIEW_PAGE_SIZE} trajecten" in html
    assert "Pagina 1 van meer dan 1" in html
    second = client.get(reverse("dashboards:overview"), {"page": 2}).content.decode()
    total = dashboards.overview_trajectories(world.coach).count()
    assert second.count("<tr data-trajectory=") == total - OVERVIEW_PAGE_SIZE >= 5
