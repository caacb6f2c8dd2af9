"""Who may see and do what in dialogue sessions; builds on trajectories.access.

- summary (that a session took place, how many took part, report status):
  everyone who may view the trajectory, and the session's own invitees.
- content (harvest items and submitted report versions): the team coach, the
  researchers (participating and the study's research team) and the session's
  invitees who agreed to take part (dialogue consent) and are not managers of
  the trajectory. Managers, champions, buddies, staff, invitees who refused or
  never answered, and withdrawn people never see this text. Unsubmitted
  drafts of the report are for the research team only (`sees_drafts`).
- invite: champion and team coach compose and send invitations.
- facilitate: team coach and participating researcher run the harvest.
- write_report: the participating researcher.
- The session's own researcher (chosen from the study's research team, seed 003)
  facilitates and writes the report of that session, also without a role of
  researcher in the trajectory; while they are in the research team
  (`SESSION_RESEARCHER`).
Outsiders (no role in the trajectory, not invited) get 404; others 403.
"""

from enum import StrEnum

from django.db.models import Q

from research.consent import has_agreed
from research.models import ConsentKind
from trajectories import access
from trajectories.access import CAPABILITIES, RESEARCH_TEAM, Capability
from trajectories.models import Role

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
INVITEE_NEEDS = {Need.SUMMARY, Need.CONTENT}  # CONTENT only with consent, see below
# The session's own invitees count as a role of that session for the needs above.
INVITEE = "invitee"
# The session's own researcher counts as a role of that session: a study researcher
# who does the dialogue runs its harvest and writes its report.
SESSION_RESEARCHER = "session_researcher"
SESSION_RESEARCHER_NEEDS = {Need.FACILITATE, Need.WRITE_REPORT}


def _session_roles(user, session) -> frozenset[str]:
    """The user's roles in the session's trajectory, with SESSION_RESEARCHER when they are
    the session's researcher and still in the research team there."""
    roles = access.roles_for(user, session.trajectory_id)
    if user.is_authenticated and session.researcher_id == user.pk and roles & RESEARCH_TEAM:
        roles |= {SESSION_RESEARCHER}
    return roles


def _rule(need: Need) -> frozenset[str]:
    return RULES[need] | {SESSION_RESEARCHER} if need in SESSION_RESEARCHER_NEEDS else RULES[need]


def is_invitee(user, session) -> bool:
    if not user.is_authenticated:
        return False
    return session.invitees.filter(user=user).exists()


def invitee_reads_content(user, session) -> bool:
    """An invitee reads the harvest and the report only with their dialogue consent,
    and never when they manage the organisation (their staff's words are not theirs
    to read)."""
    if Role.MANAGER in access.roles_for(user, session.trajectory_id):
        return False
    invitee = session.invitees.filter(user=user).first()
    if invitee is None:
        return False
    return has_agreed(
        trajectory=session.trajectory_id,
        kind=ConsentKind.DIALOGUE,
        user=user,
        email=invitee.email,
    )


def _invitee_has(user, need: Need, session) -> bool:
    if need not in INVITEE_NEEDS or not is_invitee(user, session):
        return False
    return need != Need.CONTENT or invitee_reads_content(user, session)


def _needed(need: Need, invitee_has: bool) -> frozenset[str]:
    """The roles of `need` on a session, with INVITEE where this invitee has it too."""
    return _rule(need) | {INVITEE} if invitee_has else _rule(need)


def allowed(user, need: Need, session) -> bool:
    if _session_roles(user, session) & _rule(need):
        return True
    return _invitee_has(user, need, session)


def sees_drafts(user, session) -> bool:
    """Unsubmitted report drafts: the research team only."""
    return bool(access.roles_for(user, session.trajectory_id) & RESEARCH_TEAM)


def get_session(user, pk, need: Need) -> DialogueSession:
    session = access.object_or_404(
        DialogueSession.objects.select_related(
            "trajectory__organisation", "facilitator", "researcher", "half_day"
        ),
        pk,
    )
    roles = _session_roles(user, session)
    invitee_has = False
    if not roles & _rule(need) and is_invitee(user, session):
        # An invitee without a role is no outsider: 403, not 404, for the other needs.
        roles |= {INVITEE}
        invitee_has = _invitee_has(user, need, session)
    access.deny_unless(roles, _needed(need, invitee_has))
    return session


def check_trajectory(user, trajectory, need: Need) -> None:
    access.deny_unless(access.roles_for(user, trajectory), RULES[need])


def may(user, need: Need, trajectory) -> bool:
    """Whether `user` has `need` on the trajectory by their role (not as an invitee)."""
    return bool(access.roles_for(user, trajectory) & RULES[need])


def summary_sessions(user) -> Q:
    """A filter on DialogueSession: `user` sees the session by their role in its
    trajectory (asked of each session, for lists of sessions across trajectories)."""
    return access.through(user, RULES[Need.SUMMARY], "trajectory")
