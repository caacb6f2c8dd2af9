"""Periodic tasks of the project level, collected by lobtraject/celery.py."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # New open actions ("Wat wacht op mij") are mailed within the hour.
    "notifications-hourly": {
        "task": "lobtraject.tasks.send_notifications",
        "schedule": crontab(minute=20),
    },
    "notifications-weekly-digest": {
        "task": "lobtraject.tasks.send_weekly_digest",
        "schedule": crontab(minute=0, hour=7, day_of_week=1),
    },
}
