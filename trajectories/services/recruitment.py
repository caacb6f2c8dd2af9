"""Phase 1: contacts, recruitment, the decision and its factors."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Decision,
    DecisionFactor,
    Phase,
    Trajectory,
)


@transaction.atomic
def decision_record(*, trajectory: Trajectory, is_yes: bool, decided_on, by) -> Decision:
    if trajectory.phase != Phase.RECRUITMENT:
        raise ValidationError(_("The decision can only be changed during recruitment."))
    if decided_on and decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("A decision cannot be dated in the future.")})
    decision, _created = Decision.objects.update_or_create(
        trajectory=trajectory,
        defaults={"is_yes": is_yes, "decided_on": decided_on, "recorded_by": by},
    )
    decision.full_clean()
    return decision


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
def recruitment_contact_change(*, contact):
    """Save a corrected entry of the recruitment log (the form changed `contact`)."""
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def recruitment_contact_delete(*, contact) -> None:
    contact.delete()


def factors_locked(decision: Decision) -> bool:
    """The factors belong to the decision: fixed once the trajectory left recruitment."""
    return decision.trajectory.phase != Phase.RECRUITMENT


def _check_factor(factor: DecisionFactor) -> None:
    if factors_locked(factor.decision):
        raise ValidationError(
            _("The factors can only be changed during recruitment; the trajectory has moved on.")
        )
    if factor.option_id and factor.option.category and factor.option.category != factor.category:
        raise ValidationError(
            {
                "option": _("“%(option)s” belongs to the category %(category)s.")
                % {"option": factor.option.name, "category": factor.option.get_category_display()}
            }
        )
    same = DecisionFactor.objects.filter(
        decision=factor.decision,
        category=factor.category,
        is_helping=factor.is_helping,
        option=factor.option,
        free_text__iexact=factor.free_text,
    ).exclude(pk=factor.pk)
    if same.exists():
        raise ValidationError(_("This factor has already been recorded."))


@transaction.atomic
def decision_factor_add(*, decision: Decision, category, is_helping, option=None, free_text=""):
    # The free text is kept beside a chosen option: it is the coach's explanation.
    factor = DecisionFactor(
        decision=decision,
        category=category,
        is_helping=is_helping,
        option=option,
        free_text=(free_text or "").strip(),
    )
    _check_factor(factor)
    factor.full_clean()
    factor.save()
    return factor


@transaction.atomic
def decision_factor_change(
    *, factor: DecisionFactor, category, is_helping, option=None, free_text=""
) -> DecisionFactor:
    factor.category, factor.is_helping = category, is_helping
    factor.option, factor.free_text = option, (free_text or "").strip()
    _check_factor(factor)
    factor.full_clean()
    factor.save()
    return factor


@transaction.atomic
def decision_factor_delete(*, factor: DecisionFactor) -> None:
    if factors_locked(factor.decision):
        raise ValidationError(
            _("The factors can only be changed during recruitment; the trajectory has moved on.")
        )
    factor.delete()
