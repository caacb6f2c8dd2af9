"""Who may read and write what in the logbooks (builds on trajectories.access).

- An entry is written by a champion, buddy or team coach of the trajectory.
- An entry is readable by its author and, once submitted, by the research team
  (researchers of the trajectory and the study's independent researchers).
  The team coach reads a champion's or buddy's submitted entry only if it is
  shared. Managers never read logbook text or audio.
- E-mails and notes: research team and team coach only; notes are written by
  the research team.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from trajectories import access
from trajectories.access import RESEARCH_TEAM, Capability, roles_for
from trajectories.models import Role

from .models import EntryStatus

DATA_POINT_READERS = frozenset(RESEARCH_TEAM | {Role.COACH})
NOTE_WRITERS = RESEARCH_TEAM
EMAIL_UPLOADERS = DATA_POINT_READERS


def _require(user, trajectory, allowed) -> frozenset:
    roles = roles_for(user, trajectory)
    if not roles:
        raise Http404
    if not roles & allowed:
        raise PermissionDenied
    return roles


def check_write(user, trajectory) -> None:
    access.check(user, Capability.WRITE_LOGBOOK, trajectory)


def writer_role(user, trajectory) -> str:
    """The role in which `user` writes: champion before buddy before coach."""
    roles = roles_for(user, trajectory)
    for role in (Role.CHAMPION, Role.BUDDY, Role.COACH):
        if role in roles:
            return role
    raise PermissionDenied


def can_read_entry(user, entry) -> bool:
    if entry.author_id == user.pk:
        return True
    if entry.status != EntryStatus.SUBMITTED:
        return False
    roles = roles_for(user, entry.trajectory_id)
    if roles & RESEARCH_TEAM:
        return True
    return Role.COACH in roles and entry.shared_with_coach


def check_read_entry(user, entry) -> None:
    if can_read_entry(user, entry):
        return
    if not roles_for(user, entry.trajectory_id):
        raise Http404
    raise PermissionDenied


def readable_entries_filter(user, trajectory) -> Q:
    """A filter on Entry for what `user` may read in `trajectory`."""
    roles = roles_for(user, trajectory)
    own = Q(author_id=user.pk)
    submitted = Q(status=EntryStatus.SUBMITTED)
    if roles & RESEARCH_TEAM:
        return own | submitted
    if Role.COACH in roles:
        return own | (submitted & Q(shared_with_coach=True))
    return own


def check_read_data_points(user, trajectory) -> frozenset:
    return _require(user, trajectory, DATA_POINT_READERS)


def check_write_notes(user, trajectory) -> frozenset:
    return _require(user, trajectory, NOTE_WRITERS)


def check_upload_email(user, trajectory) -> frozenset:
    return _require(user, trajectory, EMAIL_UPLOADERS)
