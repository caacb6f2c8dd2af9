"""Reads of transcripts."""

from __future__ import annotations

from .models import Transcript


def transcripts_for(kind: str, audio_ids) -> dict[int, Transcript]:
    """{audio id: transcript} for the recordings of one kind (one query)."""
    return {
        transcript.audio_id: transcript
        for transcript in Transcript.objects.filter(audio_kind=kind, audio_id__in=list(audio_ids))
    }


def transcript_for(kind: str, audio_id: int) -> Transcript | None:
    return Transcript.objects.filter(audio_kind=kind, audio_id=audio_id).first()


def segments_after(transcript: Transcript, position: int):
    return list(
        transcript.segments.filter(position__gte=position).values(
            "id", "position", "start", "end", "text"
        )
    )
