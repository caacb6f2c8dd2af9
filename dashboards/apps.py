from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """Figures-only dashboards and SVG charts; one table of its own, the overview's
    stored sort keys (`OverviewRow`), kept current from the changes of its inputs."""

    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from . import signals

        signals.connect()
