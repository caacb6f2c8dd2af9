"""Reads of trajectories that more than one view needs, by area; every public name is
re-exported here.
"""

from .calendar import SUMMER_MONTHS, calendar_month, ics_for, parse_month
from .closing import (
    CLOSING_OPEN_PHASES,
    INTERVIEWEE_ROLES,
    ClosingSummary,
    closing_attendee_candidates,
    closing_interviews,
    closing_problems,
    closing_summary_for,
    eligible_interviewers,
    interviewee_memberships,
)
from .goals import (
    SUB_GOAL_MAX,
    GoalPoint,
    GoalTrack,
    goal_progress,
    goal_progress_for,
    is_interim_evaluation,
    sub_goal_names,
)
from .plan import HoursSummary, champions_and_buddies, half_days, hours_summary
from .trajectory import (
    NEXT_PHASE,
    PHASE_MEANING,
    PHASE_ORDER,
    current_agreement,
    held_half_days,
    next_step,
    next_step_from,
    phase_steps,
    previous_phase,
    trajectories_with_roles,
    transition_problems,
    transition_warnings,
)

__all__ = [
    "PHASE_MEANING",
    "held_half_days",
    "previous_phase",
    "transition_warnings",
    "CLOSING_OPEN_PHASES",
    "ClosingSummary",
    "GoalPoint",
    "GoalTrack",
    "HoursSummary",
    "INTERVIEWEE_ROLES",
    "NEXT_PHASE",
    "PHASE_ORDER",
    "SUB_GOAL_MAX",
    "SUMMER_MONTHS",
    "calendar_month",
    "champions_and_buddies",
    "closing_attendee_candidates",
    "closing_interviews",
    "closing_problems",
    "closing_summary_for",
    "current_agreement",
    "eligible_interviewers",
    "goal_progress",
    "goal_progress_for",
    "half_days",
    "hours_summary",
    "ics_for",
    "parse_month",
    "interviewee_memberships",
    "is_interim_evaluation",
    "next_step",
    "next_step_from",
    "phase_steps",
    "sub_goal_names",
    "trajectories_with_roles",
    "transition_problems",
]
