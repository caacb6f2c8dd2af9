"""Who may see and do what in dialogue sessions; builds on trajectories.access.

- summary (that a session took place, how many took part, report status):
  everyone who may view the trajectory, and the session's own invitees.
- content (harvest items and report text): the team coach, the researchers
  (participating and the study's research team) and the session's invitees.
  Managers, champions, buddies and staff never see this text.
- invite: champion and team coach compose and send invitations.
- facilitate: team coach and participating researcher run the harvest.
- write_report: the participating researcher.
Outsiders (no role in the trajectory, not invited) get 404; others 403.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.http import Http404

from trajectories import access
from trajectories.access import STUDY_RESEARCHER, Capability
from trajectories.models import Role

from .models import DialogueSession


class Need(StrEnum):
    SUMMARY = "summary"
    CONTENT = "content"
    INVITE = "invite"
    FACILITATE = "facilitate"
    WRITE_REPORT = "write_report"


RULES = {
    Need.SUMMARY: access.CAPABILITIES[Capability.VIEW_TRAJECTORY],
    Need.CONTENT: frozenset({Role.COACH, Role.RESEARCHER, STUDY_RESEARCHER}),
    Need.INVITE: frozenset({Role.CHAMPION, Role.COACH}),
    Need.FACILITATE: frozenset({Role.COACH, Role.RESEARCHER}),
    Need.WRITE_REPORT: frozenset({Role.RESEARCHER}),
}
INVITEE_NEEDS = {Need.SUMMARY, Need.CONTENT}


def is_invitee(user, session) -> bool:
    if not user.is_authenticated:
        return False
    return session.invitees.filter(user=user).exists()


def allowed(user, need: Need, session) -> bool:
    if access.roles_for(user, session.trajectory_id) & RULES[need]:
        return True
    return need in INVITEE_NEEDS and is_invitee(user, session)


def get_session(user, pk, need: Need) -> DialogueSession:
    session = access.object_or_404(
        DialogueSession.objects.select_related(
            "trajectory__organisation", "facilitator", "researcher", "half_day"
        ),
        pk,
    )
    roles = access.roles_for(user, session.trajectory_id)
    if roles & RULES[need]:
        return session
    invited = is_invitee(user, session)
    if need in INVITEE_NEEDS and invited:
        return session
    if not roles and not invited:
        raise Http404
    raise PermissionDenied


def check_trajectory(user, trajectory, need: Need) -> None:
    roles = access.roles_for(user, trajectory)
    if not roles:
        raise Http404
    if not roles & RULES[need]:
        raise PermissionDenied
