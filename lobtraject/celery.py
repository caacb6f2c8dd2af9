import importlib
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lobtraject.settings")

app = Celery("lobtraject")
# Celery's "current app" is thread-local; without this, a task proxy used in
# another thread (a threaded server, the test live server) would fall back to
# an unconfigured default app.
app.set_default()
# All Celery settings live in Django settings under the CELERY_ prefix, so the
# environment decides (eager locally, Redis in production) in one place.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic tasks: each app may define BEAT_SCHEDULE in its `schedule.py`.
SCHEDULE_APPS = ["accounts", "trajectories", "dialogues", "logbooks", "reports", "lobtraject.outbox"]


@app.on_after_finalize.connect
def _collect_beat_schedule(sender, **kwargs):
    schedule = dict(sender.conf.beat_schedule or {})
    for name in SCHEDULE_APPS:
        try:
            module = importlib.import_module(f"{name}.schedule")
        except ModuleNotFoundError as error:
            if error.name != f"{name}.schedule":
                raise
            continue
        schedule.update(module.BEAT_SCHEDULE)
    sender.conf.beat_schedule = schedule
