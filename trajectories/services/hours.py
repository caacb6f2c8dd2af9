"""Hours spent and budget extensions."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import (
    BudgetExtension,
    HourEntry,
    Trajectory,
)

# --- hours -----------------------------------------------------------------


@transaction.atomic
def hours_log(*, trajectory: Trajectory, user, date, activity: str, hours, note="") -> HourEntry:
    if hours is None or Decimal(hours) <= 0:
        raise ValidationError({"hours": _("The number of hours must be more than zero.")})
    entry = HourEntry(
        trajectory=trajectory, user=user, date=date, activity=activity, hours=hours, note=note
    )
    entry.full_clean()
    entry.save()
    return entry


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
