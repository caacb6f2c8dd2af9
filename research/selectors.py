"""Reads for the research module: who may no longer be asked for data, the
withdrawal window of a person, the consent registry and the audit log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from accounts.models import User
from trajectories.access import CONSENT_ROLES
from trajectories.models import Membership, Role, Trajectory

from .models import AuditEvent, Consent, ConsentKind, Pseudonym, Withdrawal
from .registry import Participant, Person, data_owners
from .workdays import withdrawal_deadline

_DIGEST_SALT = "lobtraject.research.withdrawal-email"


def email_digest(email: str) -> str:
    """A keyed digest of an e-mail address: recognises it without storing it."""
    return salted_hmac(_DIGEST_SALT, (email or "").strip().lower()).hexdigest()


# --- stopping collection ---------------------------------------------------------------


@dataclass(frozen=True)
class CollectionStops:
    """Everyone from whom no new data (of one kind) may be collected; load once, ask many
    times. `user_ids` and `digests` withdrew from the whole research; `of_kind` holds
    (trajectory id, user id or digest) of those who withdrew the asked kind in a trajectory."""

    user_ids: frozenset[int]
    digests: frozenset[str]
    of_kind: frozenset[tuple[int | None, int | str]] = frozenset()

    def covers(self, *, user=None, email: str | None = None, trajectory_id=None) -> bool:
        keys: set[int | str] = set()
        if user is not None:
            keys.add(user.pk)
            if self.digests or self.of_kind:
                keys.add(email_digest(user.email))
        if email and (self.digests or self.of_kind):
            keys.add(email_digest(email))
        if keys & (self.user_ids | self.digests):
            return True
        return any(
            key in keys and (trajectory_id is None or trajectory == trajectory_id)
            for trajectory, key in self.of_kind
        )


def collection_stops(kind: str = "") -> CollectionStops:
    """One query: the accounts and addresses of everyone who withdrew from the research,
    and, given a kind, of everyone who withdrew that kind in some trajectory."""
    user_ids, digests, of_kind = set(), set(), set()
    active = Withdrawal.objects.filter(reopened_at__isnull=True).filter(
        Q(kind="") | Q(kind=kind) if kind else Q(kind="")
    )
    for user_id, digest, withdrawn, trajectory_id in active.values_list(
        "user_id", "email_digest", "kind", "trajectory_id"
    ):
        if withdrawn:
            of_kind.update((trajectory_id, key) for key in (user_id, digest) if key)
            continue
        if user_id:
            user_ids.add(user_id)
        if digest:
            digests.add(digest)
    return CollectionStops(frozenset(user_ids), frozenset(digests), frozenset(of_kind))


def stopping(kind: str = "", trajectory=None) -> Q:
    """The withdrawals that stop collection of `kind` (in `trajectory`, or anywhere): those
    from the whole research, and those of that kind."""
    scope = Q(kind="")
    if kind:
        of_kind = Q(kind=kind)
        if trajectory is not None:
            of_kind &= Q(trajectory_id=getattr(trajectory, "pk", trajectory))
        scope |= of_kind
    return scope


def _stops(*, user, email, kind: str, trajectory):
    person = Q(pk__in=[])
    if user is not None and user.pk:
        person |= Q(user_id=user.pk) | Q(email_digest=email_digest(user.email))
    if email:
        person |= Q(email_digest=email_digest(email))
    return Withdrawal.objects.filter(person, stopping(kind, trajectory), reopened_at__isnull=True)


def collection_stopped(
    *, user=None, email: str | None = None, kind: str = "", trajectory=None
) -> bool:
    """True when this person withdrew from the research, or, given a kind, withdrew that
    kind (in `trajectory`, or anywhere): forms refuse and reminders skip them."""
    return _stops(user=user, email=email, kind=kind, trajectory=trajectory).exists()


def active_withdrawal(
    *, user=None, email: str | None = None, kind: str = "", trajectory=None
) -> Withdrawal | None:
    """The withdrawal that stops collection from this person (of `kind`), if any; one from
    the whole research first."""
    return (
        _stops(user=user, email=email, kind=kind, trajectory=trajectory)
        .order_by("kind", "-created_at")
        .first()
    )


def kind_withdrawals(*, user, trajectory) -> dict[str, Withdrawal]:
    """The person's standing withdrawals of one kind in `trajectory`, by kind."""
    rows = Withdrawal.objects.filter(
        user=user, trajectory=trajectory, reopened_at__isnull=True
    ).exclude(kind="")
    return {withdrawal.kind: withdrawal for withdrawal in rows.order_by("created_at")}


