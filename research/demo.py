"""Demo data of the research module: consent records, organisation codes and
pseudonyms, an alias, a few audit events and one withdrawal after the window."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from trajectories.models import Membership, Role

from .audit import audit_record
from .consent import current_text
from .models import (
    AuditAction,
    AuditEvent,
    Consent,
    ConsentKind,
    ConsentVia,
    OrganisationAlias,
    Withdrawal,
)
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
    # Allocates every organisation code, location code and pseudonym, once; the
    # coding seeder makes its fragments with it (at --scale 500 a build takes a minute).
    ctx.pseudonymiser = pseudonymiser_for_export()
    if main is not None:
        _audit(ctx, main, researcher)
        _withdrawal(ctx, main, researcher)


# The kinds of data each role gives (dialogue consent is given at the session).
KINDS_BY_ROLE = {
    Role.CHAMPION: (ConsentKind.LOGBOOK, ConsentKind.INTERVIEW, ConsentKind.NOTES),
    Role.BUDDY: (ConsentKind.LOGBOOK, ConsentKind.INTERVIEW, ConsentKind.NOTES),
    Role.COACH: (ConsentKind.LOGBOOK, ConsentKind.INTERVIEW, ConsentKind.NOTES),
    Role.MANAGER: (ConsentKind.INTERVIEW, ConsentKind.NOTES),
    Role.PARTICIPANT: (ConsentKind.NOTES,),
}


def give_consents(ctx, trajectories) -> int:
    """Every member gives, in the app, the consent of the kinds their role brings.

    Called by the trajectories' seeder before any data are collected (the
    intake gates refuse data without consent) and again for the demo logins.
    """
    texts = {kind: current_text(kind) for kind in ConsentKind.values}
    memberships = Membership.objects.filter(
        trajectory__in=trajectories, role__in=list(KINDS_BY_ROLE)
    ).select_related("trajectory", "user")
    have = set(
        Consent.objects.filter(trajectory__in=trajectories).values_list(
            "trajectory_id", "email", "kind"
        )
    )
    new = []
    for membership in memberships:
        start = membership.trajectory.starts_on or ctx.today - timedelta(days=120)
        email = membership.user.email.lower()
        for kind in KINDS_BY_ROLE[membership.role]:
            if (membership.trajectory_id, email, kind) in have:
                continue
            have.add((membership.trajectory_id, email, kind))
            new.append(
                Consent(
                    trajectory=membership.trajectory,
                    kind=kind,
                    user=membership.user,
                    email=email,
                    name=membership.user.get_full_name(),
                    text=texts[kind],
                    agreed=True,
                    at=ctx.aware(start - timedelta(days=3), 10),
                    via=ConsentVia.APP,
                )
            )
    Consent.objects.bulk_create(new)
    return len(new)


def _consents(ctx, trajectories, researcher) -> None:
    count = give_consents(ctx, trajectories)
    if count:
        ctx.log.append(f"research: {count} consents")


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
