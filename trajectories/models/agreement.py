"""The start agreement and its signatures."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .trajectory import Trajectory


class StartAgreement(models.Model):
    """The start agreement (startdocument); versioned, locked once all three parties signed."""

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="start_agreements"
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    facilitation_hours = models.DecimalField(
        _("facilitation of the champion (hours)"), max_digits=6, decimal_places=1, default=0
    )
    facilitation_period = models.CharField(
        _("per"), max_length=60, blank=True, help_text=_("For example: per week, per period.")
    )
    support = models.TextField(_("support for the champion"), blank=True)
    coach_hours_budget = models.DecimalField(
        _("team coach's hour budget"), max_digits=6, decimal_places=1, default=40
    )
    min_half_days = models.PositiveIntegerField(_("minimum number of half-days"), default=5)
    duties = models.JSONField(_("data-collection duties"), default=list, blank=True)
    sub_goals = models.TextField(
        _("the organisation's own sub-goals"), blank=True, help_text=_("One per line.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # All parties signed (`is_locked`), stored and kept by `trajectories.signals`: the
    # landing page's "start agreements to sign" then reads the open ones only, where it
    # read every agreement and signature of a national programme's coach.
    fully_signed = models.BooleanField(_("signed by all parties"), default=False, editable=False)

    class Meta:
        verbose_name = _("start agreement")
        verbose_name_plural = _("start agreements")
        ordering = ["trajectory", "-version"]
        indexes = [
            models.Index(
                fields=["trajectory"],
                condition=Q(fully_signed=False),
                name="agreement_awaiting_signature",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory", "version"], name="start_agreement_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(coach_hours_budget__gt=0), name="start_agreement_budget_positive"
            ),
            models.CheckConstraint(
                condition=Q(facilitation_hours__gte=0),
                name="start_agreement_facilitation_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.trajectory} v{self.version}"

    @property
    def signed_parties(self):
        return {signature.party for signature in self.signatures.all()}

    @property
    def is_locked(self):
        return self.signed_parties >= set(SignatureParty.values)

    @property
    def sub_goal_list(self):
        return [line.strip() for line in self.sub_goals.splitlines() if line.strip()]


class Duty(models.TextChoices):
    # The six duties of seed 003, appendix 1, then two the app adds.
    LOGBOOK = "logbook", _("Keep the weekly logbook")
    STUDENT_NEEDS = "student_needs", _("Collect the students' needs")
    HARVEST = "harvest", _("Collect the team's learning outcomes in the half-days")
    INTERVIEW = "interview", _("Take part in the closing interview")
    RECORDINGS = "recordings", _("Allow recordings of the half-days")
    SHARE = "share", _("Help share the knowledge inside and outside the organisation")
    MAIL = "mail", _("Share relevant e-mail correspondence")
    CONSENT = "consent", _("Collect informed consent of participants")


# The duties of the start agreement in the seed; a new agreement starts with them ticked.
SEED_DUTIES = [
    Duty.LOGBOOK,
    Duty.STUDENT_NEEDS,
    Duty.HARVEST,
    Duty.INTERVIEW,
    Duty.RECORDINGS,
    Duty.SHARE,
]


class SignatureParty(models.TextChoices):
    RESEARCH_TEAM = "research_team", _("research team")
    CHAMPION = "champion", _("champion")
    MANAGEMENT = "management", _("management")


class Signature(models.Model):
    agreement = models.ForeignKey(
        StartAgreement, on_delete=models.CASCADE, related_name="signatures"
    )
    party = models.CharField(_("party"), max_length=16, choices=SignatureParty.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signatures"
    )
    signed_at = models.DateTimeField(_("signed at"))

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "party"], name="signature_once_per_party"),
            models.CheckConstraint(
                condition=Q(party__in=SignatureParty.values), name="signature_party_valid"
            ),
        ]

    def __str__(self):
        return f"{self.agreement} — {self.get_party_display()}"
