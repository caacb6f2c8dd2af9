"""All writes of transcripts: request, run (the task calls `transcribe`), correct, approve."""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models.signals import post_delete
from django.utils import timezone
from django.utils.translation import gettext as _

from lobtraject import outbox, transcription
from lobtraject.celery import app as celery_app
from lobtraject.whisper_model import MODEL_NAME, default_model_dir
from trajectories.goals import GOAL_SHORT_LABELS

from .models import STARTABLE, Segment, Transcript, TranscriptStatus
from .sources import audio_ref

logger = logging.getLogger(__name__)

TASK = "transcripts.tasks.transcribe"
# A running transcript whose worker died is taken up again after this long.
STALE_AFTER_SECONDS = 3 * 60 * 60
# The words of the trajectories that the model should spell as we do. The
# organisation's name is not needed (and would be personal data in a prompt).
VOCABULARY = (
    "LOB, loopbaanoriëntatie en -begeleiding, aanjager, maatje, teamcoach, dagdeel, "
    "oogstgesprek, loopbaangesprek, leerlingen, studenten, mentor, decaan"
)


def vocabulary_prompt() -> str:
    goals = ", ".join(str(label).lower() for label in GOAL_SHORT_LABELS.values())
    return f"{VOCABULARY}, {goals}."


def hotwords() -> str:
    return "aanjager maatje dagdeel LOB loopbaan"


@transaction.atomic
def transcript_request(*, kind: str, audio_id: int) -> Transcript | None:
    """Queue a (new) transcription of a recording that was just saved or replaced.

    A new recording for the same object (an interview's replaced recording)
    throws away the old draft: its text belongs to the old audio.
    """
    ref = audio_ref(kind, audio_id)
    if ref is None:
        return None
    transcript, created = Transcript.objects.select_for_update().get_or_create(
        audio_kind=kind,
        audio_id=audio_id,
        defaults={"trajectory_id": ref.trajectory_id},
    )
    transcript.segments.all().delete()
    transcript.trajectory_id = ref.trajectory_id
    transcript.speaker_id = ref.speaker_id
    transcript.title = ref.title[:200]
    transcript.occurred_on = ref.occurred_on
    transcript.status = TranscriptStatus.QUEUED
    transcript.done_seconds = 0
    transcript.duration = None
    transcript.error = ""
    transcript.text = ""
    transcript.approved_at = None
    transcript.approved_by = None
    transcript.save()
    _enqueue(transcript.pk)
    return transcript


def _tasks_eager() -> bool:
    return bool(celery_app.conf.task_always_eager)


def _enqueue(transcript_id: int) -> None:
    """Through the outbox to a worker. Without a worker (tasks in-process, `make run`) the
    run goes to a thread of the web process after commit, so that saving a recording does
    not wait minutes for the model and the page can show the bar moving."""
    if settings.TRANSCRIPTION_EAGER_IN_THREAD and _tasks_eager():
        transaction.on_commit(lambda: _start_thread(transcript_id))
    else:
        outbox.enqueue(TASK, transcript_id)


def _start_thread(transcript_id: int) -> threading.Thread:
    def run():
        try:
            transcribe(transcript_id)
        finally:
            connection.close()

    thread = threading.Thread(target=run, name=f"transcribe-{transcript_id}", daemon=True)
    thread.start()
    return thread


def transcript_forget(*, kind: str, audio_id: int) -> int:
    """Delete the transcript of a recording that is deleted; returns how many were."""
    deleted, _counts = Transcript.objects.filter(audio_kind=kind, audio_id=audio_id).delete()
    return deleted


def forget_on_delete(kind: str, model) -> None:
    """Delete the transcript whenever a `model` row holding a recording is deleted
    (directly, by cascade or by a withdrawal), so no text outlives its audio."""

    def forget(sender, instance, **kwargs):
        transcript_forget(kind=kind, audio_id=instance.pk)

    post_delete.connect(forget, sender=model, weak=False, dispatch_uid=f"transcripts-{kind}")


class Superseded(Exception):
    """The transcript was requested again while this run was going."""


