"""Health checks for /healthz: database, broker and worker."""

from django.db import connection

from .celery import app as celery_app


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return "error"
    return "ok"


def check_broker() -> str:
    if celery_app.conf.task_always_eager:
        return "eager"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=1)
    except Exception:  # noqa: BLE001
        return "error"
    return "ok"


def check_worker(broker_status: str) -> str:
    if broker_status == "eager":
        return "eager"
    if broker_status != "ok":
        return "unknown"
    try:
        replies = celery_app.control.ping(timeout=1.0)
    except Exception:  # noqa: BLE001
        return "error"
    return "ok" if replies else "no_worker"
