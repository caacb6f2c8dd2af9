"""Writes for the research module: consent, withdrawal, organisation aliases."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.db.models.functions import Cast
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from lobtraject import outbox
from trajectories.models import Location, Trajectory

from .audit import audit_record
from .consent import consent_url, current_text, latest_consent
from .models import (
    AuditAction,
    Consent,
    ConsentKind,
    ConsentVia,
    OrganisationAlias,
    Pseudonym,
    Withdrawal,
)
from .pseudonymise import (
    Pseudonymiser,
    organisation_code,
    person_pseudonym,
    person_variants,
    pseudonymiser_for_export,
    split_name,
)
from .registry import DataOwner, Person, Removal, Scope, Stage, data_owners
from .selectors import (
    collection_stopped,
    email_digest,
    key_people,
    person_for,
    stopping,
    withdrawal_window,
)

# Fields that name things rather than hold free text: never rewritten.
_UNSCRUBBED_FIELDS = frozenset({"name", "short_name", "email", "code", "token", "content_type"})

logger = logging.getLogger(__name__)


# --- consent ---------------------------------------------------------------------------------

MAX_SIGNED_FORM_BYTES = 10 * 1024 * 1024
_SIGNED_FORM_MAGIC = (b"%PDF", b"\xff\xd8\xff", b"\x89PNG")


@dataclass(frozen=True)
class ConsentAnswer:
    """What answering did: the stored consent (None after an erasing withdrawal) and the
    withdrawal a "no" after a "yes" started."""

    consent: Consent | None
    withdrawal: Withdrawal | None = None


def _stopped_refusal() -> ValidationError:
    return ValidationError(
        _(
            "You withdrew your consent earlier, after the period in which your data could still "
            "be deleted. Nothing new is collected, so a new “yes” is not accepted here. If you "
            "want to take part again, ask the research team: a researcher can re-open your "
            "participation."
        ),
        code="collection_stopped",
    )


@transaction.atomic
def consent_give(
    *,
    trajectory,
    kind: str,
    agreed: bool,
    user=None,
    invitee=None,
    name: str = "",
    via: str = ConsentVia.APP,
    recorded_by=None,
    signed_form=None,
    at=None,
    copy: bool = True,
) -> ConsentAnswer:
    """Record a person's answer for one kind of data collection in one trajectory.

    The person is an account (`user`) or a dialogue invitee without one
    (`invitee`). A "no" after a "yes" is a withdrawal (`consent_withdraw`):
    inside the window every trace of the person is erased, after it their data
    stay and nothing new is accepted. After such a withdrawal a new "yes" is
    refused until a researcher re-opens participation (`participation_reopen`).
    A "yes" sends the person a copy of the text by e-mail.
    """
    if kind not in ConsentKind.values:
        raise ValidationError(_("Unknown kind of consent."))
    if user is None and invitee is None:
        raise ValueError("Give a user or an invitee.")
    account = user or getattr(invitee, "user", None)
    # An invitee is known to the dialogues by the address they were invited at.
    email = (invitee.email if invitee is not None else account.email).strip().lower()
    if agreed and collection_stopped(user=account, email=email, kind=kind, trajectory=trajectory):
        raise _stopped_refusal()
    name = " ".join((name or "").split())[:200]
    if not name:
        name = (account.get_full_name() if account else "") or getattr(invitee, "name", "")
    previous = latest_consent(trajectory=trajectory, kind=kind, user=account, email=email)
    if not agreed and previous is not None and previous.agreed:
        withdrawal = consent_withdraw(
            user=account,
            invitee=None if account else invitee,
            requested_by=recorded_by or account,
            trajectory=trajectory,
            at=at,
            kind=kind,
        )
        if withdrawal.within_window and not withdrawal.kind:
            return ConsentAnswer(None, withdrawal)  # the person is gone with their data
        # The withdrawal answered "no" for this kind (or, from the whole research, every kind).
        return ConsentAnswer(
            latest_consent(trajectory=trajectory, kind=kind, user=account, email=email),
            withdrawal,
        )
    consent = _consent_store(
        trajectory, kind, agreed, account, email, name, via, recorded_by, signed_form, at
    )
    if agreed and copy:
        outbox.enqueue("research.tasks.send_consent_copy", consent.pk)
    return ConsentAnswer(consent)


def _consent_store(trajectory, kind, agreed, user, email, name, via, recorded_by, signed, at):
    consent = Consent(
        trajectory=trajectory,
        kind=kind,
        user=user,
        email=email,
        name=name,
        text=current_text(kind),
        agreed=agreed,
        at=at or timezone.now(),
        via=via,
        recorded_by=recorded_by,
    )
    if signed is not None:
        consent.signed_form.save("form.pdf", signed, save=False)
    consent.full_clean()
    consent.save()
    audit_record(
        recorded_by or user,
        AuditAction.RECORD_CONSENT,
        target=person_pseudonym(user=user) if user else f"consent:{consent.pk}",
        detail={"kind": kind, "version": consent.text.version, "agreed": agreed, "via": via},
        trajectory=trajectory,
    )
    return consent


def _check_signed_form(uploaded) -> None:
    if uploaded is None:
        raise ValidationError(
            _("Upload the signed consent form (PDF or photo) to record a paper consent.")
        )
    if uploaded.size > MAX_SIGNED_FORM_BYTES:
        raise ValidationError(_("The signed form is too large: at most 10 MB."))
    head = uploaded.read(8)
    uploaded.seek(0)
    if not any(head.startswith(magic) for magic in _SIGNED_FORM_MAGIC):
        raise ValidationError(_("The signed form must be a PDF, JPEG or PNG file."))


def consent_record_paper(
    *, trajectory, kind: str, user, recorded_by, signed_form, agreed_on=None, agreed: bool = True
) -> ConsentAnswer:
    """A researcher records a consent signed on paper; only with the signed form, audited."""
    _check_signed_form(signed_form)
    at = None
    if agreed_on is not None:
        at = timezone.make_aware(datetime.combine(agreed_on, time(12)))
    return consent_give(
        trajectory=trajectory,
        kind=kind,
        agreed=agreed,
        user=user,
        via=ConsentVia.PAPER,
        recorded_by=recorded_by,
        signed_form=signed_form,
        at=at,
    )


def consent_copy_send(*, consent_id: int) -> bool:
    """E-mail the person a copy of what they agreed to: text, version, name and date."""
    consent = (
        Consent.objects.select_related("text", "trajectory__organisation")
        .filter(pk=consent_id, agreed=True)
        .first()
    )
    if consent is None:
        return False
    body = render_to_string(
        "research/email/consent_copy.txt",
        {
            "consent": consent,
            "kind": ConsentKind(consent.kind).label,
            "paragraphs": [part for part in consent.text.body.split("\n\n") if part.strip()],
            "at": timezone.localtime(consent.at),
            # Invitees without an account find their consent on their personal link.
            "link": settings.SITE_URL.rstrip("/") + consent_url(consent.trajectory, consent.kind)
            if consent.user_id
            else "",
        },
    )
    subject = _("Your consent: %(kind)s") % {"kind": ConsentKind(consent.kind).label}
    send_mail(subject, body, None, [consent.email])
    return True


@transaction.atomic
def participation_reopen(*, withdrawal: Withdrawal, by) -> Withdrawal:
    """A researcher re-opens participation after a withdrawal: the person may say yes again."""
    withdrawal = Withdrawal.objects.select_for_update().get(pk=withdrawal.pk)
    if withdrawal.reopened_at is not None:
        raise ValidationError(_("Participation has already been re-opened."))
    withdrawal.reopened_at = timezone.now()
    withdrawal.reopened_by = by
    withdrawal.save(update_fields=["reopened_at", "reopened_by"])
    audit_record(
        by,
        AuditAction.REOPEN,
        target=withdrawal.pseudonym_label,
        detail={"withdrawal": withdrawal.pk},
        trajectory=withdrawal.trajectory,
    )
    return withdrawal


# --- withdrawal ----------------------------------------------------------------------------


@transaction.atomic
def consent_withdraw(
    *, user=None, invitee=None, requested_by, at=None, trajectory=None, kind: str = ""
) -> Withdrawal:
    """Withdraw a person's consent: for one kind of data in `trajectory`, or (`kind` empty)
    from the whole research. One service for the person's own page, their link and the
    research team.

    The window is five Dutch working days after the person's latest contribution
    (of that kind, in that trajectory), see `selectors.withdrawal_window`. Inside
    it every trace of what they gave (of that kind) is deleted through the data
    owners, files included; a withdrawal from the whole research also erases
    their key row, their name in others' text and their account. After it the
    data stay, and the `Withdrawal` row stops new collection (of that kind:
    `selectors.collection_stopped`). Each app erases its own data
    (`registry.DataOwner`); this service only orchestrates them.
    """
    at = at or timezone.now()
    person = person_for(user=user, invitee=invitee)
    if trajectory is None and invitee is not None:
        trajectory = invitee.session.trajectory
    asked = kind
    if kind and (person.user is None or trajectory is None):
        # Someone known only by a dialogue invitation gives nothing but dialogue data:
        # withdrawing it is leaving the research, their name and address included.
        kind = ""
    already = Q(email_digest__in=[email_digest(address) for address in person.emails])
    if person.user is not None:
        already |= Q(user=person.user)
    if Withdrawal.objects.filter(
        already, stopping(kind, trajectory), reopened_at__isnull=True
    ).exists():
        raise ValidationError(_("This person has already withdrawn consent."))
    window = withdrawal_window(person, at, kind=kind, trajectory=trajectory)
    label = person_pseudonym(user=person.user) if person.user else person_pseudonym(invitee=invitee)
    primary_email = person.user.email.lower() if person.user else sorted(person.emails)[0]
    withdrawal = Withdrawal(
        pseudonym_label=label,
        trajectory=trajectory,
        kind=kind,
        email_digest=email_digest(primary_email),
        within_window=window.within,
        reference_date=window.reference_date,
        deadline=window.deadline,
        withdrawn_on=timezone.localdate(at),
        requested_by=requested_by,
    )
    whole = not kind
    if whole and window.within and person.user is not None and requested_by == person.user:
        # The person withdrew themselves: their account goes with everything else.
        withdrawal.requested_by = None
        requested_by = None
    withdrawal.summary = {"reference": window.reference_kind, "kind": asked}
    if window.within:
        removed = _destroy(person, label) if whole else _destroy_kind(person, kind, trajectory)
        withdrawal.summary["removed"] = removed.counts
        files = list(removed.files)
        transaction.on_commit(lambda: _delete_files(files))
    if not whole:
        withdrawal.user = person.user
        _answer_no(person, requested_by, at, kind=kind, trajectory=trajectory)
    elif not window.within:
        withdrawal.user = person.user
        _answer_no(person, requested_by, at)
        for owner in data_owners():
            owner.stop(person)
    withdrawal.full_clean()
    withdrawal.save()
    audit_record(
        requested_by,
        AuditAction.WITHDRAW,
        target=label,
        detail={
            "kind": kind,
            "within_window": window.within,
            "reference_date": window.reference_date.isoformat() if window.reference_date else None,
            "removed": withdrawal.summary.get("removed", {}),
        },
        trajectory=trajectory,
    )
    return withdrawal


def _answer_no(person: Person, requested_by, at, *, kind: str = "", trajectory=None) -> None:
    """A "no" as the latest answer of every kind the person agreed to (or of `kind` in
    `trajectory`), so every gate and every list of consented people leaves them out."""
    condition = Q(email__in=person.emails)
    if person.user is not None:
        condition |= Q(user=person.user)
    consents = Consent.objects.filter(condition).select_related("text")
    if kind:
        consents = consents.filter(kind=kind, trajectory=trajectory)
    latest: dict[tuple[int, str, str], Consent] = {}
    for consent in consents:
        latest.setdefault((consent.trajectory_id, consent.kind, consent.email), consent)
    for consent in latest.values():
        if consent.agreed:
            Consent.objects.create(
                trajectory_id=consent.trajectory_id,
                kind=consent.kind,
                user=consent.user,
                email=consent.email,
                name=consent.name,
                text=consent.text,
                agreed=False,
                at=max(at, consent.at),  # the latest answer, whatever clock `at` came from
                via=consent.via if consent.via != ConsentVia.PAPER else ConsentVia.APP,
                recorded_by=requested_by
                if requested_by and requested_by.is_authenticated
                else None,
            )


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

    consents = Consent.objects.filter(email__in=person.emails)
    if user is not None:
        consents = Consent.objects.filter(Q(user=user) | Q(email__in=person.emails))
    for consent in consents.exclude(signed_form=""):
        removed.file(consent.signed_form)
    removed.add("consents", consents.delete()[0])

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


def _destroy_kind(person: Person, kind: str, trajectory) -> Removal:
    """Delete what the person gave of one kind in one trajectory, and what was made of it.

    The person stays: their account, their key row and what they gave of other
    kinds. Reports and exports of the trajectory's organisation and study are
    discarded so that they are built again without the withdrawn data.
    """
    removed = Removal()
    scope = Scope(
        trajectory_ids=frozenset({trajectory.pk}),
        organisation_ids=frozenset({trajectory.organisation_id}),
        study_ids=frozenset({trajectory.study_id}),
        kind=kind,
    )
    for owner in sorted(data_owners(), key=lambda owner: owner.stage):
        if owner.stage == Stage.COLLECTED and kind not in owner.kinds:
            continue
        owner.erase(person, removed, scope=scope)
    return removed


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
        except Exception:
            # A file already gone is no error (neither on disk nor in a bucket). Anything else
            # (the bucket unreachable) must not undo the database deletion, which has been
            # committed, but must be seen: the log names the file that is left to remove.
            logger.exception("withdrawal: could not delete %s from the storage", name)
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
