"""Half-days and the personal calendar feed."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from research.selectors import collection_stopped

from ..models import (
    CalendarFeed,
    HalfDay,
)

# --- half-days -------------------------------------------------------------


def _check_half_day(half_day: HalfDay) -> None:
    trajectory = half_day.trajectory
    errors = {}
    if half_day.starts_at and half_day.ends_at and half_day.ends_at <= half_day.starts_at:
        errors["ends_at"] = _("The end must be after the start.")
    if half_day.starts_at:
        day = timezone.localtime(half_day.starts_at).date()
        if (trajectory.starts_on and day < trajectory.starts_on) or (
            trajectory.ends_on and day > trajectory.ends_on
        ):
            errors["starts_at"] = _("The half-day must fall inside the trajectory period.")
    if (
        half_day.is_start_dialogue
        and HalfDay.objects.filter(trajectory=trajectory, is_start_dialogue=True)
        .exclude(pk=half_day.pk)
        .exists()
    ):
        errors["is_start_dialogue"] = _("This trajectory already has a start dialogue.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def half_day_save(*, half_day: HalfDay) -> HalfDay:
    """Create or change a half-day after checking times and period."""
    _check_half_day(half_day)
    half_day.full_clean()
    half_day.save()
    return half_day


def half_day_lock_reason(half_day: HalfDay) -> str:
    """Why this half-day can no longer be deleted (empty: it can)."""
    if half_day.dialogue_sessions.exists():
        return _(
            "A dialogue session with its harvest belongs to this half-day, so it stays in the "
            "plan. Change its date or title instead."
        )
    if half_day.learning_outcomes.strip() or half_day.goal_statuses.exists():
        return _(
            "The team's learning outcomes or goal statuses have been recorded for this half-day, "
            "so it stays in the plan. Change its date or title instead."
        )
    return ""


@transaction.atomic
def half_day_delete(*, half_day: HalfDay) -> None:
    reason = half_day_lock_reason(half_day)
    if reason:
        raise ValidationError(reason)
    half_day.delete()


@transaction.atomic
def half_day_add_outcomes(*, half_day: HalfDay, learning_outcomes: str, by=None) -> HalfDay:
    if by is not None and collection_stopped(user=by):
        # The team's learning outcomes are research data the champion collects.
        raise ValidationError(
            _("You have withdrawn your consent for the research: nothing new is collected.")
        )
    half_day.learning_outcomes = learning_outcomes.strip()
    half_day.save(update_fields=["learning_outcomes"])
    return half_day


# --- calendar feed ---------------------------------------------------------


@transaction.atomic
def feed_get_or_create(*, user) -> CalendarFeed:
    feed = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()
    if feed is None:
        feed = CalendarFeed.objects.create(user=user, token=secrets.token_urlsafe(32))
    return feed


@transaction.atomic
def feed_revoke(*, user) -> int:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
