"""Who may use the research pages: the research team only.

The research team of a trajectory are its participating researchers and the
independent researchers of its study (`Capability.READ_RESEARCH_DATA`). The
team coach is not a researcher and never sees the key.
"""

from __future__ import annotations

from trajectories import access
from trajectories.access import Capability


def research_trajectory(user, pk):
    """The trajectory `pk` if `user` is in its research team (404 outsiders, 403 other roles)."""
    return access.get_trajectory(user, pk, Capability.READ_RESEARCH_DATA)


def research_trajectories(user):
    return access.visible_trajectories(user, Capability.READ_RESEARCH_DATA)


def require_researcher(user) -> None:
    """For pages that span trajectories: 403 unless `user` is a researcher somewhere."""
    access.require_anywhere(user, Capability.READ_RESEARCH_DATA)
