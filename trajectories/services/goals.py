"""Goal progress: the baseline from the start agreement and interim evaluations."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..goals import Goal
from ..models import (
    GoalProgress,
    GoalSource,
    GoalStatus,
    HalfDay,
    StartAgreement,
    Trajectory,
)
from ..selectors import (
    current_agreement,
    is_interim_evaluation,
)


def _goal_keys(trajectory: Trajectory, agreement: StartAgreement | None = None):
    """(goal, sub_goal) of the four goals and the current sub-goals."""
    agreement = agreement or current_agreement(trajectory)
    keys = [(int(goal), "") for goal in Goal]
    keys += [
        (None, name)
        for name in (selectors.sub_goal_names(agreement.sub_goals) if agreement else [])
    ]
    return keys


@transaction.atomic
def goal_baseline_record(*, agreement: StartAgreement, on=None, by=None) -> int:
    """Record the starting point of every goal once the start agreement is signed.

    Goals that already have a baseline keep it; a new version only adds its new
    sub-goals. Returns the number of statuses added.
    """
    on = on or timezone.localdate()
    existing = set(
        GoalStatus.objects.filter(
            trajectory=agreement.trajectory, source=GoalSource.START_AGREEMENT
        ).values_list("goal", "sub_goal")
    )
    added = 0
    for goal, sub_goal in _goal_keys(agreement.trajectory, agreement):
        if (goal, sub_goal) in existing:
            continue
        status = GoalStatus(
            trajectory=agreement.trajectory,
            goal=goal,
            sub_goal=sub_goal,
            source=GoalSource.START_AGREEMENT,
            recorded_on=on,
            status=GoalProgress.NOT_STARTED,
            recorded_by=by,
        )
        status.full_clean()
        status.save()
        added += 1
    return added


@transaction.atomic
def interim_evaluation_save(
    *, half_day: HalfDay, statuses: dict[tuple, str], note: str = "", by=None
) -> int:
    """Record the status per goal agreed in an interim evaluation (intervention type 4).

    `statuses` maps (goal, sub_goal) to a GoalProgress value; an empty value
    removes what this half-day recorded for that goal. Returns how many
    statuses the half-day now holds.
    """
    if not is_interim_evaluation(half_day):
        raise ValidationError(
            _("Goal statuses can only be recorded on a half-day with an interim evaluation.")
        )
    allowed = set(_goal_keys(half_day.trajectory))
    on = timezone.localtime(half_day.starts_at).date()
    for (goal, sub_goal), value in statuses.items():
        lookup = {
            "trajectory": half_day.trajectory,
            "half_day": half_day,
            "goal": goal,
            "sub_goal": sub_goal,
        }
        if (goal, sub_goal) not in allowed:
            raise ValidationError(_("Unknown goal."))
        if not value:
            GoalStatus.objects.filter(**lookup).delete()
            continue
        if value not in GoalProgress.values:
            raise ValidationError(_("Choose a status from the list."))
        GoalStatus.objects.update_or_create(
            **lookup,
            defaults={
                "source": GoalSource.INTERIM_EVALUATION,
                "recorded_on": on,
                "status": value,
                "note": (note or "").strip(),
                "recorded_by": by,
            },
        )
    return GoalStatus.objects.filter(half_day=half_day).count()
