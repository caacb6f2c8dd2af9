"""Reads of trajectories that more than one view needs."""

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext

from . import access
from .goals import GOAL_SHORT_LABELS, Goal
from .models import (
    GOAL_PROGRESS_ORDER,
    ClosingInterview,
    ClosingMeeting,
    GoalProgress,
    GoalSource,
    GoalStatus,
    HalfDay,
    InterventionType,
    Membership,
    Phase,
    Role,
    StartAgreement,
    StudyRole,
    Unit,
)


def trajectories_with_roles(user, *, page_number=None, per_page: int = 25):
    """One page of the trajectories `user` may see, each with `.my_roles` (sorted role keys).

    A team coach or researcher can be in hundreds of trajectories; the landing
    page shows them a page at a time so it costs the same whatever their number.
    """
    trajectories = (
        access.visible_trajectories(user)
        .select_related("organisation", "study")
        .order_by("organisation__name", "pk")
    )
    page = Paginator(trajectories, per_page).get_page(page_number)
    for trajectory in page.object_list:
        trajectory.my_roles = sorted(access.roles_for(user, trajectory))
    return page


# --- the trajectory page and the plan --------------------------------------

PHASE_ORDER = [
    Phase.RECRUITMENT,
    Phase.START_DIALOGUE,
    Phase.CUSTOM,
    Phase.CLOSING,
    Phase.FINISHED,
]


def phase_steps(trajectory):
    """The phases as steps: each with label and state done|current|todo."""
    if trajectory.phase == Phase.DECLINED:
        return [
            {"label": Phase.RECRUITMENT.label, "state": "done"},
            {"label": Phase.DECLINED.label, "state": "current"},
        ]
    current = PHASE_ORDER.index(trajectory.phase)
    return [
        {
            "label": phase.label,
            "state": "done" if index < current else "current" if index == current else "todo",
        }
        for index, phase in enumerate(PHASE_ORDER)
    ]


def half_days(trajectory):
    """The half-days of a trajectory, numbered: the start dialogue is half-day 1."""
    days = list(trajectory.half_days.order_by("starts_at"))
    for number, day in enumerate(days, start=1):
        day.number = number
        day.intervention_labels = [
            InterventionType(value).label
            for value in day.intervention_types
            if value in InterventionType.values
        ]
        day.goal_labels = [GOAL_SHORT_LABELS[Goal(g)] for g in day.goals if g in Goal.values]
        day.unit_label = Unit(day.unit).label if day.unit in Unit.values else ""
        day.is_interim = InterventionType.INTERIM in (day.intervention_types or [])
    return days


def champions_and_buddies(trajectory):
    return list(
        Membership.objects.filter(trajectory=trajectory, role__in=[Role.CHAMPION, Role.BUDDY])
        .select_related("user")
        .order_by("role", "user__last_name")
    )


# --- calendar ----------------------------------------------------------------

SUMMER_MONTHS = (7, 8)


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _add_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def calendar_months(trajectory_ids, *, today: date, max_months: int = 24):
    """Half-days of `trajectory_ids` grouped per month, summer months flagged.

    Two queries, whatever the number of trajectories or half-days. The range
    runs from the earliest to the latest half-day (at least the current month
    and the eleven after it), at most `max_months` months.
    """
    days = list(
        HalfDay.objects.filter(trajectory_id__in=trajectory_ids)
        .select_related("trajectory__organisation")
        .order_by("starts_at")
    )
    first = _month_start(today)
    last = first
    for _ in range(11):
        last = _add_month(last)
    if days:
        first = min(first, _month_start(timezone.localtime(days[0].starts_at).date()))
        last = max(last, _month_start(timezone.localtime(days[-1].starts_at).date()))
    months = []
    by_month: dict[date, list] = {}
    for day in days:
        by_month.setdefault(_month_start(timezone.localtime(day.starts_at).date()), []).append(day)
    month = first
    while month <= last and len(months) < max_months:
        months.append(
            {
                "month": month,
                "is_summer": month.month in SUMMER_MONTHS,
                "half_days": by_month.get(month, []),
                "is_current": month == _month_start(today),
            }
        )
        month = _add_month(month)
    return months


