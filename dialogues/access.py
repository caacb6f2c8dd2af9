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

from trajectories import access
from trajectories.access import CAPABILITIES, Capability

from .models import DialogueSession


class Need(StrEnum):
    SUMMARY = "summary"
    CONTENT = "content"
    INVITE = "invite"
    FACILITATE = "facilitate"
    WRITE_REPORT = "write_report"


# The roles of each need: named sets of `trajectories.access`, nothing of its own.
RULES = {
    Need.SUMMARY: CAPABILITIES[Capability.VIEW_TRAJECTORY],
    Need.CONTENT: CAPABILITIES[Capability.READ_DIALOGUE_CONTENT],
    Need.INVITE: CAPABILITIES[Capability.INVITE_TO_DIALOGUE],
    Need.FACILITATE: CAPABILITIES[Capability.FACILITATE_DIALOGUE],
    Need.WRITE_REPORT: CAPABILITIES[Capability.WRITE_HARVEST_REPORT],
}
INVITEE_NEEDS = {Need.SUMMARY, Need.CONTENT}
# The session's own invitees count as a role of that session for the needs above.
INVITEE = "invitee"


def is_invitee(user, session) -> bool:
    if not user.is_authenticated:
        return False
    return session.invitees.filter(user=user).exists()


def _needed(need: Need) -> frozenset[str]:
    """The roles of `need`, with INVITEE where the session's invitees have it too."""
    return RULES[need] | {INVITEE} if need in INVITEE_NEEDS else RULES[need]


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
    if not roles & RULES[need] and is_invitee(user, session):
        # An invitee without a role is no outsider: 403, not 404, for the other needs.
        roles |= {INVITEE}
    access.deny_unless(roles, _needed(need))
    return session


def check_trajectory(user, trajectory, need: Need) -> None:
    access.deny_unless(access.roles_for(user, trajectory), RULES[need])


def may(user, need: Need, trajectory) -> bool:
    """Whether `user` has `need` on the trajectory by their role (not as an invitee)."""
    return bool(access.roles_for(user, trajectory) & RULES[need])


def summary_trajectory_ids(user):
    """The trajectories whose sessions `user` sees by their role, as a subquery of ids."""
    return access.trajectories_holding(user, RULES[Need.SUMMARY]).values("id")
