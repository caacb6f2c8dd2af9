"""Thin Celery tasks: ids in, a service does the work."""

from celery import shared_task

from . import services


@shared_task(name="dialogues.tasks.send_invitation")
def send_invitation(invitee_id: int, by_id: int | None = None) -> None:
    services.invitation_deliver(invitee_id=invitee_id, by_id=by_id)


@shared_task(name="dialogues.tasks.send_report_request")
def send_report_request(version_id: int) -> int:
    return services.report_request_deliver(version_id=version_id)


@shared_task(name="dialogues.tasks.send_report_reminders")
def send_report_reminders() -> int:
    return services.report_reminders_send()
