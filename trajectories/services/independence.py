"""Who is an independent researcher somewhere in a study: stored on the research team's
`StudyMembership` (`independent`), kept by `trajectories.signals`.

A member of a study's research team is the independent researcher of each trajectory of
the study they neither coach nor research. Whether there is at least one such trajectory
drives every page (`access.all_roles`: the navigation and whether the research team's
branch of the access rule is needed). Finding it out afresh read all of a researcher's
memberships: 5,000 for a researcher of a national programme who takes part in most of its
trajectories, on every page they opened. Kept here, it is one indexed row.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from ..models import Membership, Role, StudyMembership, StudyRole, Trajectory

# The roles in a trajectory that make a member of the research team not its independent
# researcher.
PARTICIPATING = (Role.RESEARCHER, Role.COACH)


def _without_them(user, study):
    """The trajectories of `study` that `user` neither coaches nor researches (either may
    be a value or an outer reference)."""
    participating = Membership.objects.filter(user_id=user, role__in=PARTICIPATING)
    return Trajectory.objects.filter(study_id=study).exclude(
        pk__in=participating.values("trajectory_id")
    )


def is_independent_somewhere(user_id: int, study_id: int) -> bool:
    """The answer for one member, asked of the trajectories (for a membership being saved)."""
    return _without_them(user_id, study_id).exists()


def independence_refresh(*, study_ids=None, user_ids=None) -> int:
    """Recompute `independent` of the research team's memberships of these studies (ids or
    a subquery of ids) and users, or of all; one UPDATE. Returns the rows written."""
    members = StudyMembership.objects.filter(role=StudyRole.RESEARCHER)
    if study_ids is not None:
        members = members.filter(study_id__in=study_ids)
    if user_ids is not None:
        members = members.filter(user_id__in=user_ids)
    return members.update(
        independent=Exists(_without_them(OuterRef(OuterRef("user_id")), OuterRef("study_id")))
    )
