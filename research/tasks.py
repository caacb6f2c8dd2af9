"""Thin Celery tasks: ids in, a service does the work."""

from celery import shared_task

from . import services


@shared_task(name="research.tasks.send_consent_copy")
def send_consent_copy(consent_id: int) -> bool:
    return services.consent_copy_send(consent_id=consent_id)
