"""Who may read and correct a transcript: the owning app's rule for its recording.

- The transcript of a voice message is read by whoever may read the logbook
  entry; the transcript of an interview recording by the research team (the
  owners' `readable_by`). Managers hear no audio and read no transcripts.
- Only the author of the voice message or the interviewer corrects and
  approves (`editable_by`); others see the transcript only once approved.
- No role on the trajectory is 404, a role without the right 403
  (`trajectories.access.deny_unless`).
"""

from __future__ import annotations

from django.http import Http404

from trajectories import access
from trajectories.access import roles_for

from .models import Transcript
from .sources import AudioRef, audio_ref


def get_transcript(user, pk) -> tuple[Transcript, AudioRef]:
    transcript = access.object_or_404(Transcript.objects.all(), pk)
    ref = audio_ref(transcript.audio_kind, transcript.audio_id)
    if ref is None:
        raise Http404
    if not ref.readable_by(user):
        access.deny_unless(roles_for(user, transcript.trajectory_id), frozenset())
    return transcript, ref


def may_edit(user, ref: AudioRef) -> bool:
    return ref.editable_by(user)


def check_edit(user, transcript: Transcript, ref: AudioRef) -> None:
    if not ref.editable_by(user):
        access.deny_unless(roles_for(user, transcript.trajectory_id), frozenset())
