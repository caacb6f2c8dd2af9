"""Reads of trajectories that more than one view needs."""

from . import access


def trajectories_with_roles(user):
    """The trajectories `user` may see, each with `.my_roles` (sorted role keys)."""
    trajectories = list(access.visible_trajectories(user).order_by("organisation__name"))
    for trajectory in trajectories:
        trajectory.my_roles = sorted(access.roles_for(user, trajectory))
    return trajectories
