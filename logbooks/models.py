"""Weekly reflective logbooks and the other research data points of a trajectory.

A logbook entry belongs to one author, one trajectory and one ISO week. Audio,
e-mails and their attachments are private research data: they are stored under
private/ in the file storage (a folder or a bucket: settings.FILE_STORAGE) with
random names and only ever served by views that check access (see logbooks/access.py).
"""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trajectories.goals import Goal
from trajectories.models import HalfDay, Role, Trajectory

GOAL_FIELDS = {goal: f"goal_{int(goal)}" for goal in Goal}
TEXT_FIELDS = ("actions", "effects", "helped", "hindered", "other")


def _private_path(folder: str, filename: str) -> str:
    suffix = ""
    if "." in filename:
        suffix = "." + filename.rsplit(".", 1)[1].lower()[:8]
    return f"private/{folder}/{uuid.uuid4().hex}{suffix}"


def audio_path(instance, filename):
    return _private_path("logbook-audio", filename)


def email_path(instance, filename):
    return _private_path("email", filename)


def attachment_path(instance, filename):
    return _private_path("email-attachments", filename)


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")


WRITER_ROLES = (Role.CHAMPION, Role.BUDDY, Role.COACH)


class LogbookSettings(models.Model):
    """A person's logbook preferences: when to be reminded and what to share by default."""

    class Weekday(models.IntegerChoices):
        MONDAY = 1, _("Monday")
        TUESDAY = 2, _("Tuesday")
        WEDNESDAY = 3, _("Wednesday")
        THURSDAY = 4, _("Thursday")
        FRIDAY = 5, _("Friday")
        SATURDAY = 6, _("Saturday")
        SUNDAY = 7, _("Sunday")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="logbook_settings"
    )
    reminder_weekday = models.PositiveSmallIntegerField(
        _("reminder day"), choices=Weekday.choices, default=Weekday.THURSDAY
    )
    reminder_hour = models.PositiveSmallIntegerField(_("reminder hour"), default=16)
    reminders_enabled = models.BooleanField(_("send me a weekly reminder"), default=True)
    share_with_coach_by_default = models.BooleanField(
        _("share my entries with the team coach by default"), default=False
    )
    last_reminded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("logbook settings")
        verbose_name_plural = _("logbook settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(reminder_weekday__gte=1, reminder_weekday__lte=7),
                name="logbook_settings_weekday_valid",
            ),
            models.CheckConstraint(
                condition=Q(reminder_hour__gte=0, reminder_hour__lte=23),
                name="logbook_settings_hour_valid",
            ),
        ]

    def __str__(self):
        return str(self.user)


class Entry(models.Model):
    """One person's reflection on one ISO week of a trajectory."""

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="logbook_entries"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="logbook_entries"
    )
    author_role = models.CharField(_("role of the author"), max_length=12, choices=Role.choices)
    iso_year = models.PositiveSmallIntegerField(_("year"))
    iso_week = models.PositiveSmallIntegerField(_("week"))
    week_start = models.DateField(_("week starts on"), editable=False)
    actions = models.TextField(
        _("How did you work on the goals this week?"),
        blank=True,
        help_text=_("Actions and conversations, planned or spontaneous."),
    )
    effects = models.TextField(
        _("What effect did it have on you and on others?"),
        blank=True,
        help_text=_("What did people think, feel and do?"),
    )
    helped = models.TextField(_("What helped?"), blank=True)
    hindered = models.TextField(_("What hindered?"), blank=True)
    other = models.TextField(_("Anything else"), blank=True)
    goal_1 = models.BooleanField(default=False)
    goal_2 = models.BooleanField(default=False)
    goal_3 = models.BooleanField(default=False)
    goal_4 = models.BooleanField(default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.DRAFT
    )
    shared_with_coach = models.BooleanField(_("share with the team coach"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("logbook entry")
        verbose_name_plural = _("logbook entries")
        ordering = ["-week_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "trajectory", "iso_year", "iso_week"],
                name="logbook_entry_one_per_week",
            ),
            models.CheckConstraint(
                condition=Q(iso_week__gte=1, iso_week__lte=53), name="logbook_entry_week_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=EntryStatus.values), name="logbook_entry_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(author_role__in=[r.value for r in WRITER_ROLES]),
                name="logbook_entry_author_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="logbook_entry_submitted_has_time",
            ),
        ]
        indexes = [models.Index(fields=["trajectory", "week_start"])]

    def __str__(self):
        return f"{self.author} — {self.iso_year}-W{self.iso_week:02d}"

    @property
    def goals(self) -> list[Goal]:
        return [goal for goal, name in GOAL_FIELDS.items() if getattr(self, name)]

    @property
    def is_submitted(self) -> bool:
        return self.status == EntryStatus.SUBMITTED

    def text_snapshot(self) -> dict:
        data = {name: getattr(self, name) for name in TEXT_FIELDS}
        data["goals"] = [int(goal) for goal in self.goals]
        data["shared_with_coach"] = self.shared_with_coach
        return data

    @staticmethod
    def monday(iso_year: int, iso_week: int) -> date:
        return date.fromisocalendar(iso_year, iso_week, 1)


class EntryRevision(models.Model):
    """The text of a submitted entry before one of its edits."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="revisions")
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    edited_at = models.DateTimeField(auto_now_add=True)
    snapshot = models.JSONField()

    class Meta:
        verbose_name = _("entry revision")
        verbose_name_plural = _("entry revisions")
        ordering = ["-edited_at", "-id"]

    def __str__(self):
        return f"{self.entry} @ {self.edited_at:%Y-%m-%d %H:%M}"


class AudioClip(models.Model):
    """A voice message belonging to an entry, stored privately."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="audio_clips")
    file = models.FileField(upload_to=audio_path, max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveBigIntegerField()
    original_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("voice message")
        verbose_name_plural = _("voice messages")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.entry} — {self.content_type}"


class DataPoint(models.Model):
    """Fields shared by e-mails and notes: dated, in a trajectory, maybe at a half-day."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="+")
    half_day = models.ForeignKey(
        HalfDay,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("half-day"),
    )
    occurred_on = models.DateField(_("date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class EmailDataPoint(DataPoint):
    """An e-mail from the trajectory's correspondence, parsed from an uploaded .eml file."""

    raw = models.FileField(upload_to=email_path, max_length=200)
    sender = models.CharField(_("from"), max_length=300, blank=True)
    recipients = models.TextField(_("to"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    body = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["-occurred_on", "-id"]

    def __str__(self):
        return self.subject or str(self.occurred_on)


class EmailAttachment(models.Model):
    email = models.ForeignKey(EmailDataPoint, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.filename


class NoteKind(models.TextChoices):
    OBSERVATION = "observation", _("observation note")
    CONVERSATION = "conversation", _("conversation note")


class ResearchNote(DataPoint):
    """An observation note or a conversation note written by a researcher."""

    kind = models.CharField(_("kind"), max_length=14, choices=NoteKind.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("research note")
        verbose_name_plural = _("research notes")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=NoteKind.values), name="research_note_kind_valid"
            )
        ]

    def __str__(self):
        return self.title
