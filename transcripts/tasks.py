from celery import shared_task

from . import services
from .models import TranscriptStatus

RETRIES = 2


# Whisper on a long interview takes minutes (a large model far longer than the default limit).
@shared_task(
    name="transcripts.tasks.transcribe",
    bind=True,
    max_retries=RETRIES,
    time_limit=4 * 60 * 60,
    soft_time_limit=4 * 60 * 60 - 60,
)
def transcribe(self, transcript_id: int) -> str:
    """Transcribe one recording; a failure is tried again after a minute, then after five."""
    status = services.transcribe(transcript_id)
    if (
        status == TranscriptStatus.FAILED
        and not self.request.is_eager
        and self.request.retries < RETRIES
        and services.requeue_after_failure(transcript_id)
    ):
        raise self.retry(countdown=60 * (1 + 4 * self.request.retries))
    return status
