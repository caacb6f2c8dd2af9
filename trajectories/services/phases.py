"""Moving a trajectory from one phase to the next."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import (
    PhaseTransition,
    Trajectory,
)
from ..selectors import (
    transition_problems,
)


@transaction.atomic
def trajectory_change_phase(*, trajectory: Trajectory, to_phase: str, by) -> PhaseTransition:
    trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    problems = transition_problems(trajectory, to_phase)
    if problems:
        raise ValidationError(problems)
    transition = PhaseTransition.objects.create(
        trajectory=trajectory,
        from_phase=trajectory.phase,
        to_phase=to_phase,
        by=by,
        at=timezone.now(),
    )
    trajectory.phase = to_phase
    trajectory.save(update_fields=["phase"])
    return transition
