"""A trajectory, its members and the phase machine's history."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .organisation import Organisation
from .study import Study


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
    # In the closing phase with no closing interview yet, or one without a date: the team
    # coach's "closing interviews to plan". Kept by trajectories.signals (one UPDATE when a
    # phase or an interview changes), so that list reads the few trajectories that need it
    # from a partial index instead of checking every closing trajectory of a national coach.
    interviews_to_plan = models.BooleanField(default=False, editable=False)
    # Copies of the study's and the organisation's name, for the research team's list
    # (ordered by both): an index cannot span three tables, so without them PostgreSQL
    # sorted all 6,000 trajectories of a national study for a page of 25. Set by `save()`,
    # followed by trajectories.signals when a study or organisation is renamed.
    study_name = models.CharField(max_length=200, default="", editable=False)
    organisation_name = models.CharField(max_length=200, default="", editable=False)

    class Meta:
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")
        ordering = ["organisation__name"]
        indexes = [
            models.Index(
                fields=["id"],
                condition=Q(interviews_to_plan=True),
                name="trajectory_interviews_to_plan",
            ),
            models.Index(
                fields=["study_name", "organisation_name", "id"], name="trajectory_list_order"
            ),
        ]
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

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            self.copy_names()
        elif {"study", "organisation", "study_id", "organisation_id"} & set(update_fields):
            self.copy_names()
            kwargs["update_fields"] = {*update_fields, "study_name", "organisation_name"}
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The study it was loaded with: moving a trajectory to another study changes who
        # is an independent researcher in both (`trajectories.signals`).
        instance._loaded_study_id = instance.__dict__.get("study_id")
        return instance

    def copy_names(self) -> None:
        """Take the study's and organisation's names into the sort copies (also for
        `bulk_create`, which does not call `save()`)."""
        self.study_name = self.study.name
        self.organisation_name = self.organisation.name


class Role(models.TextChoices):
    COACH = "coach", _("team coach")
    RESEARCHER = "researcher", _("researcher")
    CHAMPION = "champion", _("champion")
    BUDDY = "buddy", _("buddy")
    MANAGER = "manager", _("manager")
    PARTICIPANT = "participant", _("participant")


class Membership(models.Model):
    """A person's role in one trajectory; one person may hold several roles."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    is_alumnus = models.BooleanField(_("alumnus of the career-coaching course"), default=False)
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
        indexes = [
            models.Index(fields=["user", "trajectory"]),
            # "Which roles does this user hold anywhere" (navigation, every page).
            models.Index(fields=["user", "role"], name="membership_user_role"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.trajectory}"


class PhaseTransition(models.Model):
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="transitions")
    from_phase = models.CharField(_("from"), max_length=20, choices=Phase.choices)
    to_phase = models.CharField(_("to"), max_length=20, choices=Phase.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"))
    # Why: required when moving on with fewer half-days held than agreed or with
    # open closing interviews, and for every step back.
    reason = models.TextField(_("reason"), blank=True)
    is_step_back = models.BooleanField(_("step back"), default=False)

    class Meta:
        verbose_name = _("phase transition")
        verbose_name_plural = _("phase transitions")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_phase} → {self.to_phase}"


class HistoryKind(models.TextChoices):
    CREATED = "created", _("Trajectory opened")
    PERSON_ADDED = "person_added", _("Person added")
    PERSON_READDED = "person_readded", _("Person added again")
    PERSON_REMOVED = "person_removed", _("Person removed")
    INVITATION_SENT = "invitation_sent", _("Invitation sent")
    NOTICE_SENT = "notice_sent", _("Notice sent")
    ORGANISATION_CHANGED = "organisation_changed", _("Organisation details changed")


class HistoryEvent(models.Model):
    """One change to who takes part in a trajectory or how it was set up.

    Shown beside the phase transitions as the trajectory's history. The person
    is kept by reference (SET_NULL) and by role, so a removal stays readable.
    """

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(_("what"), max_length=24, choices=HistoryKind.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, blank=True)

    class Meta:
        verbose_name = _("history event")
        verbose_name_plural = _("history events")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=HistoryKind.values), name="history_event_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"
