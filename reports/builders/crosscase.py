"""The cross-case overview of a study: figures per sector, interviews, data points."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboards.charts import bar_chart
from dialogues.models import HarvestItem, HarvestReport
from logbooks.models import EmailDataPoint, Entry, EntryStatus, ResearchNote
from trajectories.models import (
    ClosingInterview,
    HalfDay,
    InterventionType,
    IntervieweeRole,
    InterviewStatus,
    Phase,
    Sector,
    Study,
    Trajectory,
)

from .harvest import FINAL_HARVEST

# --- cross-case overview --------------------------------------------------------


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


def _sector_table(rows_by_sector: dict[str, dict[str, int]], keys: list[str]) -> list[dict]:
    """One row per sector with a figure per key, then a total row."""
    table = []
    for sector in Sector:
        figures = rows_by_sector.get(sector.value, {})
        table.append({"label": sector.label, "figures": [figures.get(key, 0) for key in keys]})
    table.append(
        {"label": _("Total"), "total": True,
         "figures": [sum(row["figures"][index] for row in table) for index in range(len(keys))]}
    )
    return table


def _interview_rows(study: Study) -> list[dict]:
    """Closing interviews held per sector and interviewee role, and those missed."""
    figures: dict[str, dict[str, int]] = {}
    for row in (
        ClosingInterview.objects.filter(trajectory__study=study)
        .values("trajectory__organisation__sector", "interviewee_role", "status")
        .annotate(count=Count("id"))
    ):
        sector = figures.setdefault(row["trajectory__organisation__sector"], {})
        if row["status"] == InterviewStatus.HELD:
            sector[row["interviewee_role"]] = sector.get(row["interviewee_role"], 0) + row["count"]
        elif row["status"] == InterviewStatus.MISSED:
            sector["missed"] = sector.get("missed", 0) + row["count"]
    return _sector_table(figures, [*IntervieweeRole.values, "missed"])


def _data_point_rows(study: Study) -> tuple[list[str], list[dict]]:
    """Data points per source (columns) and sector (rows), one query per source."""
    in_study = {"trajectory__study": study}
    sector = "trajectory__organisation__sector"
    sources = [
        (_("Logbook entries"),
         Entry.objects.filter(status=EntryStatus.SUBMITTED, **in_study)),
        (_("Harvest items"), HarvestItem.objects.filter(session__trajectory__study=study)),
        (_("Harvest reports"),
         HarvestReport.objects.filter(session__trajectory__study=study,
                                      status__in=FINAL_HARVEST)),
        (_("Closing interviews"),
         ClosingInterview.objects.filter(status=InterviewStatus.HELD, **in_study)),
        (_("E-mails"), EmailDataPoint.objects.filter(**in_study)),
        (_("Research notes"), ResearchNote.objects.filter(**in_study)),
    ]
    figures: dict[str, dict[str, int]] = {}
    for index, (_label, queryset) in enumerate(sources):
        path = "session__" + sector if queryset.model in (HarvestItem, HarvestReport) else sector
        for row in queryset.values(path).annotate(count=Count("id")):
            figures.setdefault(row[path], {})[str(index)] = row["count"]
    return [label for label, _qs in sources], _sector_table(
        figures, [str(index) for index in range(len(sources))]
    )


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
    interventions = Counter(
        value
        for types in HalfDay.objects.filter(
            trajectory__study=study, starts_at__lt=timezone.now()
        ).values_list("intervention_types", flat=True)
        for value in types
        if value in InterventionType.values
    )
    missed = list(
        ClosingInterview.objects.filter(trajectory__study=study, status=InterviewStatus.MISSED)
        .select_related("trajectory__organisation")
        .order_by("trajectory__organisation__name", "interviewee_role")
    )
    source_labels, source_rows = _data_point_rows(study)
    return {
        "study": study,
        "interview_roles": [label for _value, label in IntervieweeRole.choices],
        "interview_rows": _interview_rows(study),
        "missed_interviews": missed,
        "intervention_rows": [
            (InterventionType(value).label, interventions[value])
            for value in InterventionType.values
        ],
        "source_labels": source_labels,
        "source_rows": source_rows,
        "rows": rows,
        "totals": totals,
        "trajectories": trajectories,
        "phase_rows": sorted(phases.items()),
        "phase_chart": bar_chart(sorted(phases.items()), title=_("Trajectories per phase")),
        "sector_chart": bar_chart(
            [(row["sector"], row["joined"]) for row in rows],
            title=_("Organisations that joined, per sector"),
        ),
    }
