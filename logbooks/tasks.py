from celery import shared_task

from . import services


@shared_task
def send_logbook_reminders() -> int:
    """Hourly: e-mail the people whose chosen reminder moment has come this week."""
    return services.send_due_reminders()
