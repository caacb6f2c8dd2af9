from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "lobtraject.outbox"
    label = "outbox"
    verbose_name = _("Outbox")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the relay task and the worker-start hook with the Celery app.
        from . import tasks  # noqa: F401
