"""The pseudonymiser that knows every name in the system, built in a fixed number of queries.

Names come from the accounts, the organisations with their contact persons,
locations and aliases, and from every app that knows people outside the
accounts (`registry.DataOwner.known_people`: the dialogue invitees).
"""

from __future__ import annotations

from collections import defaultdict

from accounts.models import User
from trajectories.models import ContactPerson, Location, Organisation

from ..models import OrganisationAlias, Pseudonym, PseudonymKind
from ..registry import data_owners
from .engine import Pseudonymiser, common_words, organisation_variants, person_variants, split_name
from .labels import (
    allocate_location_codes,
    allocate_organisation_codes,
    allocate_pseudonyms,
    user_kinds,
)


def pseudonymiser_for_export() -> Pseudonymiser:
    """A pseudonymiser that knows every name in the system.

    Allocates missing pseudonyms and codes first, then reads everything in a
    fixed number of queries (independent of how many people there are). Build it
    once per export or request and reuse it: building costs a few hundred
    milliseconds for thousands of people.
    """
    users = list(User.objects.values_list("id", "first_name", "infix", "last_name", "email"))
    invitees = [
        (known.name, known.email, known.user_id)
        for owner in data_owners()
        for known in owner.known_people()
    ]
    contacts = list(ContactPerson.objects.values_list("id", "name", "email"))
    organisations = list(Organisation.objects.values_list("id", "name", "short_name"))
    locations = list(Location.objects.values_list("id", "organisation_id", "name"))
    aliases: dict[int, list[str]] = defaultdict(list)
    for organisation_id, alias in OrganisationAlias.objects.values_list("organisation_id", "alias"):
        aliases[organisation_id].append(alias)

    user_by_email = {email.lower(): user_id for user_id, _f, _i, _l, email in users}
    kinds = user_kinds()
    wanted: list[tuple[str, dict]] = [
        (kinds.get(user_id, PseudonymKind.OTHER), {"user_id": user_id}) for user_id, *_rest in users
    ]
    for _name, email, user_id in invitees:
        email = email.strip().lower()
        if not user_id and email not in user_by_email:
            wanted.append((PseudonymKind.PARTICIPANT, {"email": email}))
    for contact_id, _name, _email in contacts:
        wanted.append((PseudonymKind.CONTACT, {"contact_id": contact_id}))
    allocate_pseudonyms(wanted)
    codes = allocate_organisation_codes([org_id for org_id, _n, _s in organisations])
    location_numbers = allocate_location_codes(
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
