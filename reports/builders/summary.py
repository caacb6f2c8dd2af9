"""The trajectory summary: agreement in brief, half-days, goals and closing."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboards.charts import bar_chart
from dialogues.models import HarvestItem
from logbooks.models import Entry, EntryStatus, ResearchNote
from trajectories.goals import GOAL_SHORT_LABELS, Goal
from trajectories.models import (
    Duty,
    HalfDay,
    InterventionType,
    Signature,
    StartAgreement,
    Trajectory,
    Unit,
)

from ..models import Audience
from . import summary_goals
from .base import _pseudonymiser, _public_text

# --- trajectory summary ----------------------------------------------------------


def _agreement_in_brief(trajectory: Trajectory, audience: str, pseudonymiser) -> dict | None:
    agreement = (
        StartAgreement.objects.filter(trajectory=trajectory)
        .prefetch_related(Prefetch("signatures", queryset=Signature.objects.order_by("signed_at")))
        .order_by("-version")
        .first()
    )
    if agreement is None:
        return None
    duties = [Duty(value).label for value in agreement.duties if value in Duty.values]
    return {
        "version": agreement.version,
        "facilitation_hours": agreement.facilitation_hours,
        "facilitation_period": agreement.facilitation_period,
        "coach_hours_budget": agreement.coach_hours_budget,
        "min_half_days": agreement.min_half_days,
        "duties": duties,
        "sub_goal_lines": agreement.sub_goal_list,
        "sub_goals": [
            _public_text(line, audience, pseudonymiser) for line in agreement.sub_goal_list
        ],
        # Who signed is a fact every party of the agreement knows; the support
        # text is written for the champion and stays with the research team.
        "signatures": [
            {"party": signature.get_party_display(), "signed_at": signature.signed_at}
            for signature in agreement.signatures.all()
        ],
        "support": agreement.support if audience == Audience.RESEARCH_TEAM else "",
    }


def _half_day_rows(half_days: list[HalfDay]) -> list[dict]:
    rows = []
    for number, half_day in enumerate(half_days, start=1):
        rows.append(
            {
                "number": number,
                "half_day": half_day,
                "unit": Unit(half_day.unit).label if half_day.unit in Unit.values else "",
                "interventions": [
                    InterventionType(value).label
                    for value in half_day.intervention_types
                    if value in InterventionType.values
                ],
                "goals": [
                    GOAL_SHORT_LABELS[Goal(value)] for value in half_day.goals
                    if value in Goal.values
                ],
            }
        )
    return rows


def summary_context(trajectory: Trajectory, audience: str) -> dict:
    now = timezone.now()
    research_team = audience == Audience.RESEARCH_TEAM
    pseudonymiser = _pseudonymiser(audience)
    half_days = list(trajectory.half_days.order_by("starts_at"))
    held = [half_day for half_day in half_days if half_day.starts_at < now]
    intervention_counts = Counter(
        value for half_day in held for value in half_day.intervention_types
        if value in InterventionType.values
    )
    unit_counts = Counter(half_day.unit for half_day in held if half_day.unit in Unit.values)
    entries = list(
        Entry.objects.filter(trajectory=trajectory, status=EntryStatus.SUBMITTED)
        .order_by("week_start", "id")
        .only(
            "id", "author_role", "iso_year", "iso_week", "week_start",
            "actions", "effects", "helped", "hindered", "other",
            "goal_1", "goal_2", "goal_3", "goal_4",
        )
        if research_team
        else ()
    )
    entry_counts = (
        Entry.objects.filter(trajectory=trajectory, status=EntryStatus.SUBMITTED).aggregate(
            total=Count("id"),
            **{f"goal_{int(goal)}": Count("id", filter=Q(**{f"goal_{int(goal)}": True}))
               for goal in Goal},
        )
    )
    closing = summary_goals.closing_material(trajectory, with_text=research_team)
    harvest_items = (
        list(
            HarvestItem.objects.filter(session__trajectory=trajectory, goal__isnull=False)
            .select_related("session")
            .only("text", "goal", "session__starts_at")
            .order_by("session__starts_at", "created_at", "id")
        )
        if research_team
        else []
    )
    goals = summary_goals.per_goal(
        trajectory=trajectory,
        entries=entries,
        held_half_days=held,
        entry_counts=entry_counts,
        closing=closing,
        with_text=research_team,
        harvest_items=harvest_items,
    )
    agreement = _agreement_in_brief(trajectory, audience, pseudonymiser)
    sub_goals = summary_goals.per_sub_goal(
        trajectory=trajectory,
        sub_goals=agreement["sub_goal_lines"] if agreement else [],
        closing=closing,
        with_text=research_team,
        label=lambda text: _public_text(text, audience, pseudonymiser),
    )
    notes = (
        list(
            ResearchNote.objects.filter(trajectory=trajectory).order_by("occurred_on", "id")
        )
        if research_team
        else []
    )
    return {
        "trajectory": trajectory,
        "organisation": trajectory.organisation,
        "agreement": agreement,
        "sub_goals": sub_goals,
        "half_days": _half_day_rows(half_days),
        "held_count": len(held),
        "planned_count": len(half_days) - len(held),
        "entry_total": entry_counts["total"],
        "goals": goals,
        "goal_chart": summary_goals.progress_chart(trajectory),
        "closing": closing,
        "notes": notes,
        "is_manager_version": not research_team,
        "half_day_chart": bar_chart(
            [(_("held"), len(held)), (_("planned"), len(half_days) - len(held))],
            title=_("Half-days held and planned"),
        ),
        "intervention_rows": [
            (InterventionType(value).label, intervention_counts[value])
            for value in InterventionType.values
            if intervention_counts[value]
        ],
        "unit_rows": [
            (Unit(value).label, unit_counts[value])
            for value in Unit.values
            if unit_counts[value]
        ],
        "intervention_chart": bar_chart(
            [
                (InterventionType(value).label, intervention_counts[value])
                for value in InterventionType.values
                if intervention_counts[value]
            ],
            title=_("Intervention types in the half-days held"),
        )
        if intervention_counts
        else "",
    }
