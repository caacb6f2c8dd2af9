from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResearchConfig(AppConfig):
    """Consent registry, withdrawal, pseudonymisation and the audit log."""

    name = "research"
    label = "research"
    verbose_name = _("Research data")
    default_auto_field = "django.db.models.BigAutoField"
