"""Pseudonymisation of free text that leaves the research team.

Two layers:

1. **Known names** (fast, trusted). Every name the system knows (accounts,
   dialogue invitees, organisations' contact persons, organisations with their
   short forms and aliases, locations) goes into one Aho-Corasick automaton
   (pyahocorasick). A match counts only on word boundaries, so "Jan" does not
   touch "januari" and "Sanne" does not touch the street "Sannesteeg"; the
   possessives "Sanne's", "Sannes" and "De Vries'" are variants of their own.
   Matching ignores case, except for variants that are also ordinary Dutch
   words ("Roos", "de Jong" → "Jong", "Ben"): those count only when written
   with a capital, otherwise every "ik ben" would become a pseudonym. A bare
   surname whose person has a tussenvoegsel ("Berg" for "van der Berg") is
   treated the same way. E-mail addresses and Dutch phone numbers are replaced
   by "[e-mail]" and "[telefoon]".

2. **deduce** (slow, not trusted): `Pseudonymiser.review` runs deduce and
   reports what it thinks are names the system does not know, for a researcher
   to look at. Nothing is replaced on deduce's word alone.

Labels are stable because they are stored (`Pseudonym`, `OrganisationCode`,
`LocationCode`); building a pseudonymiser allocates the missing ones.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import ahocorasick
from django.db import IntegrityError, transaction
from django.db.models import Max

from .models import (
    LocationCode,
    OrganisationAlias,
    OrganisationCode,
    Pseudonym,
    PseudonymKind,
    format_organisation_code,
)

EMAIL_PLACEHOLDER = "[e-mail]"
PHONE_PLACEHOLDER = "[telefoon]"

EMAIL_RE = re.compile(r"[\w.%+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Dutch numbers: a trunk 0 (optionally in brackets) or +31/0031, then nine
# digits with spaces, dashes, dots or a closing bracket between them:
# 06-12345678, +31 6 1234 5678, 020-1234567, 0201234567, (020) 123 45 67.
PHONE_RE = re.compile(
    r"""
    (?<![\w+])
    (?:(?:\+|00)31[\s.-]?(?:\(0\)[\s.-]?)? | \(?0)
    [1-9](?:[\s.\-)]{0,2}\d){8}
    (?!\d)
    """,
    re.VERBOSE,
)

# Tussenvoegsels and name particles that start a surname.
_INFIX_WORDS = (
    "van de der den het te ter ten in op 't 'r uit uijt vd v.d. von zu la le du da di dos "
    "del della el al ben bin ibn abu"
)
INFIXES = frozenset(_INFIX_WORDS.split())
# Words in organisation names that do not identify the organisation by themselves.
_GENERIC_WORDS = (
    "het de van voor en college lyceum school scholengemeenschap scholengroep csg pcsg rsg "
    "roc mbo vmbo havo vwo mavo hogeschool universiteit opleiding academie instituut "
    "stichting gymnasium atheneum campus vakcollege praktijkschool locatie"
)
GENERIC_ORGANISATION_WORDS = frozenset(_GENERIC_WORDS.split())
# Dutch words that are also common names; added to deduce's lists of common and
# stop words, which miss these.
_NAME_WORDS = (
    "boer bakker visser kok hoek bos wolf vos mol haan koning prins smit bloem "
    "groot klein lange zwart graaf meer dijk beek brink veen hof huis molen storm winter "
    "zomer post schaap kramer dam hoogland noord zuid oost west ben lot wit jong berg "
    "april mei juni juli augustus maart "
    # Role words: test data and placeholders use them as names ("Docent 3").
    "docent mentor decaan coach teamcoach aanjager maatje leidinggevende onderzoeker "
    "directeur persoon locatie contactpersoon"
)
_EXTRA_COMMON_WORDS = frozenset(_NAME_WORDS.split())

REVIEW_IGNORED_TAGS = frozenset({"datum", "leeftijd"})

# Kinds in the order that decides which one a person with several roles gets.
ROLE_PRIORITY = [
    ("champion", PseudonymKind.CHAMPION),
    ("buddy", PseudonymKind.BUDDY),
    ("manager", PseudonymKind.MANAGER),
    ("coach", PseudonymKind.COACH),
    ("researcher", PseudonymKind.RESEARCHER),
    ("participant", PseudonymKind.PARTICIPANT),
]


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Lower-case Dutch words that must be capitalised to count as a name."""
    words = set(_EXTRA_COMMON_WORDS)
    base = resources.files("deduce") / "data" / "lookup" / "src" / "whitelist"
    for name in ("lst_common_word", "lst_stop_word"):
        try:
            text = (base / name / "items.txt").read_text(encoding="utf-8")
        except OSError:
            continue
        words.update(line.strip().lower() for line in text.splitlines() if line.strip())
    return frozenset(words)


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    text: str
    replacement: str
    kind: str  # "person", "organisation", "location", "email", "phone"


