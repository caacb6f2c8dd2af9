"""The four goals every trajectory works towards (DOMAIN.md, phase 1).

They are fixed by the research design, so they are code, not data. Other apps
tag their material with these numbers; organisations add their own sub-goals
as rows (see SubGoal).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Goal(models.IntegerChoices):
    VISION = 1, _("The organisation has a vision of what good career guidance is and why")
    ENDORSED = 2, _("Team members know and endorse that vision")
    AWARE = 3, _("Team members are aware of the role they can play")
    ABLE = 4, _("Team members can fill that role, with an eye for invisible obstacles")


GOAL_SHORT_LABELS = {
    Goal.VISION: _("Vision"),
    Goal.ENDORSED: _("Endorsement"),
    Goal.AWARE: _("Awareness of role"),
    Goal.ABLE: _("Ability to fill role"),
}
