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

from trajectories import access
from trajectories.access import CAPABILITIES, RESEARCH_TEAM, Capability, roles_for
from trajectories.models import Role

from .models import AudioClip, EmailAttachment, Entry, EntryStatus

DATA_POINT_READERS = CAPABILITIES[Capability.READ_DATA_POINTS]


def get_entry(user, pk) -> Entry:
    entry = access.object_or_404(
        Entry.objects.select_related("author", "trajectory__organisation"), pk
    )
    check_read_entry(user, entry)
    return entry


def get_audio_clip(user, pk) -> AudioClip:
    clip = access.object_or_404(AudioClip.objects.select_related("entry"), pk)
    check_read_entry(user, clip.entry)
    return clip


def get_attachment(user, pk) -> EmailAttachment:
    attachment = access.object_or_404(
        EmailAttachment.objects.select_related("email__trajectory"), pk
    )
    check_read_data_points(user, attachment.email.trajectory)
    return attachment


def may_see_history(user, entry) -> bool:
    """The author and the research team see the earlier versions of an entry."""
    return entry.author_id == user.pk or access.can(
        user, Capability.READ_ENTRY_HISTORY, entry.trajectory_id
    )


def index_trajectories(user):
    """(writable queryset, readable list) for the logbook home page; 403 when both are empty."""
    writable = access.visible_trajectories(user, Capability.WRITE_LOGBOOK)
    readable = list(access.trajectories_holding(user, DATA_POINT_READERS))
    if not writable and not readable:
        raise PermissionDenied
    return writable, readable


def require_writer_somewhere(user) -> None:
    """The reminder settings are for people who write a logbook somewhere."""
    if not access.visible_trajectories(user, Capability.WRITE_LOGBOOK).exists():
        raise PermissionDenied


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
    access.deny_unless(roles_for(user, entry.trajectory_id), frozenset())


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


def check_read_data_points(user, trajectory) -> None:
    access.check(user, Capability.READ_DATA_POINTS, trajectory)
