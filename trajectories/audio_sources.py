"""Closing-interview recordings as recordings the transcripts app can turn into text."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from research.models import ConsentKind
from transcripts.sources import AudioRef, AudioSource

from . import access
from .access import Capability
from .models import ClosingInterview

KIND = "interview"


def interview_ref(interview_id: int) -> AudioRef | None:
    interview = ClosingInterview.objects.filter(pk=interview_id).first()
    if interview is None or not interview.audio:
        return None
    when = timezone.localdate(interview.planned_at) if interview.planned_at else None

    def editable_by(user) -> bool:
        # The interviewer corrects; an interview without one, whoever may hold it.
        if interview.interviewer_id:
            return user.pk == interview.interviewer_id
        return access.can(user, Capability.HOLD_CLOSING_INTERVIEW, interview.trajectory_id)

    return AudioRef(
        file=interview.audio,
        trajectory_id=interview.trajectory_id,
        title="opname slotinterview" + (f" {when:%d-%m-%Y}" if when else ""),
        occurred_on=when,
        speaker_id=interview.interviewee_id,
        audio_url=reverse(
            "trajectories:closing_interview_audio", args=[interview.trajectory_id, interview.pk]
        ),
        back_url=reverse(
            "trajectories:closing_interview", args=[interview.trajectory_id, interview.pk]
        ),
        readable_by=lambda user: access.can(
            user, Capability.READ_CLOSING_INTERVIEWS, interview.trajectory_id
        ),
        editable_by=editable_by,
    )


SOURCE = AudioSource(
    KIND, _("closing-interview recording"), interview_ref, consent_kind=ConsentKind.INTERVIEW
)
