"""Phase 4: closing meeting and closing interviews."""
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .trajectory import Role, Trajectory

# ---------------------------------------------------------------------------
# Phase 4: closing meeting, closing interviews and goal progress
# ---------------------------------------------------------------------------


def closing_audio_path(instance, filename):
    """A random name under private/: recordings are never served from a public path."""
    suffix = ""
    if "." in filename:
        suffix = "." + filename.rsplit(".", 1)[1].lower()[:8]
    return f"private/closing-interview-audio/{uuid.uuid4().hex}{suffix}"


class ClosingMeeting(models.Model):
    """The closing meeting with champions, management and the research team."""

    trajectory = models.OneToOneField(
        Trajectory, on_delete=models.CASCADE, related_name="closing_meeting"
    )
    held_on = models.DateField(_("date"))
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="closing_meetings_attended",
        blank=True,
        verbose_name=_("attended"),
    )
    look_back = models.TextField(_("looking back"), blank=True)
    look_ahead = models.TextField(_("looking ahead"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("closing meeting")
        verbose_name_plural = _("closing meetings")

    def __str__(self):
        return f"{self.trajectory} — {self.held_on}"


class InterviewStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    MISSED = "missed", _("did not take place")


class MissedReason(models.TextChoices):
    PERSONAL_CIRCUMSTANCES = "personal_circumstances", _("personal circumstances")
    CHANGE_OF_JOB = "change_of_job", _("change of job")
    ILLNESS = "illness", _("illness")
    OTHER = "other", _("other reason")


class IntervieweeRole(models.TextChoices):
    CHAMPION = Role.CHAMPION.value, Role.CHAMPION.label
    BUDDY = Role.BUDDY.value, Role.BUDDY.label
    MANAGER = Role.MANAGER.value, Role.MANAGER.label


class ClosingInterview(models.Model):
    """A closing interview with a champion, buddy or manager.

    Held by a researcher who is not involved in the trajectory (checked by
    ``services.closing_interview_plan``). Its text is research data: only the
    research team reads it.
    """

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="closing_interviews"
    )
    interviewee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="closing_interviews_given",
        verbose_name=_("interviewee"),
    )
    interviewee_role = models.CharField(
        _("role of the interviewee"), max_length=12, choices=IntervieweeRole.choices
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="closing_interviews_held",
        verbose_name=_("interviewer"),
    )
    planned_at = models.DateTimeField(_("date and time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    is_online = models.BooleanField(_("online (Teams)"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=InterviewStatus.choices, default=InterviewStatus.PLANNED
    )
    missed_reason = models.CharField(
        _("reason"), max_length=24, choices=MissedReason.choices, blank=True
    )
    missed_note = models.TextField(_("explanation"), blank=True)
    overall_steps = models.TextField(_("Which steps were taken?"), blank=True)
    overall_helped = models.TextField(_("What helped?"), blank=True)
    overall_hindered = models.TextField(_("What hindered?"), blank=True)
    still_needed = models.TextField(_("What is still needed?"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    completed_from_recording = models.BooleanField(
        _("notes completed from the recording"), default=False
    )
    audio = models.FileField(
        _("recording"), upload_to=closing_audio_path, max_length=200, blank=True
    )
    audio_content_type = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("closing interview")
        verbose_name_plural = _("closing interviews")
        ordering = ["planned_at", "pk"]
        indexes = [
            # "Closing interviews to hold" on the interviewer's landing page, in date order:
            # an independent researcher of a national programme holds a thousand, and
            # without it all interviews were read and sorted (and every trajectory and
            # organisation joined) for the first ten.
            models.Index(
                fields=["interviewer", "status", "planned_at", "id"], name="interview_to_hold_order"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory", "interviewee"], name="closing_interview_once_per_person"
            ),
            models.CheckConstraint(
                condition=Q(status__in=InterviewStatus.values), name="closing_interview_status"
            ),
            models.CheckConstraint(
                condition=Q(interviewee_role__in=IntervieweeRole.values),
                name="closing_interview_role",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=InterviewStatus.MISSED) & Q(missed_reason__in=MissedReason.values)
                )
                | (~Q(status=InterviewStatus.MISSED) & Q(missed_reason="")),
                name="closing_interview_missed_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.trajectory} — {self.interviewee}"


class GoalReached(models.TextChoices):
    NO = "no", _("no")
    PARTLY = "partly", _("partly")
    YES = "yes", _("yes")


class ClosingInterviewGoalAnswer(models.Model):
    """The answers in a closing interview about one goal or one of the organisation's sub-goals.

    Exactly one of ``goal`` (1–4, see trajectories.goals.Goal) and ``sub_goal``
    (a line of the start agreement's sub-goals) is set.
    """

    interview = models.ForeignKey(
        ClosingInterview, on_delete=models.CASCADE, related_name="goal_answers"
    )
    goal = models.IntegerField(_("goal"), null=True, blank=True)
    sub_goal = models.CharField(_("sub-goal"), max_length=300, blank=True)
    steps = models.TextField(_("Which steps were taken?"), blank=True)
    helped = models.TextField(_("What helped?"), blank=True)
    hindered = models.TextField(_("What hindered?"), blank=True)
    reached = models.CharField(
        _("Was the goal reached?"), max_length=8, choices=GoalReached.choices, blank=True
    )

    class Meta:
        verbose_name = _("answer per goal")
        verbose_name_plural = _("answers per goal")
        ordering = ["interview", "goal", "sub_goal"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(goal__isnull=False) & Q(goal__gte=1) & Q(goal__lte=4) & Q(sub_goal=""))
                | (Q(goal__isnull=True) & ~Q(sub_goal="")),
                name="goal_answer_goal_or_sub_goal",
            ),
            models.CheckConstraint(
                condition=Q(reached="") | Q(reached__in=GoalReached.values),
                name="goal_answer_reached_valid",
            ),
            models.UniqueConstraint(
                fields=["interview", "goal"],
                condition=Q(goal__isnull=False),
                name="goal_answer_once_per_goal",
            ),
            models.UniqueConstraint(
                fields=["interview", "sub_goal"],
                condition=Q(goal__isnull=True),
                name="goal_answer_once_per_sub_goal",
            ),
        ]

    def __str__(self):
        return f"{self.interview} — {self.goal or self.sub_goal}"
