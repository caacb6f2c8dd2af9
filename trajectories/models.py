from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    VMBO = "vmbo", _("vmbo")
    HAVO_VWO = "havo_vwo", _("havo/vwo")
    MBO = "mbo", _("mbo")
    HO = "ho", _("ho")


class OrganisationKind(models.TextChoices):
    SCHOOL = "school", _("school")
    PROGRAMME = "programme", _("programme")
    DEPARTMENT = "department", _("department")


class Organisation(models.Model):
    """The unit a trajectory works with: a school, a programme or a department."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("short name"), max_length=60, blank=True, help_text=_("How people usually call it.")
    )
    sector = models.CharField(_("sector"), max_length=10, choices=Sector.choices)
    kind = models.CharField(
        _("kind"), max_length=12, choices=OrganisationKind.choices, default=OrganisationKind.SCHOOL
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="organisation_name_unique"),
            models.CheckConstraint(
                condition=Q(sector__in=Sector.values), name="organisation_sector_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"
            ),
        ]

    def __str__(self):
        return self.name


class Location(models.Model):
    """A site of an organisation; an mbo institution often has several."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="locations"
    )
    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="location_name_unique_per_organisation"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.city})" if self.city else self.name


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


class Phase(models.TextChoices):
    RECRUITMENT = "recruitment", _("Recruitment and decision")
    START_DIALOGUE = "start_dialogue", _("Start dialogue")
    CUSTOM = "custom", _("Custom trajectory")
    CLOSING = "closing", _("Closing")
    FINISHED = "finished", _("Finished")
    DECLINED = "declined", _("Declined")


class Trajectory(models.Model):
    """One organisation's four-phase professionalisation trajectory in a study."""

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="trajectories")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="trajectories"
    )
    phase = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.RECRUITMENT
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "organisation"], name="trajectory_unique_per_study"
            ),
            models.CheckConstraint(
                condition=Q(phase__in=Phase.values), name="trajectory_phase_valid"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="trajectory_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.study})"


class Role(models.TextChoices):
    COACH = "coach", _("team coach")
    RESEARCHER = "researcher", _("researcher")
    CHAMPION = "champion", _("champion")
    BUDDY = "buddy", _("buddy")
    MANAGER = "manager", _("manager")
    PARTICIPANT = "participant", _("participant")


class Membership(models.Model):
    """A person's role in one trajectory; one person may hold several roles."""

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    is_alumnus = models.BooleanField(
        _("alumnus of the career-coaching course"), default=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory", "user", "role"], name="membership_unique"
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]
        indexes = [models.Index(fields=["user", "trajectory"])]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.trajectory}"


class HalfDay(models.Model):
    """A session with (part of) the team. The start dialogue is half-day 1."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="half_days")
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    is_online = models.BooleanField(_("online"), default=False)
    place = models.CharField(_("place"), max_length=200, blank=True)
    is_start_dialogue = models.BooleanField(_("start dialogue"), default=False)

    class Meta:
        verbose_name = _("half-day")
        verbose_name_plural = _("half-days")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="half_day_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["trajectory"],
                condition=Q(is_start_dialogue=True),
                name="one_start_dialogue_per_trajectory",
            ),
        ]

    def __str__(self):
        return self.title or str(self.starts_at.date())
