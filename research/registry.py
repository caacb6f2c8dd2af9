"""What research needs to know of the apps above it, without importing them.

Consent, withdrawal and pseudonyms are the lowest layer of the domain: every
app that collects data asks them, so they may not ask those apps back. Each app
that holds personal data registers a `DataOwner` from its `AppConfig.ready()`
(the pattern of pretix's data shredders): it says how to recognise a person in
its rows, when the person last gave data, what withdrawal must delete, and who
it knows that research must give a pseudonym. Each app that holds research
texts registers its coding sources the same way (`research.sources`); the
coding app reads them.

Research orchestrates and knows none of those models.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

# --- people --------------------------------------------------------------------------------


@dataclass
class Person:
    """Someone whose words are research data: an account, invitations, or both.

    Data owners fill in what they know of the person (`DataOwner.identify`): an
    invitee without an account is recognised by e-mail address across sessions,
    the same way `pseudonymise.person_pseudonym` does.
    """

    user: object | None
    emails: set[str] = field(default_factory=set)
    invitee_ids: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"user:{self.user.pk}" if self.user else f"email:{sorted(self.emails)[0]}"


@dataclass(frozen=True)
class KnownPerson:
    """A name and address an app knows, outside the accounts (a dialogue invitee)."""

    name: str
    email: str
    user_id: int | None


@dataclass(frozen=True)
class Participant:
    """Someone who gives data in one trajectory without a role in it.

    Duck-types as an invitee for `person_pseudonym` and `consent_withdraw`
    (`user`, `user_id`, `email`, `name`).
    """

    ref: str  # "i-<id>": the reference the registry and withdrawal pages use
    invitee_id: int
    name: str
    email: str
    user: object | None
    user_id: int | None
    trajectory_id: int


@dataclass
class Removal:
    """What one withdrawal deleted: counts per kind and the files to remove after commit."""

    counts: dict[str, int] = field(default_factory=dict)
    files: list[tuple[object, str]] = field(default_factory=list)

    def add(self, label: str, number: int):
        if number:
            self.counts[label] = self.counts.get(label, 0) + number

    def file(self, fieldfile):
        if fieldfile and fieldfile.name:
            self.files.append((fieldfile.storage, fieldfile.name))


# --- data owners ---------------------------------------------------------------------------


class Stage:
    """Withdrawal erases in stages, so that what was made from data goes before the data."""

    DERIVED = 0  # reports and exports built from the data
    CODED = 1  # coding fragments cut from the sources
    COLLECTED = 2  # the data people gave


class DataOwner:
    """One app's personal data, as consent and withdrawal see it. Override what applies.

    A withdrawal is of the whole research or of one kind of data in one
    trajectory (`Scope.kind`): an owner then erases only what it holds of that
    kind there, and nothing when it holds none of it (`kinds`).
    """

    stage = Stage.COLLECTED
    #: The consent kinds (`research.models.ConsentKind` values) of the data held here.
    kinds: frozenset[str] = frozenset()
    #: The label of the app whose free text may mention other people: a withdrawn
    #: person's name is replaced by their pseudonym in its models' text fields.
    scrub_app_label = ""

    def identify(self, person: Person) -> None:
        """Add this app's invitations, addresses and names of `person`."""

    def contributions(
        self, person: Person, at: datetime, trajectory_ids: Iterable[int] | None = None
    ) -> Iterable[tuple[datetime, str]]:
        """The moments up to `at` when `person` gave data here (in `trajectory_ids`, or
        anywhere), with their consent kind."""
        return ()

    def trajectory_ids(self, person: Person) -> set[int]:
        """The trajectories in which `person` gave data here."""
        return set()

    def erase(self, person: Person, removal: Removal, *, scope: Scope) -> None:
        """Inside the window: delete what `person` gave (files through `removal.file`);
        of `scope.kind` in `scope.trajectory_ids` only, when the withdrawal is of one kind."""

    def stop(self, person: Person) -> None:
        """After the window: the data stay, but nothing new may be asked of `person`."""

    def known_people(self) -> Iterable[KnownPerson]:
        """People known here by name and address, whom the pseudonymiser must know."""
        return ()

    def participants(self, trajectory) -> list[Participant]:
        """People giving data in `trajectory` without a role in it, with their consent."""
        return []

    def participant(self, trajectory, ref: str) -> Participant | None:
        """The participant with reference `ref` in `trajectory`, if this app knows it."""
        return None


@dataclass(frozen=True)
class Scope:
    """Where a withdrawn person's data were: what derived files must be rebuilt.

    `kind` empty: the whole research, everywhere the person gave data. A consent
    kind: only data of that kind, and only in `trajectory_ids` (the one
    trajectory the consent was for).
    """

    trajectory_ids: frozenset[int]
    organisation_ids: frozenset[int]
    study_ids: frozenset[int]
    kind: str = ""

    def takes(self, kind: str) -> bool:
        """Whether data of consent kind `kind` go with this withdrawal."""
        return not self.kind or self.kind == kind

    def within(self, queryset, field: str = "trajectory_id"):
        """`queryset` limited to the withdrawal's trajectories when it is of one kind."""
        if not self.kind:
            return queryset
        return queryset.filter(**{f"{field}__in": self.trajectory_ids})


_owners: list[DataOwner] = []


def register_data_owner(owner: DataOwner) -> None:
    """Called from an app's `ready()`; registering the same kind twice is a no-op."""
    if not any(type(existing) is type(owner) for existing in _owners):
        _owners.append(owner)


def data_owners() -> list[DataOwner]:
    return list(_owners)
