"""The start agreement: saving a version and signing it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Duty,
    Signature,
    SignatureParty,
    StartAgreement,
    Trajectory,
)
from ..selectors import (
    current_agreement,
)
from .goals import goal_baseline_record

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
    if Duty.LOGBOOK not in (agreement.duties or []):
        raise ValidationError(
            _(
                "The start agreement cannot be signed yet: tick at least the champion's duty to "
                "keep the weekly logbook."
            )
        )
    signature = Signature(agreement=agreement, party=party, user=user, signed_at=timezone.now())
    signature.full_clean()
    signature.save()
    if signed | {party} >= set(SignatureParty.values):
        # The signed agreement is each goal's starting point on the progress timeline.
        goal_baseline_record(
            agreement=agreement, on=timezone.localtime(signature.signed_at).date(), by=user
        )
    return signature


def agreements_signed_refresh(*, agreement_ids=None) -> int:
    """Recompute `StartAgreement.fully_signed` of these agreements (or of all) in one
    UPDATE: every party has signed. `trajectories.signals` calls it for every signature
    saved or deleted; code that uses `bulk_create` calls it itself. Returns the rows
    written."""
    agreements = StartAgreement.objects.all()
    if agreement_ids is not None:
        agreements = agreements.filter(pk__in=agreement_ids)
    return agreements.update(
        fully_signed=Case(
            When(signed_by_everyone(), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def is_fully_signed(agreement_id: int) -> bool:
    """Whether every party signed this agreement, asked of its signatures."""
    return StartAgreement.objects.filter(signed_by_everyone(), pk=agreement_id).exists()


def signed_by_everyone() -> Q:
    """The condition "every party signed" on StartAgreement."""
    everyone = Q()
    for party in SignatureParty.values:
        everyone &= Q(Exists(Signature.objects.filter(agreement_id=OuterRef("pk"), party=party)))
    return everyone
