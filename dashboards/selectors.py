"""Reads for the manager dashboard and the team coach / researcher overview.

Both pages show figures only. The informed consent promises that a person's
statements never reach their manager, so these selectors never load a text
field of a logbook entry, harvest, harvest report, interview or research note:
every query below uses ``values()`` with counts, dates and status keys.

All figures for any number of trajectories come from a fixed number of
queries (`figures_for`), so the pages cost the same with 1 or 500
trajectories.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Floor, Greatest, Lower, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dashboards.models import OverviewRow
from dialogues.models import DialogueKind, DialogueSession, ReportStatus
from logbooks.models import WRITER_ROLES, Entry, EntryStatus
from trajectories import access, selectors
from trajectories.goals import GOAL_SHORT_LABELS, Goal
from trajectories.models import (
    BudgetExtension,
    ClosingInterview,
    Decision,
    HalfDay,
    HourEntry,
    InterviewStatus,
    Membership,
    Phase,
    Role,
    Signature,
    SignatureParty,
    StartAgreement,
    Trajectory,
)
from trajectories.selectors import PHASE_ORDER, HoursSummary

from . import charts
from .access import OVERVIEW_MEMBER_ROLES

DEFAULT_COACH_BUDGET = Decimal(40)
DEFAULT_MIN_HALF_DAYS = 5
RHYTHM_WEEKS = 12  # weeks shown in the logbook rhythm chart
MISSING_WINDOW_WEEKS = 8  # complete weeks checked for missing logbook entries
UPCOMING_LIMIT = 6
# Logbooks are kept in the custom trajectory (DOMAIN.md, phase 3), from the
# week after the start dialogue.
LOGBOOK_PHASES = (Phase.CUSTOM,)
ENDED_PHASES = (Phase.FINISHED, Phase.DECLINED)
# Closing interviews are planned in the closing phase; a finished trajectory has
# none left to plan (finishing requires it), whatever older data says.
CLOSING_PHASES = (Phase.CLOSING,)


@dataclass
class UpcomingDate:
    """A date and the kind of event: never a title or a note."""

    at: datetime | date
    kind: str


@dataclass
class HarvestStatus:
    held_on: date
    kind: str
    status: str  # a ReportStatus value, or "" when no report has been started
    status_label: str


@dataclass
class TrajectoryFigures:
    trajectory: Trajectory
    next_step: str
    min_half_days: int
    half_days_held: int
    half_days_planned: int
    hours: HoursSummary
    rhythm_weeks: list[tuple[int, int]]  # (iso_year, iso_week), oldest first
    # Submitted entries of the whole trajectory per week of rhythm_weeks; None where
    # fewer than `settings.DASHBOARD_MIN_WEEKLY_AUTHORS` people wrote that week.
    rhythm: list[int | None]
    expected_logbook_weeks: int
    missing_logbook_weeks: int
    harvest_reports: list[HarvestStatus]
    pending_approvals: int
    upcoming: list[UpcomingDate]
    closing: selectors.ClosingSummary = field(default_factory=selectors.ClosingSummary)
    interviews_to_plan: int = 0
    goal_tracks: list = field(default_factory=list)
    unsigned_agreement: bool = False
    needs_action: list[str] = field(default_factory=list)  # keys of ACTION_REASONS
    charts: dict = field(default_factory=dict)  # filled by add_charts

    @property
    def needs_action_labels(self) -> list[str]:
        return [str(ACTION_REASONS[reason]) for reason in self.needs_action]

    @property
    def phase_label(self) -> str:
        return self.trajectory.get_phase_display()

    @property
    def phase_index(self) -> int:
        if self.trajectory.phase in PHASE_ORDER:
            return PHASE_ORDER.index(self.trajectory.phase)
        return len(PHASE_ORDER)

    @property
    def rhythm_labels(self) -> list[str]:
        return [_("wk %(week)d") % {"week": week} for _year, week in self.rhythm_weeks]

    @property
    def rhythm_series(self) -> list[tuple[str, list[int]]]:
        """One series, every writer together; a hidden week is drawn as no column."""
        return [(_("All writers"), [count or 0 for count in self.rhythm])]

    @property
    def rhythm_min_authors(self) -> int:
        return min_weekly_authors()

    @property
    def rhythm_hidden_weeks(self) -> int:
        return sum(1 for count in self.rhythm if count is None)

    @property
    def rhythm_rows(self) -> list[dict]:
        """The chart's figures as table rows: week label and the count (None: hidden)."""
        return [
            {"week": label, "count": count}
            for label, count in zip(self.rhythm_labels, self.rhythm, strict=True)
        ]


