from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResearchConfig(AppConfig):
    """Consent registry, withdrawal, pseudonymisation and the audit log."""

    name = "research"
    label = "research"
    verbose_name = _("Research data")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The login-attempt log names people too; it is erased with their data.
        from .erasers import LoginRecords
        from .registry import register_data_owner

        register_data_owner(LoginRecords())
