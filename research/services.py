"""Writes for the research module: consent, withdrawal, organisation aliases."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from trajectories.models import Role

from .audit import audit_record
from .models import AuditAction, OrganisationAlias, Pseudonym, ResearchConsent, Withdrawal
from .pseudonymise import Pseudonymiser, person_pseudonym, person_variants, split_name
from .selectors import Person, email_digest, person_for, withdrawal_window

# Account holders whose words are research data and who therefore give consent
# in the registry (participants give it at the dialogue session).
CONSENT_ROLES = (Role.CHAMPION, Role.BUDDY, Role.MANAGER, Role.COACH)

# Apps whose free text may mention a withdrawn person; their mentions are
# replaced by the person's pseudonym. The coding app is left out on purpose:
# its fragments are pseudonymised when they are made, and rewriting them would
# move the character offsets of every coding.
_SCRUBBED_APPS = ("trajectories", "dialogues", "logbooks", "reports")
_UNSCRUBBED_FIELDS = frozenset({"name", "short_name", "email", "code", "token", "content_type"})


# --- consent -------------------------------------------------------------------------------


@transaction.atomic
def research_consent_record(
    *, user, trajectory, recorded_by, agreed: bool = True, text=None, at=None
) -> ResearchConsent:
    """Record that an account holder agreed (or not) to the consent text for a trajectory."""
    from dialogues.services import current_consent_text

    from .selectors import collection_stopped

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


@dataclass
class _Removed:
    counts: dict[str, int] = field(default_factory=dict)
    files: list[tuple[object, str]] = field(default_factory=list)

    def add(self, label: str, number: int):
        if number:
            self.counts[label] = self.counts.get(label, 0) + number

    def file(self, fieldfile):
        if fieldfile and fieldfile.name:
            self.files.append((fieldfile.storage, fieldfile.name))


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
        _record_dialogue_refusals(person)
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


def _record_dialogue_refusals(person: Person) -> None:
    """After the window: a "no" as the latest consent answer of each invitation.

    The dialogues app counts the latest answer, so the person drops out of the
    harvest, the approval round of harvest reports and its reminders, while
    what they gave before stays.
    """
    from dialogues.models import Invitee
    from dialogues.services import consent_record

    for invitee in Invitee.objects.filter(pk__in=person.invitee_ids).select_related("session"):
        consent_record(invitee=invitee, agreed=False)


def _destroy(person: Person, label: str) -> _Removed:
    """Delete everything this person gave, erase their key row and their account."""
    from dialogues.models import Invitee
    from logbooks.models import EmailDataPoint, Entry

    removed = _Removed()
    user = person.user
    _discard_derived_files(person, removed)

    # Coding first: fragments point at the sources deleted below.
    sources: dict[str, list[int]] = {}
    entries = Entry.objects.filter(author=user) if user else Entry.objects.none()
    sources["logbook"] = list(entries.values_list("id", flat=True))
    email_match = Q(pk__in=[])
    for address in person.emails:
        email_match |= Q(sender__icontains=address)
    emails = EmailDataPoint.objects.filter(email_match)
    sources["email"] = list(emails.values_list("id", flat=True))
    invitees = Invitee.objects.filter(pk__in=person.invitee_ids)
    sources["harvest_item"] = list(
        invitees.values_list("harvest_items__id", flat=True).exclude(harvest_items__id=None)
    )
    interviews = _closing_interviews(user)
    sources["interview"] = [interview.pk for interview in interviews]
    removed.add("fragments", _forget_fragments(person, sources))

    for entry in entries.prefetch_related("audio_clips"):
        for clip in entry.audio_clips.all():
            removed.file(clip.file)
    removed.add("logbook_entries", len(sources["logbook"]))
    entries.delete()

    for email in emails.prefetch_related("attachments"):
        removed.file(email.raw)
        for attachment in email.attachments.all():
            removed.file(attachment.file)
    removed.add("emails", len(sources["email"]))
    emails.delete()

    try:
        from trajectories.services import closing_interview_delete
    except ImportError:
        closing_interview_delete = None
    for interview in interviews:
        if closing_interview_delete is not None:
            # Removes answers, goal statuses and, after commit, the recording.
            closing_interview_delete(interview=interview)
        else:
            removed.file(interview.audio)
            interview.delete()
    removed.add("closing_interviews", len(interviews))

    removed.add("harvest_items", len(sources["harvest_item"]))
    removed.add("invitations", len(person.invitee_ids))
    invitees.delete()

    if user is not None:
        removed.add("research_consents", ResearchConsent.objects.filter(user=user).delete()[0])

    removed.add("mentions", _scrub_mentions(person, label))

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


def _discard_derived_files(person: Person, removed: _Removed) -> None:
    """Discard PDFs and exports that may hold the person's words.

    Summaries, harvest reports, portraits, cross-case overviews and anonymised
    exports built before the withdrawal copied their data into files; those are
    deleted (rows now, files after commit) and can simply be built again.
    """
    from dialogues.models import DialogueSession
    from logbooks.models import Entry
    from reports.models import Report, ReportKind
    from trajectories.models import Membership, Trajectory

    session_ids = set(
        DialogueSession.objects.filter(invitees__id__in=person.invitee_ids).values_list(
            "id", flat=True
        )
    )
    trajectory_ids = set(
        DialogueSession.objects.filter(id__in=session_ids).values_list("trajectory_id", flat=True)
    )
    if person.user is not None:
        trajectory_ids |= set(
            Membership.objects.filter(user=person.user).values_list("trajectory_id", flat=True)
        )
        trajectory_ids |= set(
            Entry.objects.filter(author=person.user).values_list("trajectory_id", flat=True)
        )
    scope = list(
        Trajectory.objects.filter(id__in=trajectory_ids).values_list(
            "id", "organisation_id", "study_id"
        )
    )
    organisation_ids = {org for _t, org, _s in scope}
    study_ids = {study for _t, _o, study in scope}
    reports = Report.objects.filter(
        Q(kind=ReportKind.HARVEST, object_id__in=session_ids)
        | Q(kind=ReportKind.SUMMARY, object_id__in=trajectory_ids)
        | Q(kind=ReportKind.PORTRAIT, object_id__in=organisation_ids)
        | Q(kind=ReportKind.CROSSCASE, object_id__in=study_ids)
    )
    for report in reports:
        removed.file(report.file)
    removed.add("reports", reports.delete()[0])
    try:
        export_model = apps.get_model("coding", "Export")
    except LookupError:
        return
    exports = export_model.objects.filter(study_id__in=study_ids)
    for export in exports:
        removed.file(export.file)
    removed.add("exports", exports.delete()[0])


def _closing_interviews(user) -> list:
    if user is None:
        return []
    try:
        from trajectories.models import ClosingInterview
    except ImportError:
        return []
    return list(ClosingInterview.objects.filter(interviewee=user))


def _forget_fragments(person: Person, sources: dict[str, list[int]]) -> int:
    """Delete the coding fragments (and codings) of this person and of their sources."""
    if not apps.is_installed("coding"):
        return 0
    count = 0
    try:
        from coding.services import fragment_forget_person
    except ImportError:
        fragment_forget_person = None
    if fragment_forget_person is not None:
        count += (
            fragment_forget_person(
                user_id=person.user.pk if person.user else None, invitee_ids=person.invitee_ids
            )
            or 0
        )
    try:
        fragment_model = apps.get_model("coding", "Fragment")
    except LookupError:
        return count
    by_source = Q(pk__in=[])
    for kind, ids in sources.items():
        if ids:
            by_source |= Q(kind=kind, source_id__in=ids)
    _total, details = fragment_model.objects.filter(by_source).delete()
    return count + details.get(fragment_model._meta.label, 0)


def _scrub_mentions(person: Person, label: str) -> int:
    """Replace the person's name and addresses in other people's text by their pseudonym.

    What others wrote stays research data, but once the key row is erased the
    pseudonymiser no longer knows this name, so it must not stay in the text.
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
    scrubber = Pseudonymiser(variants)
    changed = 0
    for model in apps.get_models():
        if model._meta.app_label not in _SCRUBBED_APPS or model._meta.proxy:
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


def _remove_account(user, removed: _Removed) -> None:
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
    from .pseudonymise import organisation_code

    audit_record(
        by,
        AuditAction.CHANGE_ALIAS,
        target=organisation_code(organisation),
        detail={"added": obj.pk},
    )
    return obj


@transaction.atomic
def organisation_alias_remove(*, alias: OrganisationAlias, by) -> None:
    from .pseudonymise import organisation_code

    code = organisation_code(alias.organisation)
    alias_id = alias.pk
    alias.delete()
    audit_record(by, AuditAction.CHANGE_ALIAS, target=code, detail={"removed": alias_id})
