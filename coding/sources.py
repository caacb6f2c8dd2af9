"""Where fragments come from: every kind of research text, read in chunks.

The apps that hold the texts register their readers with research
(`research.sources`); this module only reads them, in the default language
(labels are research data too).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.utils import translation

from research.sources import SourceText, coding_sources


def all_sources(trajectory_ids=None) -> Iterator[SourceText]:
    """Every source text, in the default language (labels are research data too)."""
    with translation.override(settings.LANGUAGE_CODE):
        for source in coding_sources():
            yield from source.read(trajectory_ids)


__all__ = ["SourceText", "all_sources"]
