"""Half-days, hours, budget extensions and the calendar feed."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .trajectory import Trajectory


class Unit(models.TextChoices):
    YEAR_GROUP = "year_group", _("year group")
    EXPERT_TEAM = "expert_team", _("expert team or working group")
    WHOLE = "whole", _("whole organisation or programme")
    CHAMPIONS = "champions", _("champions only")
    MANAGEMENT = "management", _("management")


class InterventionType(models.TextChoices):
    SPARRING = "sparring", _("sparring with champions about next steps")
    THINKING_ALONG = "thinking_along", _("thinking along about planned interventions")
    COACHING = "coaching", _("coaching champions on their role")
    INTERIM = "interim", _("interim evaluation with management and champions")
    DIALOGUE = "dialogue", _("leading a follow-up dialogue session")
    TRAINING = "training", _("training for (part of) a team")
    PRESENTATION = "presentation", _("presentation to the whole organisation")


UNIT_CHOICES = Unit.choices


class HalfDay(models.Model):
    """A session with (part of) the team. The start dialogue is half-day 1."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="half_days")
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    is_online = models.BooleanField(_("online"), default=False)
    place = models.CharField(_("place"), max_length=200, blank=True)
    is_start_dialogue = models.BooleanField(_("start dialogue"), default=False)
    unit = models.CharField(_("unit"), max_length=12, choices=UNIT_CHOICES, blank=True)
    participants = models.TextField(_("participants"), blank=True)
    intervention_types = models.JSONField(_("intervention types"), default=list, blank=True)
    goals = models.JSONField(_("goals addressed"), default=list, blank=True)
    preparation_notes = models.TextField(_("preparation notes"), blank=True)
    what_happened = models.TextField(_("what happened"), blank=True)
    learning_outcomes = models.TextField(_("the team's learning outcomes"), blank=True)

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
        # The calendar pages a month of half-days by start: walked in this order
        # PostgreSQL reads the month's rows only and stops after a page.
        indexes = [models.Index(fields=["starts_at", "id"], name="half_day_starts_at")]

    def __str__(self):
        return self.title or str(self.starts_at.date())


# ---------------------------------------------------------------------------
# Planning details of a half-day, hours and the calendar feed
# ---------------------------------------------------------------------------


class Activity(models.TextChoices):
    PREPARATION = "preparation", _("preparation")
    HALF_DAY = "half_day", _("half-day")
    CALL = "call", _("coaching call")
    MAIL = "mail", _("mail")


class HourEntry(models.Model):
    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="hour_entries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hour_entries"
    )
    date = models.DateField(_("date"))
    activity = models.CharField(_("activity"), max_length=12, choices=Activity.choices)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("hour entry")
        verbose_name_plural = _("hour entries")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="hour_entry_positive"),
            models.CheckConstraint(
                condition=Q(activity__in=Activity.values), name="hour_entry_activity_valid"
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.hours}"


class BudgetExtension(models.Model):
    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="budget_extensions"
    )
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    reason = models.CharField(_("reason"), max_length=300)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("budget extension")
        verbose_name_plural = _("budget extensions")
        ordering = ["added_at"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="budget_extension_positive")
        ]

    def __str__(self):
        return f"+{self.hours}"


class CalendarFeed(models.Model):
    """A private .ics URL per user; revoking it makes the URL return 404."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="one_active_feed"
            )
        ]

    def __str__(self):
        return f"{self.user} feed"
