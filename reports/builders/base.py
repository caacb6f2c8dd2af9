"""What every report kind shares: the `Builder` record and `_public_text`, the
pseudonymising of free text for audiences outside the research team.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from research.pseudonymise import pseudonymiser_for_export

from ..models import Audience


@dataclass(frozen=True)
class Builder:
    kind: str
    model: type
    template: str
    title: Callable
    context: Callable
    sector: Callable
    # Audiences this kind may be built for; the first is the default.
    audiences: tuple = (Audience.RESEARCH_TEAM,)
    # Raises ValidationError (Dutch) when the object cannot be reported on yet.
    check: Callable = field(default=lambda target: None)
    # select_related paths for loading the object, so titles cost no queries.
    related: tuple = ()

    def load(self, object_id: int):
        return self.model.objects.select_related(*self.related).get(pk=object_id)


# --- free text for audiences outside the research team ------------------------


class _Unchanged:
    def apply(self, text: str) -> str:
        return text


class _ExportPseudonymiser:
    """The research module's export pseudonymiser, built on first use: building
    it reads every known name, which a report without free text need not pay for."""

    def __init__(self):
        self._real = None

    def apply(self, text: str) -> str:
        if self._real is None:

            self._real = pseudonymiser_for_export()
        return self._real.apply(text)


def _pseudonymiser(audience: str):
    """The pseudonymiser for free text in a report for `audience`.

    The research team reads text as written; every other audience gets the
    export pseudonymiser of `research.pseudonymise`. Texts that must
    never leave the research team (logbooks, harvest items, interviews) are
    not put into such a report at all; this is for texts that may go out
    pseudonymised (a harvest report for its participants, sub-goals).
    """
    if audience == Audience.RESEARCH_TEAM:
        return _Unchanged()
    return _ExportPseudonymiser()


def _public_text(text: str, audience: str, pseudonymiser=None) -> str:
    """The one way free text reaches a report for `audience`.

    The research team reads text as written; every other audience gets it
    through the export pseudonymiser (names of people and organisations
    replaced). Pass a `pseudonymiser` made once per report to avoid building
    it per text.
    """
    if not text or audience == Audience.RESEARCH_TEAM:
        return text
    return (pseudonymiser or _pseudonymiser(audience)).apply(text)
