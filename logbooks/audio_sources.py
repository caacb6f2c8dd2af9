"""The logbook's voice messages as recordings the transcripts app can turn into text."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from research.models import ConsentKind
from transcripts.sources import AudioRef, AudioSource

from .access import can_read_entry
from .models import AudioClip

KIND = "logbook_clip"


def clip_ref(clip_id: int) -> AudioRef | None:
    clip = AudioClip.objects.select_related("entry").filter(pk=clip_id).first()
    if clip is None:
        return None
    entry = clip.entry
    back = (
        reverse("logbooks:entry_detail", args=[entry.pk])
        if entry.is_submitted
        else reverse("logbooks:write", args=[entry.trajectory_id, entry.iso_year, entry.iso_week])
    )
    return AudioRef(
        file=clip.file,
        trajectory_id=entry.trajectory_id,
        title=f"spraakbericht logboek {entry.iso_year}-W{entry.iso_week:02d}",
        occurred_on=entry.week_start,
        speaker_id=entry.author_id,
        audio_url=reverse("logbooks:audio", args=[clip.pk]),
        back_url=back,
        # The transcript is read like the entry; only the author corrects it.
        readable_by=lambda user: can_read_entry(user, entry),
        editable_by=lambda user: user.pk == entry.author_id,
    )


SOURCE = AudioSource(KIND, _("voice message"), clip_ref, consent_kind=ConsentKind.LOGBOOK)
