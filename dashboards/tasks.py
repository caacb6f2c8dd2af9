from celery import shared_task

from . import services


@shared_task(name="dashboards.tasks.refresh_overview", acks_late=True)
def refresh_overview() -> int:
    """Bring every stale overview row up to date (idempotent)."""
    return services.refresh_all_stale()