# --- the person and their withdrawal window ----------------------------------------------


def person_for(*, user=None, invitee=None) -> Person:
    """Everything the apps know of one person: their account, invitations, addresses, names.

    `invitee` is a dialogue invitation or a `registry.Participant`; one linked
    to an account, or whose address belongs to one, is that account's person.
    """
    if user is None and invitee is None:
        raise ValueError("Give a user or an invitee.")
    if user is None:
        user = invitee.user or User.objects.filter(email__iexact=invitee.email.strip()).first()
    if user is not None:
        person = Person(user=user, emails={user.email.lower()})
        if user.get_full_name():
            person.names.append(user.get_full_name())
    else:
        person = Person(user=None, emails={invitee.email.strip().lower()})
    for owner in data_owners():
        owner.identify(person)
    return person


@dataclass(frozen=True)
class WindowStatus:
    reference_date: date | None
    reference_kind: str  # a `ConsentKind` value, or "" (nothing given yet)
    deadline: date | None
    within: bool


def contribution_moments(
    person: Person, at: datetime | None = None, trajectory_ids=None
) -> list[tuple[datetime, str]]:
    """Every app's latest moment of giving data, per kind, up to `at` (in `trajectory_ids`)."""
    at = at or timezone.now()
    moments: list[tuple[datetime, str]] = []
    for owner in data_owners():
        moments.extend(
            (moment, kind)
            for moment, kind in owner.contributions(person, at, trajectory_ids)
            if moment
        )
    return moments


def windows_by_kind(
    person: Person, at: datetime | None = None, trajectory=None
) -> dict[str, WindowStatus]:
    """The window of each kind the person gave data of, from their latest contribution of
    that kind (in `trajectory`, when given: a consent is for one trajectory)."""
    at = at or timezone.now()
    today = timezone.localdate(at)
    trajectory_ids = None if trajectory is None else [getattr(trajectory, "pk", trajectory)]
    latest: dict[str, datetime] = {}
    for moment, kind in contribution_moments(person, at, trajectory_ids):
        if kind not in latest or moment > latest[kind]:
            latest[kind] = moment
    result = {}
    for kind, moment in latest.items():
        reference = timezone.localdate(moment)
        deadline = withdrawal_deadline(reference)
        result[kind] = WindowStatus(reference, kind, deadline, today <= deadline)
    return result


def withdrawal_window(
    person: Person, at: datetime | None = None, *, kind: str = "", trajectory=None
) -> WindowStatus:
    """Whether a withdrawal at `at` is still inside the five-working-day window.

    The reference moment ("the interview") is the person's latest contribution
    up to `at`, as the apps holding data report it: the dialogue session they
    were invited to, their closing interview, or, for logbook writers, their
    latest logbook entry (each entry is a moment of giving data, like an
    interview). For a withdrawal of one kind in one trajectory it is the latest
    contribution of that kind there. A person who has given nothing (of that
    kind) yet is inside the window: there is nothing to keep.
    """
    at = at or timezone.now()
    if kind:
        return windows_by_kind(person, at, trajectory).get(kind, WindowStatus(None, "", None, True))
    moments = contribution_moments(person, at)
    today = timezone.localdate(at)
    if not moments:
        return WindowStatus(None, "", None, True)
    moment, kind = max(moments)
    reference = timezone.localdate(moment)
    deadline = withdrawal_deadline(reference)
    return WindowStatus(reference, kind, deadline, today <= deadline)


