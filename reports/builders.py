"""What goes into each kind of report. One builder per kind: which object it is
about, its title, its template and the figures it shows.

Figures come from the database in a fixed number of queries; text that only
the research team may read is added only when the audience is the research
team (see `Audience`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from trajectories.goals import Goal
from trajectories.models import HalfDay, Phase, Sector, Study, Trajectory

from .charts import bar_chart
from .models import Audience, ReportKind


@dataclass(frozen=True)
class Builder:
    kind: str
    model: type
    template: str
    title: Callable
    context: Callable
    sector: Callable


def _sector_rows(study: Study) -> list[dict]:
    """Approached, declined and joined organisations and half-days held, per sector."""
    now = timezone.now()
    trajectory_figures = {
        row["organisation__sector"]: row
        for row in Trajectory.objects.filter(study=study)
        .values("organisation__sector")
        .annotate(
            approached=Count("id"),
            declined=Count("id", filter=Q(phase=Phase.DECLINED)),
            joined=Count("id", filter=~Q(phase__in=[Phase.RECRUITMENT, Phase.DECLINED])),
        )
    }
    half_day_figures = {
        row["trajectory__organisation__sector"]: row
        for row in HalfDay.objects.filter(trajectory__study=study, starts_at__lt=now)
        .values("trajectory__organisation__sector")
        .annotate(held=Count("id"), start_dialogues=Count("id", filter=Q(is_start_dialogue=True)))
    }
    rows = []
    for sector in Sector:
        figures = trajectory_figures.get(sector.value, {})
        held = half_day_figures.get(sector.value, {})
        rows.append(
            {
                "sector": sector.label,
                "approached": figures.get("approached", 0),
                "declined": figures.get("declined", 0),
                "joined": figures.get("joined", 0),
                "start_dialogues": held.get("start_dialogues", 0),
                "half_days": held.get("held", 0),
            }
        )
    return rows


def crosscase_context(study: Study, audience: str) -> dict:
    rows = _sector_rows(study)
    trajectories = list(
        Trajectory.objects.filter(study=study)
        .select_related("organisation")
        .annotate(
            half_days_held=Count("half_days", filter=Q(half_days__starts_at__lt=timezone.now()))
        )
        .order_by("organisation__sector", "organisation__name")
    )
    totals = {
        key: sum(row[key] for row in rows)
        for key in ("approached", "declined", "joined", "start_dialogues", "half_days")
    }
    phases = Counter(trajectory.get_phase_display() for trajectory in trajectories)
    return {
        "study": study,
        "rows": rows,
        "totals": totals,
        "trajectories": trajectories,
        "phase_rows": sorted(phases.items()),
        "phase_chart": bar_chart(
            sorted(phases.items()), title=_("Trajectories per phase")
        ),
        "sector_chart": bar_chart(
            [(row["sector"], row["joined"]) for row in rows],
            title=_("Organisations that joined, per sector"),
        ),
    }


def summary_context(trajectory: Trajectory, audience: str) -> dict:
    now = timezone.now()
    half_days = list(trajectory.half_days.order_by("starts_at"))
    held = [half_day for half_day in half_days if half_day.starts_at < now]
    return {
        "trajectory": trajectory,
        "organisation": trajectory.organisation,
        "half_days": half_days,
        "held_count": len(held),
        "planned_count": len(half_days) - len(held),
        "goals": list(Goal),
        "is_manager_version": audience == Audience.MANAGER,
        "half_day_chart": bar_chart(
            [(_("held"), len(held)), (_("planned"), len(half_days) - len(held))],
            title=_("Half-days held and planned"),
        ),
    }


BUILDERS: dict[str, Builder] = {
    ReportKind.CROSSCASE: Builder(
        kind=ReportKind.CROSSCASE,
        model=Study,
        template="reports/pdf/crosscase.html",
        title=lambda study: _("Cross-case overview — %(study)s") % {"study": study.name},
        context=crosscase_context,
        sector=lambda study: "",
    ),
    ReportKind.SUMMARY: Builder(
        kind=ReportKind.SUMMARY,
        model=Trajectory,
        template="reports/pdf/summary.html",
        title=lambda trajectory: _("Trajectory summary — %(organisation)s")
        % {"organisation": trajectory.organisation.name},
        context=summary_context,
        sector=lambda trajectory: trajectory.organisation.sector,
    ),
}


def builder_for(kind: str) -> Builder:
    try:
        return BUILDERS[kind]
    except KeyError:
        raise ValueError(f"no builder for report kind {kind!r}") from None