# --- which trajectories ---------------------------------------------------------


def managed_trajectories(user):
    """The trajectories in which `user` is a manager: their own organisation(s)."""
    return (
        access.visible_trajectories(user)
        .filter(memberships__user=user, memberships__role=Role.MANAGER)
        .distinct()
    )


def overview_trajectories(user):
    """The trajectories `user` coaches or takes part in as a researcher, and
    those in which they hold (or are to hold) a closing interview as the
    independent researcher."""
    # EXISTS, not joins with DISTINCT: joining every membership and closing
    # interview of 6,000 trajectories before de-duplicating cost 180 ms at 500x.
    return access.visible_trajectories(user, access.Capability.VIEW_PROGRESS).filter(
        Exists(
            Membership.objects.filter(
                trajectory_id=OuterRef("pk"), user=user, role__in=OVERVIEW_MEMBER_ROLES
            )
        )
        | Exists(ClosingInterview.objects.filter(trajectory_id=OuterRef("pk"), interviewer=user))
    )


# --- figures ---------------------------------------------------------------------


def _iso_weeks_back(today: date, count: int, *, include_current: bool) -> list[date]:
    """Mondays of the last `count` ISO weeks, oldest first."""
    monday = today - timedelta(days=today.weekday())
    if not include_current:
        monday -= timedelta(weeks=1)
    return [monday - timedelta(weeks=offset) for offset in range(count - 1, -1, -1)]


def _latest_agreements(ids) -> dict[int, dict]:
    latest: dict[int, dict] = {}
    for row in (
        StartAgreement.objects.filter(trajectory_id__in=ids)
        .order_by("trajectory_id", "-version")
        .values("id", "trajectory_id", "coach_hours_budget", "min_half_days")
    ):
        latest.setdefault(row["trajectory_id"], row)
    signed: dict[int, set[str]] = defaultdict(set)
    for agreement_id, party in Signature.objects.filter(
        agreement_id__in=[row["id"] for row in latest.values()]
    ).values_list("agreement_id", "party"):
        signed[agreement_id].add(party)
    for row in latest.values():
        row["is_locked"] = signed[row["id"]] >= set(SignatureParty.values)
    return latest


def _sums(model, ids) -> dict[int, Decimal]:
    return {
        row["trajectory_id"]: row["total"] or Decimal(0)
        for row in model.objects.filter(trajectory_id__in=ids)
        .values("trajectory_id")
        .annotate(total=Sum("hours"))
        .order_by()
    }


def _next_step(trajectory, decision, agreement, half_days) -> str:
    """What to do next, from preloaded facts, by the trajectory page's rule."""
    start = next((day for day in half_days if day["is_start_dialogue"]), None)
    has_later = start is not None and any(
        not day["is_start_dialogue"] and day["starts_at"] > start["starts_at"] for day in half_days
    )
    return selectors.next_step_from(
        phase=trajectory.phase,
        decision_is_yes=decision,
        agreement_locked=None if agreement is None else agreement["is_locked"],
        custom_half_day_planned=has_later,
    )


def _moment(item: UpcomingDate) -> datetime:
    """Dates and datetimes in one order: a date counts as the start of its day."""
    if isinstance(item.at, datetime):
        return item.at
    return timezone.make_aware(datetime(item.at.year, item.at.month, item.at.day))


# What `figures_for` costs, whatever the number of trajectories (tests pin it);
# two fewer without the goals.
FIGURES_QUERIES = 15
GOAL_QUERIES = 2


def min_weekly_authors() -> int:
    """How many different people must have written in a week before its count is shown
    (`settings.DASHBOARD_MIN_WEEKLY_AUTHORS`, at least 2: one writer is one person)."""
    return max(2, int(getattr(settings, "DASHBOARD_MIN_WEEKLY_AUTHORS", 3)))


def weekly_rhythm(entries: list[tuple[int, str]]) -> int | None:
    """The number of `(author, role)` entries of one week, or None when fewer than
    `min_weekly_authors()` different people wrote them."""
    if len({author for author, _role in entries}) < min_weekly_authors():
        return None
    return len(entries)


