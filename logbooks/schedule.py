from celery.schedules import crontab

BEAT_SCHEDULE = {
    "logbooks-weekly-reminders": {
        "task": "logbooks.tasks.send_logbook_reminders",
        "schedule": crontab(minute=5),
    },
}
