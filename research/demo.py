"""Demo data of the research module: consent records, organisation codes and
pseudonyms, an alias, a few audit events and one withdrawal after the window."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from trajectories.access import CONSENT_ROLES
from trajectories.models import Membership, Role

from .audit import audit_record
from .consent import current_consent_text
from .models import AuditAction, AuditEvent, OrganisationAlias, ResearchConsent, Withdrawal
from .pseudonymise import GENERIC_ORGANISATION_WORDS, organisation_code, pseudonymiser_for_export
from .selectors import person_for, withdrawal_window
from .services import consent_withdraw


def seed(ctx) -> None:
    researcher = ctx.users.get("onderzoeker")
    trajectories = list(ctx.all_trajectories) or list(ctx.trajectories.values())
    if researcher is None or not trajectories:
        return
    _consents(ctx, trajectories, researcher)
    main = ctx.trajectories.get("main")
    if main is not None:
        _alias(main.organisation)
    # Allocates every organisation code, location code and pseudonym, once.
    pseudonymiser_for_export()
    if main is not None:
        _audit(ctx, main, researcher)
        _withdrawal(ctx, main, researcher)


def _consents(ctx, trajectories, researcher) -> None:
    text = current_consent_text()
    have = set(ResearchConsent.objects.values_list("user_id", "trajectory_id"))
    new = []
    memberships = Membership.objects.filter(
        trajectory__in=trajectories, role__in=CONSENT_ROLES
    ).select_related("trajectory")
    for membership in memberships:
        if (membership.user_id, membership.trajectory_id) in have:
            continue
        have.add((membership.user_id, membership.trajectory_id))
        start = membership.trajectory.starts_on or ctx.today - timedelta(days=120)
        new.append(
            ResearchConsent(
                user_id=membership.user_id,
                trajectory=membership.trajectory,
                text=text,
                agreed=True,
                at=ctx.aware(start, 10),
                recorded_by=researcher,
            )
        )
    ResearchConsent.objects.bulk_create(new)
    if new:
        ctx.log.append(f"research: {len(new)} consent records")


def _alias(organisation) -> None:
    """Schools are often called by their initials ("HBC"); the key must know that."""
    words = [w for w in organisation.name.split() if w.lower() not in GENERIC_ORGANISATION_WORDS]
    initials = "".join(word[0] for word in organisation.name.split() if word[:1].isalpha()).upper()
    for alias in (initials, " ".join(words)):
        if len(alias) >= 2 and alias.lower() not in {
            organisation.name.lower(),
            organisation.short_name.lower(),
        }:
            OrganisationAlias.objects.get_or_create(organisation=organisation, alias=alias)
            return


def _audit(ctx, main, researcher) -> None:
    if AuditEvent.objects.exists():
        return
    code = organisation_code(main.organisation)
    audit_record(researcher, AuditAction.VIEW_KEY, target=code, trajectory=main)
    independent = ctx.users.get("onafhankelijk")
    if independent is not None:
        audit_record(independent, AuditAction.VIEW_KEY, target=code, trajectory=main)


def _withdrawal(ctx, main, researcher) -> None:
    """A participant of the start dialogue withdrew long after it: collection stopped."""
    if Withdrawal.objects.filter(trajectory=main).exists():
        return
    demo_logins = {user.pk for user in ctx.users.values()}
    participant = (
        Membership.objects.filter(trajectory=main, role=Role.PARTICIPANT)
        .exclude(user_id__in=demo_logins)
        .select_related("user")
        .order_by("user__email")
        .first()
    )
    if participant is None:
        return
    window = withdrawal_window(person_for(user=participant.user))
    if window.within:
        return  # only the kind that keeps data belongs in the demo
    withdrawal = consent_withdraw(
        user=participant.user, requested_by=researcher, at=timezone.now(), trajectory=main
    )
    ctx.log.append(f"research: withdrawal of {withdrawal.pseudonym_label} (after the window)")