@dataclass(frozen=True)
class Finding:
    """Something deduce takes for a name or place that the system does not know."""

    start: int
    end: int
    text: str
    tag: str


@dataclass(frozen=True)
class _Entry:
    replacement: str
    kind: str
    capital_only: bool


def _fold(text: str) -> str:
    """Lower case with the same length as `text`, so offsets stay valid."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low.replace("\u2019", "'").replace("\u00a0", " ")


class Pseudonymiser:
    """Replaces known names, e-mail addresses and phone numbers in text.

    Build one with `pseudonymiser_for_export()`. `Pseudonymiser(entries)` takes
    `{variant: (replacement, kind, capital_only)}` or a list of such pairs (the
    same variant may then occur for several people and is merged).
    """

    def __init__(self, entries):
        if isinstance(entries, dict):
            entries = entries.items()
        merged: dict[str, list[_Entry]] = defaultdict(list)
        for variant, (replacement, kind, capital_only) in entries:
            key = _fold(variant.strip())
            if len(key) < 2:
                continue
            merged[key].append(_Entry(replacement, kind, capital_only))
        self._automaton = ahocorasick.Automaton()
        self.size = 0
        for key, candidates in merged.items():
            self._automaton.add_word(key, (len(key), _merge(candidates)))
            self.size += 1
        if self.size:
            self._automaton.make_automaton()

    # -- matching ---------------------------------------------------------

    def matches(self, text: str) -> list[Match]:
        """Every replacement `apply` would make, in order, without overlaps."""
        if not text:
            return []
        fixed: list[Match] = []
        for m in EMAIL_RE.finditer(text):
            fixed.append(Match(m.start(), m.end(), m.group(), EMAIL_PLACEHOLDER, "email"))
        for m in PHONE_RE.finditer(text):
            if not any(f.start < m.end() and m.start() < f.end for f in fixed):
                fixed.append(Match(m.start(), m.end(), m.group(), PHONE_PLACEHOLDER, "phone"))
        fixed.sort(key=lambda m: m.start)

        candidates: list[Match] = []
        if self.size:
            folded = _fold(text)
            length = len(text)
            for end_index, (size, entry) in self._automaton.iter(folded):
                start = end_index - size + 1
                end = end_index + 1
                if start > 0 and folded[start - 1].isalnum():
                    continue
                if end < length and folded[end].isalnum():
                    continue
                if entry.capital_only and not text[start].isupper():
                    continue
                candidates.append(Match(start, end, text[start:end], entry.replacement, entry.kind))
        if fixed:
            candidates = [
                c for c in candidates if not any(f.start < c.end and c.start < f.end for f in fixed)
            ]
        chosen = list(fixed)
        # Leftmost-longest among the names.
        candidates.sort(key=lambda m: (m.start, m.start - m.end))
        last_end = -1
        for candidate in candidates:
            if candidate.start >= last_end:
                chosen.append(candidate)
                last_end = candidate.end
        chosen.sort(key=lambda m: m.start)
        return chosen

    def apply(self, text: str) -> str:
        if not text:
            return text
        found = self.matches(text)
        if not found:
            return text
        parts = []
        position = 0
        for match in found:
            parts.append(text[position : match.start])
            parts.append(match.replacement)
            position = match.end
        parts.append(text[position:])
        return "".join(parts)

    # -- deduce safety net -------------------------------------------------

    def review(self, text: str) -> list[Finding]:
        """Names (and places, institutions) deduce finds that no known name covers.

        Spans refer to `text` as given (the original, not the pseudonymised
        text). The result is for a researcher to judge; `apply` does not use it.
        """
        if not text:
            return []
        known = self.matches(text)
        document = get_deduce().deidentify(text)
        findings = []
        for annotation in document.annotations:
            if annotation.tag in REVIEW_IGNORED_TAGS:
                continue
            start, end = annotation.start_char, annotation.end_char
            if any(k.start < end and start < k.end for k in known):
                continue
            findings.append(Finding(start, end, annotation.text, annotation.tag))
        findings.sort(key=lambda f: (f.start, f.end))
        return findings


def _merge(candidates: list[_Entry]) -> _Entry:
    """One entry for a variant that several people or places share.

    Two people called "Sanne" cannot be told apart from the text; the
    replacement then names both pseudonyms ("Aanjager 2/Docent 7") so nothing
    leaks and the researcher sees the ambiguity.
    """
    replacements = sorted({c.replacement for c in candidates})
    if len(replacements) == 1:
        replacement = replacements[0]
    elif len(replacements) <= 3:
        replacement = "/".join(replacements)
    else:
        replacement = "[naam]"
    kinds = {c.kind for c in candidates}
    return _Entry(
        replacement=replacement,
        kind=kinds.pop() if len(kinds) == 1 else "person",
        capital_only=all(c.capital_only for c in candidates),
    )


# --- name variants ------------------------------------------------------------


def split_name(name: str) -> tuple[str, str, str]:
    """("Fatima", "", "El Amrani") from a free-text name such as an invitee's."""
    tokens = name.split()
    if not tokens:
        return "", "", ""
    if len(tokens) == 1:
        return tokens[0], "", ""
    first, rest = tokens[0], tokens[1:]
    infix = []
    while len(rest) > 1 and rest[0].lower() in INFIXES:
        infix.append(rest.pop(0))
    return first, " ".join(infix), " ".join(rest)


