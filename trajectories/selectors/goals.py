"""Goal progress over a trajectory: baseline, interim evaluations, closing interviews."""


from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from ..goals import Goal
from ..models import (
    GOAL_PROGRESS_ORDER,
    GoalProgress,
    GoalSource,
    GoalStatus,
    HalfDay,
    InterventionType,
    StartAgreement,
)

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


def is_interim_evaluation(half_day: HalfDay) -> bool:
    return InterventionType.INTERIM in (half_day.intervention_types or [])
