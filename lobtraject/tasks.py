"""Thin Celery tasks of the project level: the notification e-mails."""

from celery import shared_task

from . import notifications


@shared_task(name="lobtraject.tasks.send_notifications")
def send_notifications() -> int:
    return notifications.notifications_send(digest=False)


@shared_task(name="lobtraject.tasks.send_weekly_digest")
def send_weekly_digest() -> int:
    return notifications.notifications_send(digest=True)
