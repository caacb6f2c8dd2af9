"""Transcripts of recordings: the machine's draft per segment, corrected and approved by people.

A transcript belongs to one recording of an owning app (`audio_kind`,
`audio_id`, see sources.py). The machine writes segments with their times
while it runs (so a page can show progress and the part already done); the
author of a voice message or the interviewer corrects them and approves. Only
an approved transcript is research text (coding_sources.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trajectories.models import Trajectory


class TranscriptStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to be transcribed")
    RUNNING = "running", _("being transcribed")
    DRAFT = "draft", _("draft, to be checked")
    APPROVED = "approved", _("approved")
    FAILED = "failed", _("transcription failed")
    NO_MODEL = "no_model", _("no speech model installed")


# The machine may (re)start on these; a draft or an approved text is people's work.
STARTABLE = (TranscriptStatus.QUEUED, TranscriptStatus.FAILED, TranscriptStatus.NO_MODEL)


class Transcript(models.Model):
    audio_kind = models.CharField(max_length=24)
    audio_id = models.PositiveBigIntegerField()
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="+")
    speaker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("speaker"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TranscriptStatus.choices, default="queued"
    )
    duration = models.FloatField(_("length in seconds"), null=True, blank=True)
    # Seconds of the recording transcribed so far: the progress bar.
    done_seconds = models.FloatField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    model_name = models.CharField(max_length=200, blank=True)
    run_seconds = models.FloatField(null=True, blank=True)
    text = models.TextField(_("approved text"), blank=True)
    occurred_on = models.DateField(null=True, blank=True)
    title = models.CharField(max_length=200, blank=True)
    queued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("transcript")
        verbose_name_plural = _("transcripts")
        ordering = ["-queued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["audio_kind", "audio_id"], name="transcript_one_per_recording"
            ),
            models.CheckConstraint(
                condition=Q(status__in=TranscriptStatus.values), name="transcript_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False),
                name="transcript_approved_has_time",
            ),
        ]

    def __str__(self):
        return self.title or f"{self.audio_kind} {self.audio_id}"

    @property
    def progress_percent(self) -> int:
        if self.status in (TranscriptStatus.DRAFT, TranscriptStatus.APPROVED):
            return 100
        if not self.duration:
            return 0
        return max(0, min(99, int(100 * self.done_seconds / self.duration)))

    @property
    def in_progress(self) -> bool:
        return self.status in (TranscriptStatus.QUEUED, TranscriptStatus.RUNNING)


class Segment(models.Model):
    """One stretch of speech with its times: the machine's words and the corrected ones."""

    transcript = models.ForeignKey(Transcript, on_delete=models.CASCADE, related_name="segments")
    position = models.PositiveIntegerField()
    start = models.FloatField()
    end = models.FloatField()
    machine_text = models.TextField(blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("transcript segment")
        verbose_name_plural = _("transcript segments")
        ordering = ["transcript", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["transcript", "position"], name="transcript_segment_position_unique"
            )
        ]

    def __str__(self):
        return f"{self.transcript_id} #{self.position}"
