from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # What consent and withdrawal need of this app:
        # research is a lower layer and asks through its registries.
        from research.registry import register_data_owner

        from .erasers import ReportFiles

        register_data_owner(ReportFiles())
