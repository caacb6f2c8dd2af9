import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trajectories.models import Organisation, Sector

from .classification import PublicationType, Theme, YearBand, year_band


class ReportKind(models.TextChoices):
    HARVEST = "harvest", _("Harvest report")
    SUMMARY = "summary", _("Trajectory summary")
    PORTRAIT = "portrait", _("Organisation portrait")
    CROSSCASE = "crosscase", _("Cross-case overview")
    SYNTHESIS = "synthesis", _("Cross-case synthesis")


class Audience(models.TextChoices):
    """Who a report is built for. Every audience but the research team gets
    no statements of people, or only pseudonymised ones (see builders)."""

    RESEARCH_TEAM = "research_team", _("Research team")
    MANAGER = "manager", _("Manager")
    PARTICIPANTS = "participants", _("Participants and team coach")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


def _report_path(instance, filename):
    # Random names under a private folder: the file is only reachable through the
    # download view, which checks access.
    return f"private/reports/{instance.kind}/{uuid.uuid4().hex}.pdf"


class Report(models.Model):
    """A generated PDF: what was asked, for whom, and where the file is.

    `object_id` is the id of the dialogue session (harvest), trajectory
    (summary), organisation (portrait) or study (cross-case).
    """

    kind = models.CharField(_("kind"), max_length=12, choices=ReportKind.choices)
    object_id = models.PositiveBigIntegerField(_("object"))
    audience = models.CharField(
        _("audience"), max_length=16, choices=Audience.choices, default=Audience.RESEARCH_TEAM
    )
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to=_report_path, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="reports",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    sector = models.CharField(_("sector"), max_length=10, choices=Sector.choices, blank=True)
    theme = models.CharField(
        _("theme"), max_length=30, choices=Theme.choices, default=Theme.PROFESSIONALISATION
    )
    year = models.PositiveSmallIntegerField(_("year"))
    publication_type = models.CharField(
        _("publication type"),
        max_length=20,
        choices=PublicationType.choices,
        default=PublicationType.RESEARCH_REPORT,
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["kind", "object_id"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ReportKind.values), name="report_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="report_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(audience__in=Audience.values), name="report_audience_valid"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_max_100"),
            models.CheckConstraint(condition=Q(theme__in=Theme.values), name="report_theme_valid"),
            models.CheckConstraint(
                condition=Q(publication_type__in=PublicationType.values),
                name="report_publication_type_valid",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def year_band(self) -> str:
        return YearBand(year_band(self.year)).label


class Portrait(models.Model):
    """The sections of an organisation portrait that the research team writes.

    One per organisation. The key figures (dialogue sessions, participants,
    half-days) come from the database when the PDF is built; only the number
    of students is entered here, because the system does not know it.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="portrait",
        verbose_name=_("organisation"),
    )
    student_count = models.PositiveIntegerField(_("number of students"), null=True, blank=True)
    student_note = models.CharField(
        _("about the students"), max_length=300, blank=True,
        help_text=_("For example how the students are spread over programmes or learning paths."),
    )
    vision = models.TextField(_("How the organisation sees career guidance"), blank=True)
    provision = models.TextField(_("What its career guidance consists of"), blank=True)
    staff_policy = models.TextField(_("Staff and professionalisation policy"), blank=True)
    expectations = models.TextField(_("What is expected of professionals"), blank=True)
    bottlenecks = models.TextField(_("Bottlenecks and wishes"), blank=True)
    recommendations = models.TextField(_("And now onwards: recommendations"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("last changed by"),
    )
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)

    SECTION_FIELDS = (
        "vision", "provision", "staff_policy", "expectations", "bottlenecks", "recommendations",
    )

    class Meta:
        verbose_name = _("organisation portrait")
        verbose_name_plural = _("organisation portraits")

    def __str__(self):
        return str(self.organisation)

    def sections(self) -> list[tuple[str, str, str]]:
        """(field name, heading, text) for each section, in the order of the portrait."""
        return [
            (name, self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in self.SECTION_FIELDS
        ]