# --- the consent registry ------------------------------------------------------------------


@dataclass
class RegistryRow:
    name: str
    role: str
    source: str  # "dialogue" or "research"
    user_id: int | None
    invitee_id: int | None
    email: str = ""
    pseudonym: str = ""
    withdrawn: Withdrawal | None = None
    answers: dict = field(default_factory=dict)  # kind -> latest Consent (or None)
    withdrawn_kinds: set[str] = field(default_factory=set)  # withdrawn here, one kind at a time

    @property
    def person_ref(self) -> str:
        """The reference the withdrawal page takes: "i-<invitee>" or "u-<user>"."""
        return f"i-{self.invitee_id}" if self.invitee_id else f"u-{self.user_id}"

    @property
    def kinds(self) -> list[tuple[str, str, Consent | None]]:
        return [(kind, label, self.answers.get(kind)) for kind, label in ConsentKind.choices]


def consent_members(trajectory):
    """The account holders of `trajectory` who give consent in the registry."""
    return (
        Membership.objects.filter(trajectory=trajectory, role__in=CONSENT_ROLES)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )


def trajectory_participants(trajectory) -> list[Participant]:
    """People who give data in `trajectory` without a role in it (dialogue invitees)."""
    return [person for owner in data_owners() for person in owner.participants(trajectory)]


def participant_in(trajectory, ref: str) -> Participant | None:
    for owner in data_owners():
        found = owner.participant(trajectory, ref)
        if found is not None:
            return found
    return None


def latest_consents(trajectory) -> dict[tuple[str, str], Consent]:
    """The latest answer per (e-mail address, kind) in `trajectory`: one query."""
    latest: dict[tuple[str, str], Consent] = {}
    for consent in Consent.objects.filter(trajectory=trajectory).select_related(
        "text", "recorded_by"
    ):  # ordered newest first
        latest.setdefault((consent.email, consent.kind), consent)
    return latest


def consent_registry(trajectory) -> list[RegistryRow]:
    """Every person whose words are research data in `trajectory`, with their consent per kind.

    Constant number of queries: members, consents, the participants, pseudonyms,
    withdrawals.
    """
    members = list(consent_members(trajectory))
    latest = latest_consents(trajectory)
    participants = trajectory_participants(trajectory)
    user_ids = {m.user_id for m in members} | {p.user_id for p in participants if p.user_id}
    emails = {p.email.lower() for p in participants}
    labels_by_user, labels_by_email = {}, {}
    for pseudonym in Pseudonym.objects.filter(Q(user_id__in=user_ids) | Q(email__in=emails)):
        if pseudonym.user_id:
            labels_by_user[pseudonym.user_id] = pseudonym.label
        if pseudonym.email:
            labels_by_email[pseudonym.email] = pseudonym.label
    stops = list(
        Withdrawal.objects.filter(
            Q(user_id__in=user_ids) | Q(trajectory=trajectory), reopened_at__isnull=True
        )
    )
    # From the whole research: the person's row says so; of one kind here: that kind's answer.
    by_user = {w.user_id: w for w in stops if w.user_id and not w.kind}
    by_digest = {w.email_digest: w for w in stops if w.email_digest and not w.kind}
    kinds_by_user: dict[int, set[str]] = {}
    for w in stops:
        if w.kind and w.user_id and w.trajectory_id == trajectory.pk:
            kinds_by_user.setdefault(w.user_id, set()).add(w.kind)

    def answers(email: str) -> dict:
        email = email.lower()
        return {kind: latest.get((email, kind)) for kind in ConsentKind.values}

    rows: list[RegistryRow] = []
    role_labels = dict(Role.choices)
    seen_emails = set()
    for member in members:
        if member.user.email.lower() in seen_emails:
            continue
        seen_emails.add(member.user.email.lower())
        rows.append(
            RegistryRow(
                name=member.user.get_full_name() or member.user.email,
                role=str(role_labels.get(member.role, member.role)),
                source="research",
                user_id=member.user_id,
                invitee_id=None,
                email=member.user.email,
                pseudonym=labels_by_user.get(member.user_id, ""),
                withdrawn=by_user.get(member.user_id)
                or by_digest.get(email_digest(member.user.email)),
                answers=answers(member.user.email),
                withdrawn_kinds=kinds_by_user.get(member.user_id, set()),
            )
        )
    for participant in participants:
        if participant.email.lower() in seen_emails:
            continue
        seen_emails.add(participant.email.lower())
        rows.append(
            RegistryRow(
                name=participant.name,
                role=str(role_labels.get(Role.PARTICIPANT)),
                source="dialogue",
                user_id=participant.user_id,
                invitee_id=participant.invitee_id,
                email=participant.email,
                pseudonym=labels_by_user.get(participant.user_id)
                or labels_by_email.get(participant.email.lower(), ""),
                withdrawn=(participant.user_id and by_user.get(participant.user_id))
                or by_digest.get(email_digest(participant.email)),
                answers=answers(participant.email),
                withdrawn_kinds=kinds_by_user.get(participant.user_id, set()),
            )
        )
    return rows


