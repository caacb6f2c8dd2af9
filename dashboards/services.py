"""Keeping the overview's stored sort keys (`OverviewRow`) current.

Which changes and why: the keys are the figures of `selectors._with_sort_keys` (the rules of
`figures_for`), and those read hour entries and budget extensions (hours), start agreements and
their signatures (agreement, minimum half-days, budget), half-days (held, planned), logbook
entries and memberships (missing weeks, interviewees), dialogue sessions and their harvest
reports (approvals), closing interviews and the trajectory itself (phase, start). Every save
or delete of one of them marks its trajectory's row stale in the same transaction
(`dashboards.signals`), so a change rolled back leaves the row as it was. A stale row is
recomputed by the next overview request (at most `REFRESH_IN_REQUEST` rows, the oldest first)
or by the periodic task, which takes every stale row.

The figures also change with the clock alone: a half-day or a dialogue session starts, a
logbook week ends. Each row says when that will first happen (`valid_until`) and is stale from
then on. A row is refreshed at least daily besides, in case a change ever bypasses the signals.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import DateTimeField, Min, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from dialogues.models import DialogueSession
from lobtraject import outbox
from trajectories.models import HalfDay, Trajectory

from . import selectors
from .models import OverviewRow

# How many stale rows one overview request brings up to date before it sorts (a change made
# a moment ago shows in the order at once); more are left to the task.
REFRESH_IN_REQUEST = 50
BATCH = 500
AT_LEAST_EVERY = timedelta(days=1)
FIELDS = OverviewRow.KEYS
STALE = datetime(2000, 1, 1, tzinfo=timezone.get_fixed_timezone(0))


def next_week_start(now: datetime) -> datetime:
    """Monday 00:00 in the site's time zone after `now`: when a logbook week ends."""
    today = timezone.localdate(now)
    monday = today + timedelta(days=7 - today.weekday())
    return timezone.make_aware(datetime.combine(monday, time.min))


def _first_after(model, now: datetime) -> Subquery:
    return Subquery(
        model.objects.filter(trajectory=OuterRef("pk"), starts_at__gt=now)
        .order_by()
        .values("trajectory")
        .annotate(first=Min("starts_at"))
        .values("first")[:1],
        output_field=DateTimeField(),
    )


def refresh(trajectories, *, now: datetime | None = None) -> int:
    """Recompute the rows of `trajectories` (a queryset, or a subquery of ids); returns how
    many were written. One query to compute per batch and one to write it."""
    now = now or timezone.now()
    if getattr(trajectories, "model", None) is not Trajectory:
        trajectories = Trajectory.objects.filter(pk__in=trajectories)
    horizon = min(next_week_start(now), now + AT_LEAST_EVERY)
    computed = (
        selectors.computed_sort_keys(trajectories, now=now)
        .annotate(
            key_valid_until=Least(
                Coalesce(_first_after(HalfDay, now), Value(horizon)),
                Coalesce(_first_after(DialogueSession, now), Value(horizon)),
                Value(horizon),
                output_field=DateTimeField(),
            ),
        )
        .order_by("pk")
        .values("pk", *(f"sort_{name}" for name in FIELDS), "sort_organisation", "key_valid_until")
    )
    written = 0
    rows = []
    for values in computed.iterator(chunk_size=BATCH):
        rows.append(
            OverviewRow(
                trajectory_id=values["pk"],
                valid_until=values["key_valid_until"],
                organisation=values["sort_organisation"],
                refreshed_at=now,
                **{name: values[f"sort_{name}"] for name in FIELDS},
            )
        )
        if len(rows) == BATCH:
            written += _write(rows)
            rows = []
    if rows:
        written += _write(rows)
    return written


def _write(rows: list[OverviewRow]) -> int:
    OverviewRow.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["trajectory"],
        update_fields=[*FIELDS, "organisation", "valid_until", "refreshed_at"],
    )
    return len(rows)


def mark_stale(trajectory_ids) -> None:
    """The rows of these trajectories are out of date (their inputs just changed)."""
    ids = [pk for pk in set(trajectory_ids) if pk]
    if not ids:
        return
    OverviewRow.objects.filter(trajectory_id__in=ids).update(valid_until=STALE)


def stale(now: datetime | None = None):
    """Rows whose figures may have changed, oldest first, as a queryset of trajectory ids."""
    now = now or timezone.now()
    return (
        OverviewRow.objects.filter(valid_until__lte=now)
        .order_by("valid_until")
        .values("trajectory_id")
    )


def refresh_for_request(now: datetime | None = None) -> None:
    """Before the overview sorts: bring up to `REFRESH_IN_REQUEST` stale rows up to date,
    and leave the rest to the task (queued once, through the outbox)."""
    now = now or timezone.now()
    ids = list(stale(now)[: REFRESH_IN_REQUEST + 1].values_list("trajectory_id", flat=True))
    if not ids:
        return
    refresh(ids[:REFRESH_IN_REQUEST], now=now)
    if len(ids) > REFRESH_IN_REQUEST:
        outbox.enqueue("dashboards.tasks.refresh_overview")


def refresh_all_stale(now: datetime | None = None) -> int:
    """Every stale row and every trajectory without a row (the periodic task, the command)."""
    now = now or timezone.now()
    written = 0
    while True:
        ids = list(stale(now)[:BATCH].values_list("trajectory_id", flat=True))
        done = refresh(ids, now=now) if ids else 0
        if not done:
            break
        written += done
    missing = Trajectory.objects.filter(overview_row__isnull=True).values("pk")
    if missing.exists():
        written += refresh(missing, now=now)
    return written
