from celery.schedules import crontab

BEAT_SCHEDULE = {
    "dialogues-report-reminders": {
        "task": "dialogues.tasks.send_report_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
}
