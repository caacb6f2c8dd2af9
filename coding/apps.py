from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CodingConfig(AppConfig):
    """The coding workbench (open and axial coding) and the anonymised exports."""

    name = "coding"
    label = "coding"
    verbose_name = _("Coding")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # What consent and withdrawal need of this app:
        # research is a lower layer and asks through its registries.
        from research.registry import register_data_owner

        from .erasers import CodingData

        register_data_owner(CodingData())
