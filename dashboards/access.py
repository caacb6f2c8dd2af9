"""Who sees which dashboard; named sets of `trajectories.access`, nothing of its own.

- the manager dashboard: managers, of their own organisations' trajectories;
- the overview: the team coach and the researchers (participating and
  independent), of the trajectories they coach, research or interview in;
- one trajectory's dashboard: whoever may view its progress.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from trajectories import access
from trajectories.access import CAPABILITIES, STUDY_RESEARCHER, Capability
from trajectories.models import Role

# The overview's trajectory roles as stored in memberships (the independent
# researcher holds no membership; they come in through their interviews).
OVERVIEW_MEMBER_ROLES = CAPABILITIES[Capability.VIEW_OVERVIEW] - {STUDY_RESEARCHER}


def is_manager(user) -> bool:
    return Role.MANAGER in access.all_roles(user)


def may_see_overview(user) -> bool:
    return access.anywhere(user, Capability.VIEW_OVERVIEW)


def require_overview(user) -> None:
    if not may_see_overview(user):
        raise PermissionDenied


def require_manager(user) -> None:
    if not is_manager(user):
        raise PermissionDenied
