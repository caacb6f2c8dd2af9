"""Which landing page a person sees after logging in, by their main role."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from trajectories import access
from trajectories.models import Role

# The first role in this list that a person holds decides their landing page.
PRIORITY = [
    Role.COACH,
    Role.RESEARCHER,
    access.STUDY_RESEARCHER,
    Role.CHAMPION,
    Role.BUDDY,
    Role.MANAGER,
    Role.PARTICIPANT,
    access.STAFF,
]

TITLES = {
    Role.COACH: _("Team coach overview"),
    Role.RESEARCHER: _("Research overview"),
    access.STUDY_RESEARCHER: _("Independent researcher overview"),
    Role.CHAMPION: _("My trajectory (champion)"),
    Role.BUDDY: _("My trajectory (buddy)"),
    Role.MANAGER: _("Progress of your organisation"),
    Role.PARTICIPANT: _("My dialogue sessions"),
    access.STAFF: _("Administration"),
}

INTROS = {
    Role.COACH: _("Plan the trajectories you coach: half-days, hours and next steps."),
    Role.RESEARCHER: _("Follow the trajectories you take part in and work with the research data."),
    access.STUDY_RESEARCHER: _(
        "As an independent researcher you hold closing interviews in trajectories "
        "you were not involved in."
    ),
    Role.CHAMPION: _("Keep your weekly logbook and follow the plan of your trajectory."),
    Role.BUDDY: _("Support the champion, keep your logbook and follow the plan."),
    Role.MANAGER: _(
        "See how the trajectory of your organisation progresses. You see figures, "
        "never what people wrote or said."
    ),
    Role.PARTICIPANT: _("Your dialogue sessions, consent and harvest reports."),
    access.STAFF: _("Manage organisations, studies and accounts."),
}


@dataclass
class Landing:
    role: str
    title: str
    intro: str
    roles: list[str] = field(default_factory=list)


def landing_for(user) -> Landing:
    roles = access.all_roles(user)
    for role in PRIORITY:
        if role in roles:
            return Landing(role=role, title=TITLES[role], intro=INTROS[role], roles=sorted(roles))
    return Landing(
        role="none",
        title=_("Welcome"),
        intro=_("You do not have a role in a trajectory yet. The team coach can add you."),
    )
