from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrajectoriesConfig(AppConfig):
    name = "trajectories"
    verbose_name = _("Trajectories")

    def ready(self):
        # What consent and withdrawal need of this app and the texts it holds for coding:
        # research is a lower layer and asks through its registries.
        from research.registry import register_data_owner
        from research.sources import register_coding_source
        from transcripts.services import forget_on_delete
        from transcripts.sources import register_audio_source

        from . import audio_sources, coding_sources, signals
        from .erasers import ClosingInterviews
        from .models import ClosingInterview

        register_data_owner(ClosingInterviews())
        signals.connect()
        register_audio_source(audio_sources.SOURCE)
        forget_on_delete(audio_sources.KIND, ClosingInterview)
        for source in coding_sources.SOURCES:
            register_coding_source(source)
