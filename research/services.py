"""Writes for the research module: consent, withdrawal, organisation aliases."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from trajectories.models import Location, Trajectory

from .audit import audit_record
from .consent import current_consent_text
from .models import AuditAction, OrganisationAlias, Pseudonym, ResearchConsent, Withdrawal
from .pseudonymise import (
    Pseudonymiser,
    organisation_code,
    person_pseudonym,
    person_variants,
    pseudonymiser_for_export,
    split_name,
)
from .registry import DataOwner, Person, Removal, Scope, data_owners
from .selectors import (
    collection_stopped,
    email_digest,
    key_people,
    person_for,
    withdrawal_window,
)

# Fields that name things rather than hold free text: never rewritten.
_UNSCRUBBED_FIELDS = frozenset({"name", "short_name", "email", "code", "token", "content_type"})


# --- consent -------------------------------------------------------------------------------


@transaction.atomic
def research_consent_record(
    *, user, trajectory, recorded_by, agreed: bool = True, text=None, at=None
) -> ResearchConsent:
    """Record that an account holder agreed (or not) to the consent text for a trajectory."""
    if agreed and collection_stopped(user=user):
        raise ValidationError(
            _("This person has withdrawn consent; no new consent can be recorded.")
        )
    consent = ResearchConsent(
        user=user,
        trajectory=trajectory,
        text=text or current_consent_text(),
        agreed=agreed,
        at=at or timezone.now(),
        recorded_by=recorded_by,
    )
    consent.full_clean()
    consent.save()
    audit_record(
        recorded_by,
        AuditAction.RECORD_CONSENT,
        target=person_pseudonym(user=user),
        detail={"version": consent.text.version, "agreed": agreed},
        trajectory=trajectory,
    )
    return consent


# --- withdrawal ----------------------------------------------------------------------------


@transaction.atomic
def consent_withdraw(
    *, user=None, invitee=None, requested_by, at=None, trajectory=None
) -> Withdrawal:
    """Withdraw a person's consent: one service for both paths.

    Inside the window (five Dutch working days after their latest interview,
    dialogue or logbook entry, see `selectors.withdrawal_window`) every piece of
    their data is deleted, files on disk included, and only a pseudonymous
    `Withdrawal` row remains. After the window their data stay, and the
    `Withdrawal` row stops all new collection (`selectors.collection_stopped`).
    Each app erases its own data (`registry.DataOwner`); this service only
    orchestrates them.
    """
    at = at or timezone.now()
    person = person_for(user=user, invitee=invitee)
    if trajectory is None and invitee is not None:
        trajectory = invitee.session.trajectory
    already = Q(email_digest__in=[email_digest(address) for address in person.emails])
    if person.user is not None:
        already |= Q(user=person.user)
    if Withdrawal.objects.filter(already).exists():
        raise ValidationError(_("This person has already withdrawn consent."))
    window = withdrawal_window(person, at)
    label = person_pseudonym(user=person.user) if person.user else person_pseudonym(invitee=invitee)
    primary_email = person.user.email.lower() if person.user else sorted(person.emails)[0]
    withdrawal = Withdrawal(
        pseudonym_label=label,
        trajectory=trajectory,
        email_digest=email_digest(primary_email),
        within_window=window.within,
        reference_date=window.reference_date,
        deadline=window.deadline,
        withdrawn_on=timezone.localdate(at),
        requested_by=requested_by,
    )
    if window.within:
        removed = _destroy(person, label)
        withdrawal.summary = {"removed": removed.counts, "reference": window.reference_kind}
        files = list(removed.files)
        transaction.on_commit(lambda: _delete_files(files))
    else:
        withdrawal.user = person.user
        withdrawal.summary = {"reference": window.reference_kind}
        for owner in data_owners():
            owner.stop(person)
    withdrawal.full_clean()
    withdrawal.save()
    audit_record(
        requested_by,
        AuditAction.WITHDRAW,
        target=label,
        detail={
            "within_window": window.within,
            "reference_date": window.reference_date.isoformat() if window.reference_date else None,
            "removed": withdrawal.summary.get("removed", {}),
        },
        trajectory=trajectory,
    )
    return withdrawal


def _scope(person: Person) -> Scope:
    """The trajectories, organisations and studies the person gave data in."""
    trajectory_ids: set[int] = set()
    for owner in data_owners():
        trajectory_ids |= owner.trajectory_ids(person)
    rows = list(
        Trajectory.objects.filter(id__in=trajectory_ids).values_list(
            "id", "organisation_id", "study_id"
        )
    )
    return Scope(
        trajectory_ids=frozenset(trajectory for trajectory, _o, _s in rows),
        organisation_ids=frozenset(organisation for _t, organisation, _s in rows),
        study_ids=frozenset(study for _t, _o, study in rows),
    )


def _destroy(person: Person, label: str) -> Removal:
    """Delete everything this person gave, erase their key row and their account.

    The apps erase in stages, what was made from the data (reports, exports,
    coding fragments) before the data themselves.
    """
    removed = Removal()
    user = person.user
    scope = _scope(person)
    owners = sorted(data_owners(), key=lambda owner: owner.stage)  # stable: app order within
    for owner in owners:
        owner.erase(person, removed, scope=scope)

    if user is not None:
        removed.add("research_consents", ResearchConsent.objects.filter(user=user).delete()[0])

    removed.add("mentions", _scrub_mentions(person, label, owners))

    key_rows = Q(email__in=person.emails)
    if user is not None:
        key_rows |= Q(user=user)
    Pseudonym.objects.filter(key_rows).update(
        user=None, email=None, contact=None, erased_at=timezone.now()
    )

    if user is not None:
        removed.add("account", 1)
        _remove_account(user, removed)
    return removed


def _scrub_mentions(person: Person, label: str, owners: list[DataOwner]) -> int:
    """Replace the person's name and addresses in other people's text by their pseudonym.

    What others wrote stays research data, but once the key row is erased the
    pseudonymiser no longer knows this name, so it must not stay in the text.
    Each app says whether its free text may mention people (`scrub_app_label`).
    The coding app does not: its fragments are pseudonymised when they are
    made, and rewriting them would move the character offsets of every coding.
    """
    variants: dict[str, tuple[str, str, bool]] = {}
    needles: set[str] = set()
    names = list(person.names)
    parts = []
    if person.user is not None:
        parts.append((person.user.first_name, person.user.infix, person.user.last_name))
    parts += [split_name(name) for name in names]
    for first, infix, last in parts:
        for variant, (capital_only, possessive) in person_variants(first, infix, last).items():
            variants[variant] = (label + "'s" * possessive, "person", capital_only)
        needles |= {p for p in (first, last) if len(p) >= 2}
    for address in person.emails:
        variants[address] = (label, "email", False)
        needles.add(address)
    if not needles:
        return 0
    scrubbed = {owner.scrub_app_label for owner in owners if owner.scrub_app_label}
    scrubber = Pseudonymiser(variants)
    changed = 0
    for model in apps.get_models():
        if model._meta.app_label not in scrubbed or model._meta.proxy:
            continue
        for model_field in model._meta.concrete_fields:
            if model_field.name in _UNSCRUBBED_FIELDS or model_field.choices:
                continue
            if isinstance(model_field, models.JSONField):
                changed += _scrub_json_field(model, model_field.name, needles, scrubber)
            elif isinstance(model_field, (models.TextField, models.CharField)) and not isinstance(
                model_field, (models.EmailField, models.FileField)
            ):
                changed += _scrub_text_field(model, model_field.name, needles, scrubber)
    return changed


def _scrub_text_field(model, name: str, needles: set[str], scrubber: Pseudonymiser) -> int:
    condition = Q(pk__in=[])
    for needle in needles:
        condition |= Q(**{f"{name}__icontains": needle})
    changed = 0
    for pk, value in model._default_manager.filter(condition).values_list("pk", name):
        new = scrubber.apply(value)
        if new != value:
            model._default_manager.filter(pk=pk).update(**{name: new})
            changed += 1
    return changed


def _scrub_json_field(model, name: str, needles: set[str], scrubber: Pseudonymiser) -> int:
    condition = Q(pk__in=[])
    for needle in needles:
        condition |= Q(_scrub_text__icontains=needle)
    rows = (
        model._default_manager.annotate(_scrub_text=Cast(name, models.TextField()))
        .filter(condition)
        .values_list("pk", name)
    )
    changed = 0
    for pk, value in rows:
        new = _scrub_json(value, scrubber)
        if new != value:
            model._default_manager.filter(pk=pk).update(**{name: new})
            changed += 1
    return changed


def _scrub_json(value, scrubber: Pseudonymiser):
    if isinstance(value, str):
        return scrubber.apply(value)
    if isinstance(value, list):
        return [_scrub_json(item, scrubber) for item in value]
    if isinstance(value, dict):
        return {key: _scrub_json(item, scrubber) for key, item in value.items()}
    return value


def _remove_account(user, removed: Removal) -> None:
    """Delete the account; if a signed agreement or logged hours protect it, anonymise it.

    A start agreement someone signed or hours they logged are the trajectory's
    administration, not research data; they keep pointing at an account that
    no longer carries a name, an address or a password.
    """
    try:
        with transaction.atomic():
            user.delete()
        return
    except (ProtectedError, RestrictedError):
        pass
    user.first_name = ""
    user.infix = ""
    user.last_name = ""
    user.email = f"ingetrokken-{user.pk}@example.invalid"
    user.is_active = False
    user.set_unusable_password()
    user.save()
    user.memberships.all().delete()
    user.study_memberships.all().delete()
    removed.counts["account"] = 0
    removed.add("account_anonymised", 1)


def _delete_files(files: list[tuple[object, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            # A file already gone is what we want; anything else must not undo the
            # database deletion, which has been committed.
            continue


# --- the key ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenedKey:
    code: str
    people: list[dict]
    locations: list


def key_open(*, trajectory, by) -> OpenedKey:
    """Open the pseudonym key of one trajectory: every opening is in the audit log.

    Building the pseudonymiser first allocates every missing pseudonym and
    code, so the key is complete; it reads everyone in a fixed number of queries.
    """
    pseudonymiser_for_export()
    people = key_people(trajectory)
    organisation = trajectory.organisation
    locations = list(
        Location.objects.filter(organisation=organisation)
        .select_related("research_code")
        .order_by("name")
    )
    code = organisation_code(organisation)
    audit_record(
        by, AuditAction.VIEW_KEY, target=code, detail={"people": len(people)}, trajectory=trajectory
    )
    return OpenedKey(code=code, people=people, locations=locations)


# --- organisation aliases --------------------------------------------------------------------


@transaction.atomic
def organisation_alias_add(*, organisation, alias: str, by) -> OrganisationAlias:
    alias = " ".join((alias or "").split())
    if len(alias) < 2:
        raise ValidationError(_("An alias needs at least two characters."))
    if OrganisationAlias.objects.filter(organisation=organisation, alias__iexact=alias).exists():
        raise ValidationError(_("This alias is already known."))
    obj = OrganisationAlias(organisation=organisation, alias=alias)
    obj.full_clean()
    obj.save()
    audit_record(
        by,
        AuditAction.CHANGE_ALIAS,
        target=organisation_code(organisation),
        detail={"added": obj.pk},
    )
    return obj


@transaction.atomic
def organisation_alias_remove(*, alias: OrganisationAlias, by) -> None:
    code = organisation_code(alias.organisation)
    alias_id = alias.pk
    alias.delete()
    audit_record(by, AuditAction.CHANGE_ALIAS, target=code, detail={"removed": alias_id})