def _possessives(base: str) -> list[str]:
    return [base + "'s", base + "s", base + "'"]


def person_variants(first: str, infix: str, last: str) -> dict[str, tuple[bool, bool]]:
    """{variant: (capital_only, possessive)} for one person."""
    first, infix, last = first.strip(), infix.strip(), last.strip()
    common = common_words()
    base: dict[str, bool] = {}

    def add(variant: str, capital_only: bool = False):
        variant = " ".join(variant.split())
        if len(variant) < 2:
            return
        capital_only = capital_only or variant.lower() in common
        base[variant] = base.get(variant, True) and capital_only

    surname = f"{infix} {last}".strip()
    # An initial ("S.") is no name to look for on its own, only before the surname.
    if len(first.rstrip(".")) >= 2:
        add(first)
        if "-" in first:
            add(first.replace("-", " "))
    if surname:
        add(surname)
        if first:
            add(f"{first} {surname}")
    if infix and last:
        # "Berg" on its own is a word as often as it is the surname of "van der Berg".
        add(last, capital_only=True)
        if first:
            add(f"{first} {last}")
    if last and " " in last:
        final = last.split()[-1]
        if len(final) >= 4:
            add(final, capital_only=True)
    if "-" in last:
        # Double surnames ("Jansen-de Vries"): each part is used on its own too.
        for part in last.split("-"):
            _given, part_infix, part_last = split_name(f"x {part}")
            if len(part_last) >= 3:
                add(f"{part_infix} {part_last}".strip())
                add(part_last, capital_only=True)

    variants = {variant: (capital_only, False) for variant, capital_only in base.items()}
    for variant, capital_only in base.items():
        for possessive in _possessives(variant):
            variants.setdefault(possessive, (capital_only, True))
    return variants