def key_people(trajectory) -> list[dict]:
    """The people of the trajectory's pseudonym key: members, then participants
    without an account, each once, with their label (after allocation)."""
    members = list(
        Membership.objects.filter(trajectory=trajectory)
        .select_related("user__pseudonym")
        .order_by("role", "user__last_name")
    )
    invitees = [p for p in trajectory_participants(trajectory) if p.user_id is None]
    by_email = {
        row.email: row.label
        for row in Pseudonym.objects.filter(email__in={i.email.lower() for i in invitees})
    }
    people = []
    seen = set()
    for member in members:
        if member.user_id in seen:
            continue
        seen.add(member.user_id)
        pseudonym = getattr(member.user, "pseudonym", None)
        people.append(
            {
                "label": pseudonym.label if pseudonym else "",
                "name": member.user.get_full_name() or member.user.email,
                "email": member.user.email,
                "role": member.get_role_display(),
            }
        )
    for invitee in invitees:
        if invitee.email.lower() in seen:
            continue
        seen.add(invitee.email.lower())
        people.append(
            {
                "label": by_email.get(invitee.email.lower(), ""),
                "name": invitee.name,
                "email": invitee.email,
                "role": _("dialogue participant"),
            }
        )
    return people


def trajectory_withdrawals(trajectory):
    return Withdrawal.objects.filter(trajectory=trajectory).select_related("requested_by")


# --- the audit log -------------------------------------------------------------------------


def audit_events(*, study_ids=None, action: str = "", actor_id: int | None = None):
    """Audit events, newest first; `study_ids` limits them to the reader's studies."""
    events = AuditEvent.objects.select_related("actor", "trajectory__organisation", "study")
    if study_ids is not None:
        events = events.filter(
            Q(study_id__in=study_ids)
            | Q(trajectory__study_id__in=study_ids)
            | Q(study__isnull=True, trajectory__isnull=True)
        )
    if action:
        events = events.filter(action=action)
    if actor_id:
        events = events.filter(actor_id=actor_id)
    return events


def audit_actors(*, study_ids):
    """The people who appear in the audit log of these studies, for the filter."""
    actor_ids = audit_events(study_ids=study_ids).exclude(actor=None).values("actor_id")
    return list(User.objects.filter(pk__in=actor_ids).order_by("last_name", "first_name"))


def own_trajectories(user):
    """The trajectories in which `user` holds a role: where they give their own consent."""
    return (
        Trajectory.objects.filter(
            Exists(Membership.objects.filter(trajectory=OuterRef("pk"), user=user))
        )
        .select_related("organisation", "study")
        .order_by("organisation__name", "study__name", "pk")
    )
