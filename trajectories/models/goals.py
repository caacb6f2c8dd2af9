"""Goal progress over the trajectory."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .closing import ClosingInterview
from .planning import HalfDay
from .trajectory import Trajectory


class GoalSource(models.TextChoices):
    START_AGREEMENT = "start_agreement", _("start agreement")
    INTERIM_EVALUATION = "interim_evaluation", _("interim evaluation")
    CLOSING_INTERVIEW = "closing_interview", _("closing interview")


class GoalProgress(models.TextChoices):
    """How far a goal is, on a four-step scale that orders from 0 to 3.

    The start agreement records the baseline (usually *not started*); interim
    evaluations may record any step; a closing interview's "partly" and "yes"
    become *partly reached* and *reached*.
    """

    NOT_STARTED = "not_started", _("not started yet")
    IN_PROGRESS = "in_progress", _("working on it")
    PARTLY = "partly", _("partly reached")
    REACHED = "reached", _("reached")


GOAL_PROGRESS_ORDER = {status: index for index, status in enumerate(GoalProgress.values)}


class GoalStatus(models.Model):
    """Where one goal (or sub-goal) of a trajectory stood on a date, and who said so."""

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="goal_statuses"
    )
    goal = models.IntegerField(_("goal"), null=True, blank=True)
    sub_goal = models.CharField(_("sub-goal"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=GoalSource.choices)
    recorded_on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=12, choices=GoalProgress.choices)
    half_day = models.ForeignKey(
        HalfDay, on_delete=models.CASCADE, null=True, blank=True, related_name="goal_statuses"
    )
    interview = models.ForeignKey(
        ClosingInterview,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="goal_statuses",
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("goal status")
        verbose_name_plural = _("goal statuses")
        ordering = ["recorded_on", "pk"]
        indexes = [models.Index(fields=["trajectory", "recorded_on"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(goal__isnull=False) & Q(goal__gte=1) & Q(goal__lte=4) & Q(sub_goal=""))
                | (Q(goal__isnull=True) & ~Q(sub_goal="")),
                name="goal_status_goal_or_sub_goal",
            ),
            models.CheckConstraint(
                condition=Q(source__in=GoalSource.values), name="goal_status_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=GoalProgress.values), name="goal_status_status_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(source=GoalSource.INTERIM_EVALUATION)
                    & Q(half_day__isnull=False)
                    & Q(interview__isnull=True)
                )
                | (
                    Q(source=GoalSource.CLOSING_INTERVIEW)
                    & Q(interview__isnull=False)
                    & Q(half_day__isnull=True)
                )
                | (
                    Q(source=GoalSource.START_AGREEMENT)
                    & Q(half_day__isnull=True)
                    & Q(interview__isnull=True)
                ),
                name="goal_status_source_link",
            ),
            # One status per goal per half-day, per interview, and one baseline.
            models.UniqueConstraint(
                fields=["half_day", "goal"],
                condition=Q(half_day__isnull=False, goal__isnull=False),
                name="goal_status_once_per_half_day_goal",
            ),
            models.UniqueConstraint(
                fields=["half_day", "sub_goal"],
                condition=Q(half_day__isnull=False, goal__isnull=True),
                name="goal_status_once_per_half_day_sub_goal",
            ),
            models.UniqueConstraint(
                fields=["interview", "goal"],
                condition=Q(interview__isnull=False, goal__isnull=False),
                name="goal_status_once_per_interview_goal",
            ),
            models.UniqueConstraint(
                fields=["interview", "sub_goal"],
                condition=Q(interview__isnull=False, goal__isnull=True),
                name="goal_status_once_per_interview_sub_goal",
            ),
            models.UniqueConstraint(
                fields=["trajectory", "goal"],
                condition=Q(source="start_agreement", goal__isnull=False),
                name="goal_status_one_baseline_per_goal",
            ),
            models.UniqueConstraint(
                fields=["trajectory", "sub_goal"],
                condition=Q(source="start_agreement", goal__isnull=True),
                name="goal_status_one_baseline_per_sub_goal",
            ),
        ]

    def __str__(self):
        return f"{self.trajectory} — {self.goal or self.sub_goal}: {self.status}"