def _claim(transcript_id: int) -> Transcript | None:
    """Mark the transcript running, unless another worker has it or people have worked on it."""
    stale = timezone.now() - timedelta(seconds=STALE_AFTER_SECONDS)
    with transaction.atomic():
        transcript = Transcript.objects.select_for_update().filter(pk=transcript_id).first()
        if transcript is None:
            return None
        if transcript.status not in STARTABLE and not (
            transcript.status == TranscriptStatus.RUNNING
            and (transcript.started_at is None or transcript.started_at < stale)
        ):
            return None
        transcript.segments.all().delete()
        transcript.status = TranscriptStatus.RUNNING
        transcript.started_at = timezone.now()
        transcript.finished_at = None
        transcript.done_seconds = 0
        transcript.attempts += 1
        transcript.error = ""
        transcript.save()
    return transcript


def _finish(transcript: Transcript, **values) -> None:
    values["finished_at"] = timezone.now()
    values["updated_at"] = timezone.now()
    Transcript.objects.filter(
        pk=transcript.pk, status=TranscriptStatus.RUNNING, attempts=transcript.attempts
    ).update(**values)


def model_label() -> str:
    folder = transcription.model_dir()
    return MODEL_NAME if folder == default_model_dir() else folder.name


def transcribe(transcript_id: int) -> str:
    """Run the speech model on the transcript's recording, storing each segment as it comes.

    Returns the resulting status. A missing model or recording is no error to
    retry: the transcript says so. Any other failure is stored as "failed"
    (the task retries it later; the editor can start it again).
    """
    transcript = _claim(transcript_id)
    if transcript is None:
        return "skipped"
    ref = audio_ref(transcript.audio_kind, transcript.audio_id)
    if ref is None or not ref.file:
        _finish(transcript, status=TranscriptStatus.FAILED, error="recording missing")
        return TranscriptStatus.FAILED
    if not transcription.model_available():
        _finish(transcript, status=TranscriptStatus.NO_MODEL)
        return TranscriptStatus.NO_MODEL
    position = 0

    def store(segment: transcription.Segment, duration: float) -> None:
        nonlocal position
        # Each segment commits on its own: the page polls and shows it at once. A run whose
        # recording was replaced meanwhile (a newer attempt) stops here.
        still_mine = Transcript.objects.filter(
            pk=transcript.pk, status=TranscriptStatus.RUNNING, attempts=transcript.attempts
        ).update(done_seconds=segment.end, duration=duration)
        if not still_mine:
            raise Superseded
        Segment.objects.create(
            transcript_id=transcript.pk,
            position=position,
            start=segment.start,
            end=segment.end,
            machine_text=segment.text,
            text=segment.text,
        )
        position += 1

    started = time.perf_counter()
    try:
        with ref.file.open("rb") as audio:
            result = transcription.transcribe(
                audio,
                language="nl",
                prompt=vocabulary_prompt(),
                hotwords=hotwords(),
                on_segment=store,
            )
    except transcription.ModelMissing:
        _finish(transcript, status=TranscriptStatus.NO_MODEL)
        return TranscriptStatus.NO_MODEL
    except Superseded:
        return "skipped"
    except Exception as error:
        logger.exception("transcription %s failed", transcript.pk)
        _finish(transcript, status=TranscriptStatus.FAILED, error=type(error).__name__[:300])
        return TranscriptStatus.FAILED
    _finish(
        transcript,
        status=TranscriptStatus.DRAFT,
        duration=result.duration,
        done_seconds=result.duration,
        model_name=model_label()[:200],
        run_seconds=time.perf_counter() - started,
    )
    return TranscriptStatus.DRAFT


@transaction.atomic
def transcript_retry(*, transcript: Transcript, user) -> Transcript:
    """Queue a failed (or model-less) transcription again."""
    check_editor(transcript, user)
    transcript = Transcript.objects.select_for_update().get(pk=transcript.pk)
    if transcript.status not in (TranscriptStatus.FAILED, TranscriptStatus.NO_MODEL):
        raise ValidationError(_("Only a transcription that did not work can be started again."))
    transcript.status = TranscriptStatus.QUEUED
    transcript.error = ""
    transcript.save(update_fields=["status", "error", "updated_at"])
    _enqueue(transcript.pk)
    return transcript


