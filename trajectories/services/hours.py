"""Hours spent and budget extensions."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    BudgetExtension,
    HourEntry,
    Trajectory,
)

# One entry covers at most a working day: more is a typing mistake (100 for 1,00)
# that would turn the manager's budget bar red.
MAX_HOURS_PER_ENTRY = Decimal(8)

# --- hours -----------------------------------------------------------------


def _check_hours(trajectory: Trajectory, date, hours) -> None:
    errors = {}
    if hours is None or Decimal(hours) <= 0:
        errors["hours"] = _("The number of hours must be more than zero.")
    elif Decimal(hours) > MAX_HOURS_PER_ENTRY:
        errors["hours"] = _(
            "One entry can be at most a working day (%(max)s hours); split longer work over "
            "several days."
        ) % {"max": MAX_HOURS_PER_ENTRY.normalize()}
    if date is not None:
        if date > timezone.localdate():
            errors["date"] = _("Hours cannot be logged for a day in the future.")
        elif (trajectory.starts_on and date < trajectory.starts_on) or (
            trajectory.ends_on and date > trajectory.ends_on
        ):
            errors["date"] = _("The date must fall inside the trajectory period.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def hours_log(*, trajectory: Trajectory, user, date, activity: str, hours, note="") -> HourEntry:
    _check_hours(trajectory, date, hours)
    entry = HourEntry(
        trajectory=trajectory, user=user, date=date, activity=activity, hours=hours, note=note
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def hours_change(*, entry: HourEntry, date, activity: str, hours, note="") -> HourEntry:
    """Correct an entry with the same checks as logging it."""
    _check_hours(entry.trajectory, date, hours)
    entry.date, entry.activity, entry.hours, entry.note = date, activity, hours, note
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def hours_delete(*, entry: HourEntry) -> None:
    entry.delete()


@transaction.atomic
def budget_extend(*, trajectory: Trajectory, hours, reason: str, by) -> BudgetExtension:
    if hours is None or Decimal(hours) <= 0:
        raise ValidationError({"hours": _("The number of hours must be more than zero.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for the extra hours.")})
    extension = BudgetExtension(trajectory=trajectory, hours=hours, reason=reason, added_by=by)
    extension.full_clean()
    extension.save()
    return extension
