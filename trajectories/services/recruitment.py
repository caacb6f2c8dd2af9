"""Phase 1: contacts, recruitment, the decision and its factors."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
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
