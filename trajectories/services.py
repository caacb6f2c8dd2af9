"""Writes for trajectories: phase transitions, signing, hours, half-days, feeds.

Every function validates, raises a Dutch ``ValidationError`` on bad input and
changes nothing in that case (``transaction.atomic``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from . import access
from .models import (
    BudgetExtension,
    CalendarFeed,
    Decision,
    DecisionFactor,
    HalfDay,
    HourEntry,
    Membership,
    Phase,
    PhaseTransition,
    Role,
    Signature,
    SignatureParty,
    StartAgreement,
    Trajectory,
)

# The normal order of the phases; DECLINED is a side exit from recruitment.
NEXT_PHASE = {
    Phase.RECRUITMENT: Phase.START_DIALOGUE,
    Phase.START_DIALOGUE: Phase.CUSTOM,
    Phase.CUSTOM: Phase.CLOSING,
    Phase.CLOSING: Phase.FINISHED,
}


def current_agreement(trajectory: Trajectory) -> StartAgreement | None:
    return (
        StartAgreement.objects.filter(trajectory=trajectory)
        .prefetch_related("signatures__user")
        .order_by("-version")
        .first()
    )


def _decision(trajectory: Trajectory) -> Decision | None:
    return Decision.objects.filter(trajectory=trajectory).first()


def transition_problems(trajectory: Trajectory, to_phase: str) -> list[str]:
    """Why `trajectory` may not move to `to_phase` (empty list: it may)."""
    current = trajectory.phase
    if to_phase == Phase.DECLINED:
        if current != Phase.RECRUITMENT:
            return [_("A trajectory can only be declined during recruitment.")]
        decision = _decision(trajectory)
        if decision is None or decision.is_yes:
            return [_("Record the organisation's no before declining the trajectory.")]
        return []
    if NEXT_PHASE.get(current) != to_phase:
        return [_("This phase change is not possible from the current phase.")]
    problems = []
    if to_phase == Phase.START_DIALOGUE:
        decision = _decision(trajectory)
        if decision is None or not decision.is_yes:
            problems.append(_("The start dialogue needs the organisation's yes first."))
        agreement = current_agreement(trajectory)
        if agreement is None or not agreement.is_locked:
            problems.append(
                _("The start dialogue needs a start agreement signed by all three parties.")
            )
    elif to_phase == Phase.CLOSING:
        start = trajectory.half_days.filter(is_start_dialogue=True).first()
        later = trajectory.half_days.filter(is_start_dialogue=False)
        if start is not None:
            later = later.filter(starts_at__gt=start.starts_at)
        if start is None or not later.exists():
            problems.append(_("Closing needs at least one half-day after the start dialogue."))
    return problems


def next_step(trajectory: Trajectory) -> str:
    """A short sentence saying what to do next."""
    if trajectory.phase in (Phase.FINISHED, Phase.DECLINED):
        return _("Nothing: this trajectory has ended.")
    if trajectory.phase == Phase.RECRUITMENT:
        decision = _decision(trajectory)
        if decision is None:
            return _("Record the organisation's decision (yes or no).")
        if not decision.is_yes:
            return _("Mark the trajectory as declined.")
        agreement = current_agreement(trajectory)
        if agreement is None:
            return _("Draw up the start agreement.")
        if not agreement.is_locked:
            return _("Collect the signatures on the start agreement.")
        return _("Start the start dialogue.")
    if trajectory.phase == Phase.START_DIALOGUE:
        return _("Hold the start dialogue and move on to the custom trajectory.")
    if trajectory.phase == Phase.CUSTOM:
        if transition_problems(trajectory, Phase.CLOSING):
            return _("Plan the half-days of the custom trajectory.")
        return _("Plan the closing meeting when the half-days are done.")
    return _("Hold the closing interviews and finish the trajectory.")


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


@transaction.atomic
def decision_record(*, trajectory: Trajectory, is_yes: bool, decided_on, by) -> Decision:
    if trajectory.phase != Phase.RECRUITMENT:
        raise ValidationError(_("The decision can only be changed during recruitment."))
    decision, _created = Decision.objects.update_or_create(
        trajectory=trajectory,
        defaults={"is_yes": is_yes, "decided_on": decided_on, "recorded_by": by},
    )
    decision.full_clean()
    return decision


# --- start agreement -------------------------------------------------------


@transaction.atomic
def agreement_save(*, trajectory: Trajectory, **fields) -> StartAgreement:
    """Change the current version, or start a new version if it is locked."""
    agreement = current_agreement(trajectory)
    if agreement is None or agreement.is_locked:
        version = agreement.version + 1 if agreement else 1
        agreement = StartAgreement(trajectory=trajectory, version=version)
    for name, value in fields.items():
        setattr(agreement, name, value)
    agreement.full_clean()
    agreement.save()
    return agreement


@transaction.atomic
def agreement_sign(*, agreement: StartAgreement, party: str, user) -> Signature:
    agreement = StartAgreement.objects.select_for_update().get(pk=agreement.pk)
    signed = set(agreement.signatures.values_list("party", flat=True))
    if signed >= set(SignatureParty.values):
        raise ValidationError(
            _("This start agreement is locked: all three parties signed. Make a new version.")
        )
    if party in signed:
        raise ValidationError(_("This party has already signed this version."))
    if party not in SignatureParty.values:
        raise ValidationError(_("Unknown party."))
    signature = Signature(agreement=agreement, party=party, user=user, signed_at=timezone.now())
    signature.full_clean()
    signature.save()
    return signature


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


@transaction.atomic
def half_day_add_outcomes(*, half_day: HalfDay, learning_outcomes: str) -> HalfDay:
    half_day.learning_outcomes = learning_outcomes.strip()
    half_day.save(update_fields=["learning_outcomes"])
    return half_day


# --- hours -----------------------------------------------------------------


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


# --- recruitment, decision factors, people ---------------------------------


@transaction.atomic
def contact_person_add(*, person):
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def recruitment_contact_add(*, contact):
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def decision_factor_add(*, decision: Decision, category, is_helping, option=None, free_text=""):
    factor = DecisionFactor(
        decision=decision,
        category=category,
        is_helping=is_helping,
        option=option,
        free_text=(free_text or "").strip() if option is None else "",
    )
    factor.full_clean()
    factor.save()
    return factor


@transaction.atomic
def person_assign(
    *,
    trajectory: Trajectory,
    role: str,
    email: str,
    first_name: str,
    last_name: str,
    infix: str = "",
    is_alumnus: bool = False,
):
    """Make someone champion or buddy of `trajectory`, creating the account if needed."""
    if role not in (Role.CHAMPION, Role.BUDDY):
        raise ValidationError(_("Only champions and buddies can be added here."))
    User = get_user_model()
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, first_name=first_name, infix=infix, last_name=last_name
        )
    membership, created = Membership.objects.get_or_create(
        trajectory=trajectory, user=user, role=role, defaults={"is_alumnus": is_alumnus}
    )
    if not created and membership.is_alumnus != is_alumnus:
        membership.is_alumnus = is_alumnus
        membership.save(update_fields=["is_alumnus"])
    access.forget(user)
    return membership
