"""What a withdrawal of consent erases here: the transcripts of the person's words.

The recordings themselves belong to the owning apps, whose erasers delete
them; a transcript is text made from a person's voice and goes with it.
"""

from __future__ import annotations

from research.models import ConsentKind
from research.registry import DataOwner, Person, Removal, Scope

from .models import Transcript
from .sources import audio_kinds_under


class TranscriptData(DataOwner):
    # A transcript is of a voice message (logbook) or of an interview recording.
    kinds = frozenset({ConsentKind.LOGBOOK, ConsentKind.INTERVIEW})
    scrub_app_label = "transcripts"

    def trajectory_ids(self, person: Person) -> set[int]:
        if person.user is None:
            return set()
        return set(
            Transcript.objects.filter(speaker=person.user).values_list("trajectory_id", flat=True)
        )

    def erase(self, person: Person, removal: Removal, *, scope: Scope) -> None:
        if person.user is None:
            return
        transcripts = scope.within(Transcript.objects.filter(speaker=person.user))
        if scope.kind:
            transcripts = transcripts.filter(audio_kind__in=audio_kinds_under(scope.kind))
        removal.add("transcripts", transcripts.count())
        transcripts.delete()
