"""Periodic tasks of the dashboards, collected by lobtraject/celery.py."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Rows go stale with the clock (a half-day starts, a logbook week ends): every ten
    # minutes, so the overview's order is never more than that behind, and the Monday
    # batch is done before anyone opens the page.
    "overview-rows": {
        "task": "dashboards.tasks.refresh_overview",
        "schedule": crontab(minute="*/10"),
    },
}
