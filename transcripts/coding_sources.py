"""Approved transcripts as research texts: the coding app pseudonymises them like any text."""

from __future__ import annotations

from collections.abc import Iterator

from research.registry import Person
from research.sources import CHUNK, CodingSource, SourceKind, SourceText

from .models import Transcript, TranscriptStatus
from .sources import audio_kinds_under


def transcripts(trajectory_ids=None) -> Iterator[SourceText]:
    qs = Transcript.objects.filter(status=TranscriptStatus.APPROVED).only(
        "id", "trajectory_id", "speaker_id", "title", "text", "occurred_on"
    )
    if trajectory_ids is not None:
        qs = qs.filter(trajectory_id__in=trajectory_ids)
    for transcript in qs.order_by("id").iterator(chunk_size=CHUNK):
        yield SourceText(
            kind=SourceKind.TRANSCRIPT,
            source_id=transcript.pk,
            trajectory_id=transcript.trajectory_id,
            title=f"Transcriptie {transcript.title}",
            text=transcript.text,
            occurred_on=transcript.occurred_on,
            user_id=transcript.speaker_id,
        )


def transcripts_of(person: Person, kind: str = "") -> list[int]:
    """The person's transcripts; of the recordings made under consent `kind` when given."""
    if person.user is None:
        return []
    transcripts = Transcript.objects.filter(speaker=person.user)
    if kind:
        transcripts = transcripts.filter(audio_kind__in=audio_kinds_under(kind))
    return list(transcripts.values_list("id", flat=True))


SOURCES = [CodingSource(SourceKind.TRANSCRIPT, transcripts, rows_of=transcripts_of)]
