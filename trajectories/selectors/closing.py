"""Phase 4: closing interviews, who takes part, what is missing before finishing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import (
    ClosingInterview,
    ClosingMeeting,
    Membership,
    Phase,
    Role,
    StudyMembership,
    StudyRole,
    Trajectory,
)

INTERVIEWEE_ROLES = (Role.CHAMPION, Role.BUDDY, Role.MANAGER)


def interviewee_memberships(trajectory):
    """The champions, buddies and managers of a trajectory: who gets a closing interview."""
    return list(
        Membership.objects.filter(trajectory=trajectory, role__in=INTERVIEWEE_ROLES)
        .select_related("user")
        .order_by("role", "user__last_name", "user__first_name")
    )


def eligible_interviewers(trajectory):
    """Researchers of the study's research team with no role at all in `trajectory`
    and who did none of its dialogue sessions (the session's researcher is involved).

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
        .exclude(researched_dialogues__trajectory=trajectory)
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


CLOSING_OPEN_PHASES = (Phase.CUSTOM, Phase.CLOSING, Phase.FINISHED)


def closing_attendee_candidates(trajectory: Trajectory):
    """Who may be marked present at the closing meeting.

    Champions, buddies and managers of the trajectory and its research team
    (team coach, participating researcher and the study's researchers).
    """
    User = get_user_model()
    in_trajectory = Membership.objects.filter(
        trajectory=trajectory,
        role__in=[Role.CHAMPION, Role.BUDDY, Role.MANAGER, Role.COACH, Role.RESEARCHER],
    ).values("user_id")
    in_study = StudyMembership.objects.filter(study_id=trajectory.study_id).values("user_id")
    return (
        User.objects.filter(Q(pk__in=in_trajectory) | Q(pk__in=in_study))
        .filter(is_active=True)
        .order_by("last_name", "first_name")
    )


def closing_problems(trajectory: Trajectory) -> list[str]:
    """What is missing before a trajectory in the closing phase can be finished."""
    problems = []
    if not ClosingMeeting.objects.filter(trajectory=trajectory).exists():
        problems.append(_("Finishing needs the closing meeting to be recorded."))
    summary = closing_summary_for([trajectory])[trajectory.pk]
    if summary.to_plan:
        problems.append(
            ngettext(
                "%(count)d champion, buddy or manager has no closing interview yet.",
                "%(count)d champions, buddies or managers have no closing interview yet.",
                summary.to_plan,
            )
            % {"count": summary.to_plan}
        )
    if summary.planned:
        problems.append(
            ngettext(
                "%(count)d closing interview is neither held nor recorded as missed.",
                "%(count)d closing interviews are neither held nor recorded as missed.",
                summary.planned,
            )
            % {"count": summary.planned}
        )
    return problems
