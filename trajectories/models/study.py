"""Studies and who takes part in them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Study(models.Model):
    """A research project or cohort; trajectories, overviews and exports are per study."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("study")
        verbose_name_plural = _("studies")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="study_ends_after_start",
            )
        ]

    def __str__(self):
        return self.name


class StudyRole(models.TextChoices):
    RESEARCHER = "researcher", _("researcher")
    COACH = "coach", _("team coach")


class StudyMembership(models.Model):
    """Membership of a study's research team.

    A researcher here who holds no role in a given trajectory is that
    trajectory's *independent* researcher (the one who may hold its closing
    interviews).
    """

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="study_memberships"
    )
    role = models.CharField(_("role"), max_length=12, choices=StudyRole.choices)
    # For the research team: the independent researcher of at least one trajectory of the
    # study (neither its coach nor a researcher there). Stored, kept by
    # `trajectories.signals` (`services.independence`): finding it out afresh read all of a
    # researcher's memberships on every page they opened.
    independent = models.BooleanField(
        _("independent researcher in the study"), default=False, editable=False
    )

    class Meta:
        verbose_name = _("study membership")
        verbose_name_plural = _("study memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["study", "user", "role"], name="study_membership_unique"
            ),
            models.CheckConstraint(
                condition=Q(role__in=StudyRole.values), name="study_membership_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.study}"