def figures_for(
    trajectories, *, now: datetime | None = None, goals: bool = True
) -> list[TrajectoryFigures]:
    """Dashboard figures for each of `trajectories`, in their order.

    `FIGURES_QUERIES` queries whatever the number of trajectories, half-days, hours,
    logbook entries or dialogue sessions.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    trajectories = list(trajectories)
    ids = [trajectory.pk for trajectory in trajectories]
    if not ids:
        return []

    decisions = dict(
        Decision.objects.filter(trajectory_id__in=ids).values_list("trajectory_id", "is_yes")
    )
    agreements = _latest_agreements(ids)
    used = _sums(HourEntry, ids)
    extensions = _sums(BudgetExtension, ids)

    half_days: dict[int, list[dict]] = defaultdict(list)
    for row in (
        HalfDay.objects.filter(trajectory_id__in=ids)
        .order_by("starts_at")
        .values("trajectory_id", "starts_at", "is_start_dialogue")
    ):
        half_days[row["trajectory_id"]].append(row)

    # Logbook rhythm: submitted entries per week per author. Only keys and
    # dates are read, never the entries' text. What is shown is the trajectory's
    # total per week, and only for weeks in which enough people wrote
    # (`weekly_rhythm`): a role is often one person, and a manager must not be
    # able to read one person's rhythm.
    rhythm_mondays = _iso_weeks_back(today, RHYTHM_WEEKS, include_current=True)
    missing_mondays = _iso_weeks_back(today, MISSING_WINDOW_WEEKS, include_current=False)
    first_monday = min(rhythm_mondays[0], missing_mondays[0])
    written: dict[int, dict[date, list[tuple[int, str]]]] = defaultdict(lambda: defaultdict(list))
    for trajectory_id, author_id, role, week_start in Entry.objects.filter(
        trajectory_id__in=ids, status=EntryStatus.SUBMITTED, week_start__gte=first_monday
    ).values_list("trajectory_id", "author_id", "author_role", "week_start"):
        written[trajectory_id][week_start].append((author_id, role))
    writers: dict[int, set[int]] = defaultdict(set)
    for trajectory_id, user_id in Membership.objects.filter(
        trajectory_id__in=ids, role__in=[role.value for role in WRITER_ROLES]
    ).values_list("trajectory_id", "user_id"):
        writers[trajectory_id].add(user_id)

    harvest: dict[int, list[HarvestStatus]] = defaultdict(list)
    sessions_upcoming: dict[int, list[UpcomingDate]] = defaultdict(list)
    for row in (
        DialogueSession.objects.filter(trajectory_id__in=ids)
        .order_by("starts_at")
        .values("trajectory_id", "kind", "starts_at", "half_day_id", "report__status")
    ):
        kind = str(DialogueKind(row["kind"]).label) if row["kind"] in DialogueKind.values else ""
        if row["starts_at"] <= now:
            status = row["report__status"] or ""
            harvest[row["trajectory_id"]].append(
                HarvestStatus(
                    held_on=timezone.localdate(row["starts_at"]),
                    kind=kind,
                    status=status,
                    status_label=str(ReportStatus(status).label) if status else _("No report yet"),
                )
            )
        elif row["half_day_id"] is None:
            # A session on a half-day is listed once, as that half-day.
            sessions_upcoming[row["trajectory_id"]].append(
                UpcomingDate(at=row["starts_at"], kind=kind)
            )

    # The overview shows no goals; leaving them out saves two queries and the
    # tracks of every trajectory on every page of it.
    goal_tracks = selectors.goal_progress_for(ids) if goals else {}
    closing = selectors.closing_summary_for(ids)
    interviews_upcoming: dict[int, list[UpcomingDate]] = defaultdict(list)
    unassigned: dict[int, int] = defaultdict(int)
    for trajectory_id, interviewer_id, planned_at in ClosingInterview.objects.filter(
        trajectory_id__in=ids, status=InterviewStatus.PLANNED
    ).values_list("trajectory_id", "interviewer_id", "planned_at"):
        if interviewer_id is None or planned_at is None:
            unassigned[trajectory_id] += 1
        elif planned_at >= now:
            interviews_upcoming[trajectory_id].append(
                UpcomingDate(at=planned_at, kind=_("Closing interview"))
            )

    figures = []
    for trajectory in trajectories:
        tid = trajectory.pk
        agreement = agreements.get(tid)
        days = half_days[tid]
        held = sum(1 for day in days if day["starts_at"] < now)
        upcoming = [
            UpcomingDate(
                at=day["starts_at"],
                kind=_("Start dialogue") if day["is_start_dialogue"] else _("Half-day"),
            )
            for day in days
            if day["starts_at"] >= now
        ]
        upcoming += sessions_upcoming[tid] + interviews_upcoming[tid]
        meeting_on = closing[tid].meeting_on
        if meeting_on is not None and meeting_on >= today:
            upcoming.append(UpcomingDate(at=meeting_on, kind=_("Closing meeting")))
        upcoming.sort(key=_moment)

        by_week = written[tid]
        rhythm = [weekly_rhythm(by_week.get(monday, [])) for monday in rhythm_mondays]
        expected = missing = 0
        if trajectory.phase in LOGBOOK_PHASES:
            start = trajectory.starts_on or date.min
            start_dialogue = next((day for day in days if day["is_start_dialogue"]), None)
            if start_dialogue is not None:
                start = max(start, timezone.localdate(start_dialogue["starts_at"]))
            for monday in missing_mondays:
                if monday <= start:  # only complete weeks after the start
                    continue
                authors = {author for author, _role in by_week.get(monday, [])}
                expected += len(writers[tid])
                missing += len(writers[tid] - authors)

        item = TrajectoryFigures(
            trajectory=trajectory,
            next_step=_next_step(trajectory, decisions.get(tid), agreement, days),
            min_half_days=agreement["min_half_days"] if agreement else DEFAULT_MIN_HALF_DAYS,
            half_days_held=held,
            half_days_planned=len(days) - held,
            hours=HoursSummary(
                budget=Decimal(agreement["coach_hours_budget"])
                if agreement
                else DEFAULT_COACH_BUDGET,
                used=Decimal(used.get(tid, 0)),
                extensions=Decimal(extensions.get(tid, 0)),
            ),
            rhythm_weeks=[monday.isocalendar()[:2] for monday in rhythm_mondays],
            rhythm=rhythm,
            expected_logbook_weeks=expected,
            missing_logbook_weeks=missing,
            harvest_reports=harvest[tid],
            pending_approvals=sum(
                1 for report in harvest[tid] if report.status == ReportStatus.PENDING
            ),
            upcoming=upcoming[:UPCOMING_LIMIT],
            closing=closing[tid],
            interviews_to_plan=(
                closing[tid].to_plan + unassigned[tid] if trajectory.phase in CLOSING_PHASES else 0
            ),
            goal_tracks=goal_tracks.get(tid, []),
            unsigned_agreement=bool(
                agreement and not agreement["is_locked"] and trajectory.phase == Phase.RECRUITMENT
            ),
        )
        item.needs_action = _needs_action(item)
        figures.append(item)
    return figures


ACTION_REASONS = {
    "hours_over": gettext_lazy("hour budget used up"),
    "hours_warning": gettext_lazy("at least 80 percent of the hour budget used"),
    "missing_logbook": gettext_lazy("logbook weeks missing"),
    "approvals": gettext_lazy("harvest reports awaiting approval"),
    "half_days": gettext_lazy("fewer half-days planned than agreed"),
    "agreement": gettext_lazy("start agreement not signed by everyone"),
    "interviews": gettext_lazy("closing interviews to plan"),
}


def _needs_action(item: TrajectoryFigures) -> list[str]:
    if item.trajectory.phase in ENDED_PHASES:
        return []
    reasons = []
    if item.hours.level == "over":
        reasons.append("hours_over")
    elif item.hours.level == "warning":
        reasons.append("hours_warning")
    if item.missing_logbook_weeks:
        reasons.append("missing_logbook")
    if item.pending_approvals:
        reasons.append("approvals")
    if (
        item.trajectory.phase == Phase.CUSTOM
        and item.half_days_held + item.half_days_planned < item.min_half_days
    ):
        reasons.append("half_days")
    if item.unsigned_agreement:
        reasons.append("agreement")
    if item.interviews_to_plan:
        reasons.append("interviews")
    return reasons


# --- sorting the overview, in the database ------------------------------------------
#
# The overview sorts and pages in SQL, then computes the figures of the shown page
# only. Each sort key below is an annotation that repeats, as subqueries, the rule
# `figures_for` applies to the same facts (tests compare the two on every
# trajectory). They are computed per trajectory into a stored row
# (`dashboards.services`: on every change of an input, and when the clock passes the
# row's `valid_until`), and the overview sorts the stored rows.

DEFAULT_SORT = "-action"
SORT_KEYS = (
    "action",
    "organisation",
    "phase",
    "hours",
    "half_days",
    "missing",
    "approvals",
    "interviews",
)


def parse_sort(value: str | None) -> tuple[str, bool]:
    """`?sort=` as (key, descending); anything not whitelisted gives the default."""
    value = (value or "").strip()
    if value.removeprefix("-") not in SORT_KEYS:
        value = DEFAULT_SORT
    return value.removeprefix("-"), value.startswith("-")


def _count(queryset) -> Coalesce:
    """The number of rows of `queryset` (correlated on OuterRef), as an expression."""
    return Coalesce(
        Subquery(
            queryset.order_by().values(group=Value(1)).annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def _total(model) -> Coalesce:
    return Coalesce(
        Subquery(
            model.objects.filter(trajectory=OuterRef("pk"))
            .order_by()
            .values("trajectory")
            .annotate(total=Sum("hours"))
            .values("total")[:1],
            output_field=DecimalField(max_digits=9, decimal_places=2),
        ),
        Value(Decimal(0)),
        output_field=DecimalField(max_digits=9, decimal_places=2),
    )


def _latest_agreement(field_name: str):
    return Subquery(
        StartAgreement.objects.filter(trajectory=OuterRef("pk"))
        .order_by("-version")
        .values(field_name)[:1]
    )


def _hours_percent(qs):
    """`HoursSummary.percent`: whole percent of the budget plus extensions used."""
    qs = qs.alias(
        _hours_used=_total(HourEntry),
        _hours_total=ExpressionWrapper(
            Coalesce(_latest_agreement("coach_hours_budget"), Value(DEFAULT_COACH_BUDGET))
            + _total(BudgetExtension),
            output_field=DecimalField(max_digits=9, decimal_places=2),
        ),
    )
    return qs.alias(
        sort_hours=Case(
            When(_hours_total__lte=0, then=Value(0)),
            default=Cast(
                Floor(F("_hours_used") * 100 / F("_hours_total")), output_field=IntegerField()
            ),
            output_field=IntegerField(),
        )
    )


def _missing_weeks(qs, today: date):
    """`missing_logbook_weeks`: writer-weeks without a submitted entry in the last
    complete weeks after the start, while logbooks are kept."""
    mondays = _iso_weeks_back(today, MISSING_WINDOW_WEEKS, include_current=False)
    start_dialogue_on = Subquery(
        HalfDay.objects.filter(trajectory=OuterRef("pk"), is_start_dialogue=True)
        .order_by("starts_at")
        .annotate(on=TruncDate("starts_at"))
        .values("on")[:1],
        output_field=DateField(),
    )
    qs = qs.alias(
        _logbook_start=Greatest(
            Coalesce("starts_on", Value(date.min)),
            Coalesce(start_dialogue_on, Value(date.min)),
            output_field=DateField(),
        )
    )
    weeks = sum(
        (
            Case(When(_logbook_start__lt=monday, then=Value(1)), default=Value(0))
            for monday in mondays
        ),
        Value(0),
    )
    writers = Membership.objects.filter(
        trajectory=OuterRef("pk"), role__in=[role.value for role in WRITER_ROLES]
    )
    writer_count = Coalesce(
        Subquery(
            writers.order_by()
            .values("trajectory")
            .annotate(n=Count("user", distinct=True))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )
    written = _count(
        Entry.objects.filter(
            trajectory=OuterRef("pk"),
            status=EntryStatus.SUBMITTED,
            week_start__in=mondays,
            week_start__gt=OuterRef("_logbook_start"),
        ).filter(
            Exists(
                Membership.objects.filter(
                    trajectory=OuterRef("trajectory"),
                    user=OuterRef("author"),
                    role__in=[role.value for role in WRITER_ROLES],
                )
            )
        )
    )
    return qs.alias(
        sort_missing=Case(
            When(phase__in=LOGBOOK_PHASES, then=writer_count * weeks - written),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def _interviews_to_plan(qs):
    """`interviews_to_plan`: interviewees without an interview plus planned ones
    without an interviewer or a time, in the closing phase."""
    without_interview = Coalesce(
        Subquery(
            Membership.objects.filter(
                trajectory=OuterRef("pk"), role__in=selectors.INTERVIEWEE_ROLES
            )
            .exclude(
                Exists(
                    ClosingInterview.objects.filter(
                        trajectory=OuterRef("trajectory"), interviewee=OuterRef("user")
                    )
                )
            )
            .order_by()
            .values("trajectory")
            .annotate(n=Count("user", distinct=True))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )
    unassigned = _count(
        ClosingInterview.objects.filter(
            trajectory=OuterRef("pk"), status=InterviewStatus.PLANNED
        ).filter(Q(interviewer__isnull=True) | Q(planned_at__isnull=True))
    )
    return qs.alias(
        sort_interviews=Case(
            When(phase__in=CLOSING_PHASES, then=without_interview + unassigned),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def _with_sort_keys(qs, now: datetime):
    """Every sort key of the overview as an alias of the trajectory queryset."""
    today = timezone.localdate(now)
    qs = _hours_percent(qs)
    qs = _missing_weeks(qs, today)
    qs = _interviews_to_plan(qs)
    latest_agreement = StartAgreement.objects.filter(trajectory=OuterRef("pk")).order_by("-version")
    signed_parties = Coalesce(
        Subquery(
            Signature.objects.filter(agreement_id=OuterRef("_agreement_id"))
            .order_by()
            .values("agreement_id")
            .annotate(n=Count("party", distinct=True))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )
    qs = qs.alias(
        sort_organisation=Lower("organisation__name"),
        sort_phase=_phase_index(),
        sort_half_days=_count(HalfDay.objects.filter(trajectory=OuterRef("pk"), starts_at__lt=now)),
        _half_days_all=_count(HalfDay.objects.filter(trajectory=OuterRef("pk"))),
        _min_half_days=Coalesce(_latest_agreement("min_half_days"), Value(DEFAULT_MIN_HALF_DAYS)),
        sort_approvals=_count(
            DialogueSession.objects.filter(
                trajectory=OuterRef("pk"), starts_at__lte=now, report__status=ReportStatus.PENDING
            )
        ),
        _agreement_id=Subquery(latest_agreement.values("id")[:1]),
    )
    qs = qs.alias(_signed_parties=signed_parties)
    reasons = [
        Q(sort_hours__gte=80),
        Q(sort_missing__gt=0),
        Q(sort_approvals__gt=0),
        Q(phase=Phase.CUSTOM, _half_days_all__lt=F("_min_half_days")),
        Q(
            phase=Phase.RECRUITMENT,
            _agreement_id__isnull=False,
            _signed_parties__lt=len(SignatureParty.values),
        ),
        Q(sort_interviews__gt=0),
    ]
    return qs.alias(
        sort_action=Case(
            When(phase__in=ENDED_PHASES, then=Value(0)),
            default=sum(
                (
                    Case(When(reason, then=Value(1)), default=Value(0), output_field=IntegerField())
                    for reason in reasons
                ),
                Value(0),
            ),
            output_field=IntegerField(),
        )
    )


def computed_sort_keys(trajectories, *, now: datetime | None = None):
    """`trajectories` with every sort key computed on the spot (`sort_action`, ...) as
    annotations: what `dashboards.services` stores per trajectory, and what the tests compare
    with `figures_for`."""
    qs = Trajectory.objects.select_related("organisation", "study").filter(
        pk__in=trajectories.values("pk")
    )
    qs = _with_sort_keys(qs, now or timezone.now())
    return qs.annotate(**{f"sort_{key}": F(f"sort_{key}") for key in SORT_KEYS})


def sorted_overview(trajectories, key: str, descending: bool):
    """`trajectories` ordered by the overview's `key` in SQL; ties by organisation,
    always A to Z. Page the result, then compute `figures_for` of that page only.

    The figures come from the stored rows (`OverviewRow`, kept current by
    `dashboards.services`), so sorting 6,000 trajectories sorts stored integers instead
    of computing a dozen subqueries for each.
    """
    if key not in SORT_KEYS:
        raise ValueError(key)
    # Ordering by subqueries and DISTINCT do not mix; the membership joins of
    # `overview_trajectories` stay inside a subquery.
    # Every trajectory has a row (made when it is created, by the migration and by
    # seed_demo); joining it, not left-joining, lets the default order walk its index.
    qs = Trajectory.objects.select_related("organisation", "study").filter(
        pk__in=trajectories.values("pk"), overview_row__isnull=False
    )
    qs = qs.alias(
        sort_organisation=F("overview_row__organisation"),
        sort_phase=_phase_index(),
        **{f"sort_{name}": F(f"overview_row__{name}") for name in OverviewRow.KEYS},
    )
    order = F(f"sort_{key}").desc() if descending else F(f"sort_{key}").asc()
    return qs.order_by(order, "sort_organisation", "pk")


def _phase_index() -> Case:
    return Case(
        *(When(phase=phase, then=Value(index)) for index, phase in enumerate(PHASE_ORDER)),
        default=Value(len(PHASE_ORDER)),
        output_field=IntegerField(),
    )


# --- charts ------------------------------------------------------------------------


def short_goal_label(track) -> str:
    """A goal's short name, or a sub-goal cut to fit beside the chart."""
    if track.goal in Goal.values:
        return str(GOAL_SHORT_LABELS[Goal(track.goal)])
    return track.label if len(track.label) <= 24 else track.label[:23].rstrip() + "…"


