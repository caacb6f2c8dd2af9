"""Periodic tasks of accounts, collected by lobtraject/celery.py."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "prune-housekeeping": {
        "task": "accounts.tasks.prune_housekeeping",
        # Nightly, when nobody logs in (Europe/Amsterdam, CELERY_TIMEZONE).
        "schedule": crontab(hour=3, minute=17),
    },
}