def check_editor(transcript: Transcript, user) -> None:
    ref = audio_ref(transcript.audio_kind, transcript.audio_id)
    if ref is None or not ref.editable_by(user):
        raise PermissionDenied


MAX_SEGMENT_CHARS = 5000


@transaction.atomic
def transcript_correct(
    *, transcript: Transcript, user, texts: dict[int, str], approve: bool
) -> Transcript:
    """Store the corrected text of the segments ({segment id: text}); approve on request.

    An approved transcript may be corrected again: it stays approved and its
    research text follows. "Save as draft" on an approved one takes it back
    out of the coding material.
    """
    check_editor(transcript, user)
    transcript = Transcript.objects.select_for_update().get(pk=transcript.pk)
    if transcript.status not in (TranscriptStatus.DRAFT, TranscriptStatus.APPROVED):
        raise ValidationError(_("The transcript can be corrected once the machine is done."))
    segments = list(transcript.segments.all())
    unknown = set(texts) - {segment.pk for segment in segments}
    if unknown:
        raise ValidationError(_("The transcript has changed meanwhile. Reload the page."))
    changed = []
    for segment in segments:
        if segment.pk in texts:
            value = " ".join((texts[segment.pk] or "").replace("\x00", "").split())
            if len(value) > MAX_SEGMENT_CHARS:
                raise ValidationError(
                    _("A segment may hold at most %(n)d characters.") % {"n": MAX_SEGMENT_CHARS}
                )
            if value != segment.text:
                segment.text = value
                changed.append(segment)
    Segment.objects.bulk_update(changed, ["text"])
    full_text = joined_text(segments)
    if approve:
        if not full_text:
            raise ValidationError(_("An empty transcript cannot be approved."))
        transcript.status = TranscriptStatus.APPROVED
        transcript.approved_at = timezone.now()
        transcript.approved_by = user
        transcript.text = full_text
    else:
        transcript.status = TranscriptStatus.DRAFT
        transcript.approved_at = None
        transcript.approved_by = None
        transcript.text = ""
    transcript.save()
    return transcript


def joined_text(segments) -> str:
    return "\n".join(segment.text for segment in segments if segment.text.strip())


def requeue_after_failure(transcript_id: int) -> bool:
    """Whether the task should try again; if so it shows "waiting" instead of "failed"."""
    return (
        Transcript.objects.filter(pk=transcript_id, status=TranscriptStatus.FAILED)
        .exclude(error="recording missing")
        .update(status=TranscriptStatus.QUEUED)
        > 0
    )


@transaction.atomic
def transcript_import(
    *, kind: str, audio_id: int, segments: list[tuple[float, float, str]], approved_by=None
) -> Transcript | None:
    """Store a transcript made elsewhere (by hand, or demo data) as a draft, or approved.

    Replaces what the machine had; a queued task for the recording then finds
    people's work and leaves it alone.
    """
    ref = audio_ref(kind, audio_id)
    if ref is None:
        return None
    transcript, _created = Transcript.objects.select_for_update().get_or_create(
        audio_kind=kind, audio_id=audio_id, defaults={"trajectory_id": ref.trajectory_id}
    )
    transcript.segments.all().delete()
    Segment.objects.bulk_create(
        Segment(
            transcript=transcript,
            position=number,
            start=start,
            end=end,
            machine_text=text,
            text=text,
        )
        for number, (start, end, text) in enumerate(segments)
    )
    transcript.trajectory_id = ref.trajectory_id
    transcript.speaker_id = ref.speaker_id
    transcript.title = ref.title[:200]
    transcript.occurred_on = ref.occurred_on
    transcript.duration = segments[-1][1] if segments else 0
    transcript.done_seconds = transcript.duration
    transcript.error = ""
    transcript.finished_at = timezone.now()
    if approved_by is not None:
        transcript.status = TranscriptStatus.APPROVED
        transcript.approved_by = approved_by
        transcript.approved_at = timezone.now()
        transcript.text = "\n".join(text for _s, _e, text in segments)
    else:
        transcript.status = TranscriptStatus.DRAFT
        transcript.approved_at = None
        transcript.approved_by = None
        transcript.text = ""
    transcript.save()
    return transcript
