from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranscriptsConfig(AppConfig):
    name = "transcripts"
    verbose_name = _("Transcripts")

    def ready(self):
        # Approved transcripts are research texts; withdrawal erases them with the audio.
        from research.registry import register_data_owner
        from research.sources import register_coding_source

        from . import coding_sources
        from .erasers import TranscriptData

        register_data_owner(TranscriptData())
        for source in coding_sources.SOURCES:
            register_coding_source(source)
