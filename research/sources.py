"""The registry of research texts: what the coding app cuts fragments from.

The apps that hold the texts (dialogues, logbooks, the closing phase of
trajectories) register a `CodingSource` per kind from their `ready()`; the
coding app, above them, reads them through `coding_sources()` and never
imports their models. Each reader yields `SourceText` records with the raw
(not yet pseudonymised) text and whose words it holds. Only finished material
counts: submitted logbook entries, harvest reports approved by all, closing
interviews that were held, half-days and closing meetings that took place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# Rows read per database round trip.
CHUNK = 500


class SourceKind(models.TextChoices):
    """The kinds of research text; their order is the order fragments are made in."""

    HARVEST_REPORT = "harvest_report", _("harvest report")
    HARVEST_ITEM = "harvest_item", _("harvest item")
    LOGBOOK = "logbook", _("logbook entry")
    INTERVIEW = "interview", _("closing interview")
    TRANSCRIPT = "transcript", _("transcript of a recording")
    EMAIL = "email", _("e-mail")
    NOTE = "note", _("research note")
    COACH_INTERVIEW = "coach_interview", _("team coach's phase-1 interview")
    HALF_DAY = "half_day", _("half-day notes and learning outcomes")
    CLOSING_MEETING = "closing_meeting", _("closing meeting notes")
    RECRUITMENT = "recruitment", _("recruitment note")


@dataclass(frozen=True)
class SourceText:
    kind: str
    source_id: int
    trajectory_id: int
    title: str
    text: str
    occurred_on: date | None
    user_id: int | None = None
    invitee_id: int | None = None


@dataclass(frozen=True)
class CodingSource:
    """One kind of research text: how to read it, and which of its rows are a person's."""

    kind: str
    read: Callable[..., Iterator[SourceText]]  # read(trajectory_ids=None)
    # The ids of the rows holding `person`'s own words; withdrawal deletes their fragments.
    # A source without a `consent_kind` is called as rows_of(person, kind=...) when a
    # withdrawal is of one kind: only the rows given under that kind.
    rows_of: Callable[..., list[int]] | None = None
    # The consent kind (`ConsentKind` value) the words were given under; empty when it
    # differs per row (transcripts: of a voice message or of an interview).
    consent_kind: str = ""


_sources: dict[str, CodingSource] = {}


def register_coding_source(source: CodingSource) -> None:
    _sources[source.kind] = source


def coding_sources() -> list[CodingSource]:
    """The registered sources in the order of `SourceKind`."""
    return [_sources[kind] for kind in SourceKind.values if kind in _sources]


def sections(pairs: Iterable[tuple[str, str]]) -> str:
    """Labelled sections ("Wat hielp?\\n…") separated by a blank line."""
    return "\n\n".join(f"{label}\n{value.strip()}" for label, value in pairs if value.strip())


def field_label(model, name: str) -> str:
    """A question's wording as a heading in a research text: always in Dutch, the
    language of the material, whatever language the person syncing has chosen."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(model._meta.get_field(name).verbose_name)
