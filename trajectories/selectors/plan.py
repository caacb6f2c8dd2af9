"""The plan of a trajectory: half-days, who takes part, hours against the budget."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from ..goals import GOAL_SHORT_LABELS, Goal
from ..models import (
    InterventionType,
    Membership,
    Role,
    Trajectory,
    Unit,
)
from .trajectory import current_agreement


def half_days(trajectory):
    """The half-days of a trajectory, numbered: the start dialogue is half-day 1."""
    days = list(trajectory.half_days.order_by("starts_at"))
    for number, day in enumerate(days, start=1):
        day.number = number
        day.intervention_labels = [
            InterventionType(value).label
            for value in day.intervention_types
            if value in InterventionType.values
        ]
        day.goal_labels = [GOAL_SHORT_LABELS[Goal(g)] for g in day.goals if g in Goal.values]
        day.unit_label = Unit(day.unit).label if day.unit in Unit.values else ""
        day.is_interim = InterventionType.INTERIM in (day.intervention_types or [])
        day.title_without_kind = _without_start_dialogue_word(day.title)
    return days


def _without_start_dialogue_word(title: str) -> str:
    """ "Startdialoog Ik en loopbaanbegeleiding" after the "Start dialogue" label
    read as "Startdialoog: Startdialoog …": drop the doubled word."""
    label = str(_("Start dialogue"))
    stripped = (title or "").strip()
    if stripped.lower().startswith(label.lower()):
        stripped = stripped[len(label) :].lstrip(" :-–")
    return stripped


def champions_and_buddies(trajectory):
    return list(
        Membership.objects.filter(trajectory=trajectory, role__in=[Role.CHAMPION, Role.BUDDY])
        .select_related("user")
        .order_by("role", "user__last_name")
    )


@dataclass
class HoursSummary:
    budget: Decimal
    used: Decimal
    extensions: Decimal

    @property
    def total_budget(self) -> Decimal:
        return self.budget + self.extensions

    @property
    def percent(self) -> int:
        if not self.total_budget:
            return 0
        return int(self.used * 100 / self.total_budget)

    @property
    def remaining(self) -> Decimal:
        return self.total_budget - self.used

    @property
    def level(self) -> str:
        """ "ok", "warning" (≥ 80 %) or "over" (≥ 100 %)."""
        if self.percent >= 100:
            return "over"
        if self.percent >= 80:
            return "warning"
        return "ok"


def hours_summary(trajectory: Trajectory) -> HoursSummary:
    agreement = current_agreement(trajectory)
    budget = agreement.coach_hours_budget if agreement else Decimal(40)
    used = trajectory.hour_entries.aggregate(total=Sum("hours"))["total"] or Decimal(0)
    extra = trajectory.budget_extensions.aggregate(total=Sum("hours"))["total"] or Decimal(0)
    return HoursSummary(budget=Decimal(budget), used=Decimal(used), extensions=Decimal(extra))