def add_charts(items: list[TrajectoryFigures]) -> None:
    """Render each item's SVG charts; the templates show the same figures as tables."""
    for item in items:
        organisation = item.trajectory.organisation.name
        half_days_text = _(
            "%(held)d half-days held of the agreed minimum of %(minimum)d; %(planned)d planned."
        ) % {
            "held": item.half_days_held,
            "minimum": item.min_half_days,
            "planned": item.half_days_planned,
        }
        hours_text = _("%(used)s of %(total)s hours used (%(percent)d %%).") % {
            "used": charts.format_number(item.hours.used),
            "total": charts.format_number(item.hours.total_budget),
            "percent": item.hours.percent,
        }
        item.charts = {
            "goals": charts.goal_timeline(
                [
                    SimpleNamespace(label=short_goal_label(track), points=track.points)
                    for track in item.goal_tracks
                ],
                title=_("Goal progress — %(organisation)s") % {"organisation": organisation},
            ),
            "half_days": charts.progress_bar(
                item.half_days_held,
                item.min_half_days,
                title=_("Half-days held — %(organisation)s") % {"organisation": organisation},
                desc=half_days_text,
                value_label=_("%(count)d held") % {"count": item.half_days_held},
                target_label=_("minimum %(count)d") % {"count": item.min_half_days},
            ),
            "half_days_text": half_days_text,
            "hours": charts.progress_bar(
                item.hours.used,
                item.hours.total_budget,
                title=_("Team coach hours — %(organisation)s") % {"organisation": organisation},
                desc=hours_text,
                value_label=_("%(hours)s hours") % {"hours": charts.format_number(item.hours.used)},
                target_label=_("budget %(hours)s")
                % {"hours": charts.format_number(item.hours.total_budget)},
            ),
            "hours_text": hours_text,
            "rhythm": charts.weekly_columns(
                item.rhythm_labels,
                item.rhythm_series,
                title=_("Logbook entries per week — %(organisation)s")
                % {"organisation": organisation},
                desc=_rhythm_text(item),
            ),
        }


def _rhythm_text(item: TrajectoryFigures) -> str:
    """The rhythm chart's text alternative: the shown weeks' counts, and why others are not."""
    counts = "; ".join(
        f"{row['week']}: {row['count']}" for row in item.rhythm_rows if row["count"] is not None
    )
    text = _(
        "Logbook entries of all writers together per week, last %(weeks)d weeks, shown only for "
        "weeks in which at least %(minimum)d people wrote."
    ) % {"weeks": len(item.rhythm_weeks), "minimum": min_weekly_authors()}
    if counts:
        text += " " + counts + "."
    if item.rhythm_hidden_weeks:
        text += " " + ngettext(
            "%(count)d week: too few writers to show per week.",
            "%(count)d weeks: too few writers to show per week.",
            item.rhythm_hidden_weeks,
        ) % {"count": item.rhythm_hidden_weeks}
    return text
