"""What goes into each kind of report. One builder per kind: which object it is
about, its title, its template and the figures it shows.

Figures come from the database in a fixed number of queries; text that only
the research team may read is added only when the audience is the research
team (see `Audience`). Every free text that goes to another audience passes
through `_public_text`, which pseudonymises it.

One module per report kind; `BUILDERS` and `builder_for` are the registry.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from dialogues.models import DialogueSession
from trajectories.models import Organisation, Study, Trajectory

from ..models import Audience, ReportKind
from .base import Builder
from .crosscase import crosscase_context
from .harvest import FINAL_HARVEST, _harvest_title, harvest_check, harvest_context
from .portrait import portrait_context
from .summary import summary_context
from .synthesis import synthesis_context

BUILDERS: dict[str, Builder] = {
    ReportKind.HARVEST: Builder(
        kind=ReportKind.HARVEST,
        model=DialogueSession,
        template="reports/pdf/harvest.html",
        title=_harvest_title,
        context=harvest_context,
        sector=lambda session: session.trajectory.organisation.sector,
        audiences=(Audience.RESEARCH_TEAM, Audience.PARTICIPANTS),
        check=harvest_check,
        related=("trajectory__organisation", "trajectory__study", "report"),
    ),
    ReportKind.SUMMARY: Builder(
        kind=ReportKind.SUMMARY,
        model=Trajectory,
        template="reports/pdf/summary.html",
        title=lambda trajectory: _("Trajectory summary — %(organisation)s")
        % {"organisation": trajectory.organisation.name},
        context=summary_context,
        sector=lambda trajectory: trajectory.organisation.sector,
        audiences=(Audience.RESEARCH_TEAM, Audience.MANAGER),
        related=("organisation", "study"),
    ),
    ReportKind.PORTRAIT: Builder(
        kind=ReportKind.PORTRAIT,
        model=Organisation,
        template="reports/pdf/portrait.html",
        title=lambda organisation: _("Organisation portrait — %(organisation)s")
        % {"organisation": organisation.name},
        context=portrait_context,
        sector=lambda organisation: organisation.sector,
    ),
    ReportKind.CROSSCASE: Builder(
        kind=ReportKind.CROSSCASE,
        model=Study,
        template="reports/pdf/crosscase.html",
        title=lambda study: _("Cross-case overview — %(study)s") % {"study": study.name},
        context=crosscase_context,
        sector=lambda study: "",
    ),
    ReportKind.SYNTHESIS: Builder(
        kind=ReportKind.SYNTHESIS,
        model=Study,
        template="reports/pdf/synthesis.html",
        title=lambda study: _("Cross-case synthesis — %(study)s") % {"study": study.name},
        context=synthesis_context,
        sector=lambda study: "",
    ),
}


def builder_for(kind: str) -> Builder:
    try:
        return BUILDERS[kind]
    except KeyError:
        raise ValueError(f"no builder for report kind {kind!r}") from None


__all__ = ["BUILDERS", "FINAL_HARVEST", "Builder", "builder_for"]
