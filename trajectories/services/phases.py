"""Moving a trajectory from one phase to the next, and one step back."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    PhaseTransition,
    Trajectory,
)
from ..selectors import (
    previous_phase,
    transition_problems,
    transition_warnings,
)


@transaction.atomic
def trajectory_change_phase(
    *, trajectory: Trajectory, to_phase: str, by, reason: str = ""
) -> PhaseTransition:
    """Move on one phase. Problems refuse it; warnings (fewer half-days held than
    agreed, a start dialogue still to come) need a stated reason."""
    trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    problems = transition_problems(trajectory, to_phase)
    if problems:
        raise ValidationError(problems)
    reason = (reason or "").strip()
    warnings = transition_warnings(trajectory, to_phase)
    if warnings and not reason:
        raise ValidationError({"reason": [*warnings, _("Say why the trajectory moves on anyway.")]})
    transition = PhaseTransition.objects.create(
        trajectory=trajectory,
        from_phase=trajectory.phase,
        to_phase=to_phase,
        by=by,
        at=timezone.now(),
        reason=reason,
    )
    trajectory.phase = to_phase
    trajectory.save(update_fields=["phase"])
    return transition


@transaction.atomic
def trajectory_step_back(*, trajectory: Trajectory, by, reason: str) -> PhaseTransition:
    """Take the trajectory back one phase (a click too many, a plan that changed)."""
    trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    to_phase = previous_phase(trajectory)
    if to_phase is None:
        raise ValidationError(_("Recruitment is the first phase; there is no step back."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the trajectory goes back a phase.")})
    transition = PhaseTransition.objects.create(
        trajectory=trajectory,
        from_phase=trajectory.phase,
        to_phase=to_phase,
        by=by,
        at=timezone.now(),
        reason=reason,
        is_step_back=True,
    )
    trajectory.phase = to_phase
    trajectory.save(update_fields=["phase"])
    return transition
