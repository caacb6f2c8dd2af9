from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialoguesConfig(AppConfig):
    name = "dialogues"
    verbose_name = _("Dialogues")

    def ready(self):
        # What consent and withdrawal need of this app and the texts it holds for coding:
        # research is a lower layer and asks through its registries.
        from research.registry import register_data_owner
        from research.sources import register_coding_source

        from . import coding_sources
        from .erasers import Invitees

        register_data_owner(Invitees())
        for source in coding_sources.SOURCES:
            register_coding_source(source)
