"""Phase 1: contacts, recruitment, decision and the coach interview."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .organisation import Organisation
from .trajectory import Trajectory

# ---------------------------------------------------------------------------
# Phase 1: contacts, recruitment, decision, interview, start agreement
# ---------------------------------------------------------------------------


class ContactPerson(models.Model):
    """Someone at an organisation the research team is in touch with."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(_("function"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ContactKind(models.TextChoices):
    MAIL = "mail", _("mail")
    CALL = "call", _("call")
    MEETING = "meeting", _("meeting")


class RecruitmentContact(models.Model):
    """One entry of the recruitment log."""

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="recruitment_contacts"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=ContactKind.choices)
    people = models.CharField(_("people"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_introductory = models.BooleanField(_("introductory meeting"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("recruitment contact")
        verbose_name_plural = _("recruitment contacts")
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ContactKind.values), name="recruitment_contact_kind_valid"
            )
        ]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"


class FactorCategory(models.TextChoices):
    ORGANISATION = "organisation", _("organisation")
    MANAGEMENT = "management", _("management")
    CHAMPION = "champion", _("champion")
    COACH = "coach", _("team coach")


class FactorOption(models.Model):
    """The pick-list of decision factors seen in the study."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    category = models.CharField(
        _("category"), max_length=12, choices=FactorCategory.choices, blank=True
    )

    class Meta:
        verbose_name = _("decision factor option")
        verbose_name_plural = _("decision factor options")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Decision(models.Model):
    """The organisation's yes or no to a trajectory."""

    trajectory = models.OneToOneField(Trajectory, on_delete=models.CASCADE, related_name="decision")
    is_yes = models.BooleanField(_("decision is yes"))
    decided_on = models.DateField(_("decided on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return f"{self.trajectory}: {'yes' if self.is_yes else 'no'}"


class DecisionFactor(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="factors")
    category = models.CharField(_("category"), max_length=12, choices=FactorCategory.choices)
    is_helping = models.BooleanField(_("helping"), default=True)
    option = models.ForeignKey(
        FactorOption, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("factor")
    )
    free_text = models.CharField(_("other factor"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("decision factor")
        verbose_name_plural = _("decision factors")
        ordering = ["category", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=FactorCategory.values), name="decision_factor_category"
            ),
            models.CheckConstraint(
                condition=Q(option__isnull=False) | ~Q(free_text=""),
                name="decision_factor_named",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        if self.option_id and self.free_text:
            return f"{self.option.name}: {self.free_text}"
        return self.option.name if self.option_id else self.free_text


class CoachInterview(models.Model):
    """The team coach's phase-1 interview: four questions, for yes and no alike."""

    trajectory = models.OneToOneField(
        Trajectory, on_delete=models.CASCADE, related_name="coach_interview"
    )
    run_up = models.TextField(_("How did the run-up go?"), blank=True)
    helped = models.TextField(_("What helped?"), blank=True)
    hindered = models.TextField(_("What hindered?"), blank=True)
    decisive = models.TextField(_("What led to the decision?"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("team coach interview")
        verbose_name_plural = _("team coach interviews")

    def __str__(self):
        return str(self.trajectory)
