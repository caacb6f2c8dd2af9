from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """Figures-only dashboards and SVG charts: read-only, no models of its own."""

    name = "dashboards"
    verbose_name = _("Dashboards")