def ics_for(user, *, host: str) -> bytes:
    """The user's half-days as an iCalendar document."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//LOB-traject//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "LOB-traject")
    ids = access.calendar_trajectory_ids(user)
    for day in (
        HalfDay.objects.filter(trajectory_id__in=ids)
        .select_related("trajectory__organisation")
        .order_by("starts_at")
    ):
        event = Event()
        event.add("uid", f"halfday-{day.pk}@{host.split(':')[0]}")
        title = day.title or (
            gettext("Start dialogue") if day.is_start_dialogue else gettext("Half-day")
        )
        event.add("summary", f"{title} — {day.trajectory.organisation.name}")
        event.add("dtstart", timezone.localtime(day.starts_at))
        event.add("dtend", timezone.localtime(day.ends_at))
        event.add("dtstamp", timezone.now())
        event.add("location", gettext("Online") if day.is_online else day.place)
        if day.preparation_notes:
            event.add("description", day.preparation_notes)
        calendar.add_component(event)
    return calendar.to_ical()


# --- phase 4: closing and goal progress ---------------------------------------------


class GoalPoint(NamedTuple):
    """One status of a goal on a date (see GoalStatus)."""

    recorded_on: date
    source: str
    status: str
    status_label: str

    @property
    def source_label(self) -> str:
        return GoalSource(self.source).label

    @property
    def level(self) -> int:
        """0 (not started) … 3 (reached): the status as a number, for charts."""
        return GOAL_PROGRESS_ORDER[self.status]


@dataclass
class GoalTrack:
    """How one goal (``goal`` 1–4) or one sub-goal (``sub_goal``) moved over time."""

    goal: int | None
    sub_goal: str
    label: str
    points: list[GoalPoint] = field(default_factory=list)

    @property
    def is_sub_goal(self) -> bool:
        return self.goal is None

    @property
    def latest(self) -> GoalPoint | None:
        return self.points[-1] if self.points else None


SUB_GOAL_MAX = 300  # GoalStatus.sub_goal and ClosingInterviewGoalAnswer.sub_goal


def sub_goal_names(text: str) -> list[str]:
    """The sub-goals written in a start agreement (one per line), as stored on statuses.

    Cut to the column width, so a very long line can never make signing fail.
    """
    names = []
    for line in text.splitlines():
        name = line.strip()[:SUB_GOAL_MAX].strip()
        if name and name not in names:
            names.append(name)
    return names


def _sub_goals_per_trajectory(trajectory_ids) -> dict[int, list[str]]:
    """The sub-goals of the newest start agreement of each trajectory (one query)."""
    newest: dict[int, tuple[int, str]] = {}
    for trajectory_id, version, sub_goals in StartAgreement.objects.filter(
        trajectory_id__in=trajectory_ids
    ).values_list("trajectory_id", "version", "sub_goals"):
        if trajectory_id not in newest or version > newest[trajectory_id][0]:
            newest[trajectory_id] = (version, sub_goals)
    return {
        trajectory_id: sub_goal_names(text) for trajectory_id, (_version, text) in newest.items()
    }


def goal_progress_for(trajectories) -> dict[int, list[GoalTrack]]:
    """Goal progress of many trajectories in two queries, whatever their number.

    Each trajectory gets the four goals (always, even without statuses), then
    its sub-goals: those of the newest start agreement, followed by any older
    sub-goal that still has statuses. Points are ordered by date, then by
    source (start agreement, interim evaluation, closing interview).
    """
    ids = [t if isinstance(t, int) else t.pk for t in trajectories]
    sub_goals = _sub_goals_per_trajectory(ids)
    tracks: dict[int, dict[tuple, GoalTrack]] = {}
    for trajectory_id in ids:
        per_goal = {
            (int(goal), ""): GoalTrack(goal=int(goal), sub_goal="", label=str(goal.label))
            for goal in Goal
        }
        for name in sub_goals.get(trajectory_id, []):
            per_goal.setdefault((None, name), GoalTrack(goal=None, sub_goal=name, label=name))
        tracks[trajectory_id] = per_goal
    source_order = {source: index for index, source in enumerate(GoalSource.values)}
    rows = GoalStatus.objects.filter(trajectory_id__in=ids).values_list(
        "trajectory_id", "goal", "sub_goal", "recorded_on", "source", "status", "pk"
    )
    for trajectory_id, goal, sub_goal, recorded_on, source, status, _pk in sorted(
        rows, key=lambda row: (row[3], source_order.get(row[4], 9), row[6])
    ):
        key = (goal, "") if goal is not None else (None, sub_goal)
        per_goal = tracks[trajectory_id]
        if key not in per_goal:
            label = str(Goal(goal).label) if goal in Goal.values else sub_goal
            per_goal[key] = GoalTrack(goal=goal, sub_goal=sub_goal, label=label)
        per_goal[key].points.append(
            GoalPoint(recorded_on, source, status, str(GoalProgress(status).label))
        )
    return {trajectory_id: list(per_goal.values()) for trajectory_id, per_goal in tracks.items()}


def goal_progress(trajectory) -> list[GoalTrack]:
    """The goal tracks of one trajectory (see goal_progress_for)."""
    return goal_progress_for([trajectory])[trajectory.pk]


INTERVIEWEE_ROLES = (Role.CHAMPION, Role.BUDDY, Role.MANAGER)


def interviewee_memberships(trajectory):
    """The champions, buddies and managers of a trajectory: who gets a closing interview."""
    return list(
        Membership.objects.filter(trajectory=trajectory, role__in=INTERVIEWEE_ROLES)
        .select_related("user")
        .order_by("role", "user__last_name", "user__first_name")
    )


def eligible_interviewers(trajectory):
    """Researchers of the study's research team with no role at all in `trajectory`.

    Only they may hold its closing interviews: the independence rule.
    """
    User = get_user_model()
    return (
        User.objects.filter(
            is_active=True,
            study_memberships__study_id=trajectory.study_id,
            study_memberships__role=StudyRole.RESEARCHER,
        )
        .exclude(memberships__trajectory=trajectory)
        .distinct()
        .order_by("last_name", "first_name")
    )


def closing_interviews(trajectory):
    """The closing interviews of a trajectory with people and answer counts (one query)."""
    return list(
        ClosingInterview.objects.filter(trajectory=trajectory)
        .select_related("interviewee", "interviewer")
        .annotate(answer_count=Count("goal_answers"))
        .order_by("interviewee_role", "planned_at", "pk")
    )


@dataclass
class ClosingSummary:
    """Where the closing phase of one trajectory stands, without any text."""

    meeting_on: date | None = None
    planned: int = 0
    held: int = 0
    missed: int = 0
    to_plan: int = 0

    @property
    def open(self) -> int:
        """Interviews still to plan or to hold."""
        return self.to_plan + self.planned


def closing_summary_for(trajectories) -> dict[int, ClosingSummary]:
    """Closing meeting date and interview counts per trajectory in three queries."""
    ids = [t if isinstance(t, int) else t.pk for t in trajectories]
    summaries = {trajectory_id: ClosingSummary() for trajectory_id in ids}
    for trajectory_id, held_on in ClosingMeeting.objects.filter(trajectory_id__in=ids).values_list(
        "trajectory_id", "held_on"
    ):
        summaries[trajectory_id].meeting_on = held_on
    interviewed: set[tuple[int, int]] = set()
    for trajectory_id, user_id, status in ClosingInterview.objects.filter(
        trajectory_id__in=ids
    ).values_list("trajectory_id", "interviewee_id", "status"):
        interviewed.add((trajectory_id, user_id))
        summary = summaries[trajectory_id]
        setattr(summary, status, getattr(summary, status) + 1)
    people = set(
        Membership.objects.filter(trajectory_id__in=ids, role__in=INTERVIEWEE_ROLES).values_list(
            "trajectory_id", "user_id"
        )
    )
    for trajectory_id, _user_id in people - interviewed:
        summaries[trajectory_id].to_plan += 1
    return summaries