def organisation_variants(
    name: str, short_name: str, aliases: list[str]
) -> dict[str, tuple[bool, bool]]:
    """{variant: (capital_only, possessive)}: full name, short name, aliases, core words."""
    common = common_words()
    variants: dict[str, bool] = {}
    for form in [name, short_name, *aliases]:
        form = " ".join((form or "").split())
        if len(form) < 2:
            continue
        variants[form] = form.lower() in common
    words = [w for w in name.split() if w.lower().strip(".,") not in GENERIC_ORGANISATION_WORDS]
    core = " ".join(words)
    if len(core) >= 4 and core.lower() != name.lower():
        variants.setdefault(core, core.lower() in common)
    result = {form: (capital_only, False) for form, capital_only in variants.items()}
    for form, capital_only in variants.items():
        result.setdefault(form + "'s", (capital_only, True))
        result.setdefault(form + "'", (capital_only, True))
    return result


# --- stable labels --------------------------------------------------------------


def organisation_code(organisation) -> str:
    """The organisation's stable code, allocated on first use: "ORG-03"."""
    existing = OrganisationCode.objects.filter(organisation_id=organisation.pk).first()
    if existing:
        return existing.code
    return _allocate_organisation_codes([organisation.pk])[organisation.pk]


def _allocate_organisation_codes(organisation_ids: list[int]) -> dict[int, str]:
    """{organisation_id: code} for ids that have none yet; retries on a race."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                have = set(
                    OrganisationCode.objects.filter(
                        organisation_id__in=organisation_ids
                    ).values_list("organisation_id", flat=True)
                )
                top = OrganisationCode.objects.aggregate(top=Max("number"))["top"] or 0
                new = []
                for organisation_id in sorted(set(organisation_ids) - have):
                    top += 1
                    new.append(OrganisationCode(organisation_id=organisation_id, number=top))
                OrganisationCode.objects.bulk_create(new)
            break
        except IntegrityError:
            continue
    return {
        organisation_id: format_organisation_code(number)
        for organisation_id, number in OrganisationCode.objects.filter(
            organisation_id__in=organisation_ids
        ).values_list("organisation_id", "number")
    }


def _allocate_location_codes(locations: list[tuple[int, int]]) -> dict[int, int]:
    """{location_id: number} for (location_id, organisation_id) pairs; allocates missing."""
    ids = [location_id for location_id, _org in locations]
    for _attempt in range(5):
        try:
            with transaction.atomic():
                existing = dict(
                    LocationCode.objects.filter(location_id__in=ids).values_list(
                        "location_id", "number"
                    )
                )
                missing = [(lid, oid) for lid, oid in locations if lid not in existing]
                if missing:
                    tops = dict(
                        LocationCode.objects.filter(
                            organisation_id__in={oid for _lid, oid in missing}
                        )
                        .values("organisation_id")
                        .annotate(top=Max("number"))
                        .values_list("organisation_id", "top")
                    )
                    new = []
                    for location_id, organisation_id in sorted(missing):
                        tops[organisation_id] = tops.get(organisation_id, 0) + 1
                        new.append(
                            LocationCode(
                                location_id=location_id,
                                organisation_id=organisation_id,
                                number=tops[organisation_id],
                            )
                        )
                    LocationCode.objects.bulk_create(new)
            break
        except IntegrityError:
            continue
    return dict(
        LocationCode.objects.filter(location_id__in=ids).values_list("location_id", "number")
    )


def kind_for_roles(roles: set[str]) -> str:
    for role, kind in ROLE_PRIORITY:
        if role in roles:
            return kind
    return PseudonymKind.OTHER


def _allocate_pseudonyms(wanted: list[tuple[str, dict]]) -> None:
    """Create pseudonyms for [(kind, {"user_id"|"email"|"contact_id": value})] that lack one.

    Numbers continue per kind and are never reused. Two exports allocating at
    the same moment collide on the unique number; the loser simply retries.
    """
    if not wanted:
        return
    for _attempt in range(5):
        try:
            with transaction.atomic():
                user_ids = [link["user_id"] for _k, link in wanted if "user_id" in link]
                emails = [link["email"] for _k, link in wanted if "email" in link]
                contact_ids = [link["contact_id"] for _k, link in wanted if "contact_id" in link]
                have_users = set(
                    Pseudonym.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True)
                )
                have_emails = set(
                    Pseudonym.objects.filter(email__in=emails).values_list("email", flat=True)
                )
                have_contacts = set(
                    Pseudonym.objects.filter(contact_id__in=contact_ids).values_list(
                        "contact_id", flat=True
                    )
                )
                tops = dict(
                    Pseudonym.objects.values("kind")
                    .annotate(top=Max("number"))
                    .values_list("kind", "top")
                )
                new = []
                seen = set()
                for kind, link in wanted:
                    ((field, value),) = link.items()
                    if (field, value) in seen:
                        continue
                    seen.add((field, value))
                    if (
                        (field == "user_id" and value in have_users)
                        or (field == "email" and value in have_emails)
                        or (field == "contact_id" and value in have_contacts)
                    ):
                        continue
                    tops[kind] = (tops.get(kind) or 0) + 1
                    new.append(Pseudonym(kind=kind, number=tops[kind], **link))
                Pseudonym.objects.bulk_create(new)
            return
        except IntegrityError:
            continue
    raise RuntimeError("Could not allocate pseudonyms after five attempts.")


def _user_kinds(user_ids=None) -> dict[int, str]:
    """{user_id: kind} from trajectory roles and study roles, in two queries."""
    from trajectories.models import Membership, StudyMembership

    roles: dict[int, set[str]] = defaultdict(set)
    memberships = Membership.objects.all()
    study_memberships = StudyMembership.objects.all()
    if user_ids is not None:
        memberships = memberships.filter(user_id__in=user_ids)
        study_memberships = study_memberships.filter(user_id__in=user_ids)
    for user_id, role in memberships.values_list("user_id", "role"):
        roles[user_id].add(role)
    for user_id, role in study_memberships.values_list("user_id", "role"):
        roles[user_id].add(role)
    return {user_id: kind_for_roles(user_roles) for user_id, user_roles in roles.items()}


def person_pseudonym(user=None, invitee=None) -> str:
    """The stable pseudonym of an account or a dialogue invitee: "Aanjager 2".

    An invitee linked to an account, or whose address belongs to one, shares
    that account's pseudonym; otherwise invitees are known by e-mail address.
    """
    from accounts.models import User

    if user is None and invitee is not None:
        if invitee.user_id:
            user = invitee.user
        else:
            email = invitee.email.strip().lower()
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                existing = Pseudonym.objects.filter(email=email).first()
                if existing is None:
                    _allocate_pseudonyms([(PseudonymKind.PARTICIPANT, {"email": email})])
                    existing = Pseudonym.objects.get(email=email)
                return existing.label
    if user is None:
        raise ValueError("person_pseudonym needs a user or an invitee.")
    existing = Pseudonym.objects.filter(user_id=user.pk).first()
    if existing is None:
        kind = _user_kinds([user.pk]).get(user.pk, PseudonymKind.OTHER)
        _allocate_pseudonyms([(kind, {"user_id": user.pk})])
        existing = Pseudonym.objects.get(user_id=user.pk)
    return existing.label


def pseudonymiser_for_export() -> Pseudonymiser:
    """A pseudonymiser that knows every name in the system.

    Allocates missing pseudonyms and codes first, then reads everything in a
    fixed number of queries (independent of how many people there are). Build it
    once per export or request and reuse it: building costs a few hundred
    milliseconds for thousands of people.
    """
    from accounts.models import User
    from dialogues.models import Invitee
    from trajectories.models import ContactPerson, Location, Organisation

    users = list(User.objects.values_list("id", "first_name", "infix", "last_name", "email"))
    invitees = list(Invitee.objects.values_list("name", "email", "user_id"))
    contacts = list(ContactPerson.objects.values_list("id", "name", "email"))
    organisations = list(Organisation.objects.values_list("id", "name", "short_name"))
    locations = list(Location.objects.values_list("id", "organisation_id", "name"))
    aliases: dict[int, list[str]] = defaultdict(list)
    for organisation_id, alias in OrganisationAlias.objects.values_list("organisation_id", "alias"):
        aliases[organisation_id].append(alias)

    user_by_email = {email.lower(): user_id for user_id, _f, _i, _l, email in users}
    kinds = _user_kinds()
    wanted: list[tuple[str, dict]] = [
        (kinds.get(user_id, PseudonymKind.OTHER), {"user_id": user_id}) for user_id, *_rest in users
    ]
    for _name, email, user_id in invitees:
        email = email.strip().lower()
        if not user_id and email not in user_by_email:
            wanted.append((PseudonymKind.PARTICIPANT, {"email": email}))
    for contact_id, _name, _email in contacts:
        wanted.append((PseudonymKind.CONTACT, {"contact_id": contact_id}))
    _allocate_pseudonyms(wanted)
    codes = _allocate_organisation_codes([org_id for org_id, _n, _s in organisations])
    location_numbers = _allocate_location_codes(
        [(location_id, org_id) for location_id, org_id, _n in locations]
    )

    by_user: dict[int, str] = {}
    by_email: dict[str, str] = {}
    by_contact: dict[int, str] = {}
    for kind, number, user_id, email, contact_id in Pseudonym.objects.values_list(
        "kind", "number", "user_id", "email", "contact_id"
    ):
        label = f"{PseudonymKind(kind).label} {number}"
        if user_id:
            by_user[user_id] = label
        if email:
            by_email[email] = label
        if contact_id:
            by_contact[contact_id] = label

    entries: list[tuple[str, tuple[str, str, bool]]] = []

    def add_person(label: str, first: str, infix: str, last: str):
        for variant, (capital_only, possessive) in person_variants(first, infix, last).items():
            entries.append((variant, (label + "'s" * possessive, "person", capital_only)))

    for user_id, first, infix, last, _email in users:
        add_person(by_user[user_id], first, infix, last)
    for name, email, user_id in invitees:
        email = email.strip().lower()
        label = by_user.get(user_id) or by_user.get(user_by_email.get(email)) or by_email[email]
        add_person(label, *split_name(name))
    for contact_id, name, _email in contacts:
        add_person(by_contact[contact_id], *split_name(name))
    for org_id, name, short_name in organisations:
        code = codes[org_id]
        for variant, (capital_only, possessive) in organisation_variants(
            name, short_name, aliases[org_id]
        ).items():
            entries.append((variant, (code + "'s" * possessive, "organisation", capital_only)))
    common = common_words()
    for location_id, org_id, name in locations:
        if len(name.strip()) < 3:
            continue
        label = f"Locatie {codes[org_id]}-{location_numbers[location_id]}"
        entries.append((name, (label, "location", name.lower() in common)))
    return Pseudonymiser(entries)


# --- deduce, built once per process ---------------------------------------------

_deduce = None
_deduce_lock = threading.Lock()


def get_deduce():
    """The process-wide deduce instance; constructing it reads large lookup tables.

    deduce keeps those tables in a pickle inside its package and rebuilds it
    (about two minutes) when it thinks the cache is stale; it writes the file in
    place, so another process reading it at that moment gets half a pickle. A
    file lock makes the processes of one installation (web, workers, test
    workers) take turns: the second one finds the cache the first one wrote.
    """
    global _deduce
    if _deduce is None:
        with _deduce_lock:
            if _deduce is None:
                import fcntl
                import tempfile

                from deduce import Deduce

                lock_path = Path(tempfile.gettempdir(), "lobtraject-deduce-lookups.lock")
                with open(lock_path, "a") as lock:
                    fcntl.flock(lock, fcntl.LOCK_EX)
                    try:
                        _deduce = Deduce()
                    finally:
                        fcntl.flock(lock, fcntl.LOCK_UN)
    return _deduce
