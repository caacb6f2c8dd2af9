"""Stable labels: organisation and location codes and personal pseudonyms, allocated once.

Labels are stored (`Pseudonym`, `OrganisationCode`, `LocationCode`) so they do
not change between exports; numbers continue per kind and are never reused.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Max

from accounts.models import User
from trajectories.models import Membership, StudyMembership

from ..models import (
    LocationCode,
    OrganisationCode,
    Pseudonym,
    PseudonymKind,
    format_organisation_code,
)

# Kinds in the order that decides which one a person with several roles gets.
ROLE_PRIORITY = [
    ("champion", PseudonymKind.CHAMPION),
    ("buddy", PseudonymKind.BUDDY),
    ("manager", PseudonymKind.MANAGER),
    ("coach", PseudonymKind.COACH),
    ("researcher", PseudonymKind.RESEARCHER),
    ("participant", PseudonymKind.PARTICIPANT),
]

def organisation_code(organisation) -> str:
    """The organisation's stable code, allocated on first use: "ORG-03"."""
    existing = OrganisationCode.objects.filter(organisation_id=organisation.pk).first()
    if existing:
        return existing.code
    return allocate_organisation_codes([organisation.pk])[organisation.pk]


def allocate_organisation_codes(organisation_ids: list[int]) -> dict[int, str]:
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


def allocate_location_codes(locations: list[tuple[int, int]]) -> dict[int, int]:
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


def allocate_pseudonyms(wanted: list[tuple[str, dict]]) -> None:
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


def user_kinds(user_ids=None) -> dict[int, str]:
    """{user_id: kind} from trajectory roles and study roles, in two queries."""
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
    if user is None and invitee is not None:
        if invitee.user_id:
            user = invitee.user
        else:
            email = invitee.email.strip().lower()
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                existing = Pseudonym.objects.filter(email=email).first()
                if existing is None:
                    allocate_pseudonyms([(PseudonymKind.PARTICIPANT, {"email": email})])
                    existing = Pseudonym.objects.get(email=email)
                return existing.label
    if user is None:
        raise ValueError("person_pseudonym needs a user or an invitee.")
    existing = Pseudonym.objects.filter(user_id=user.pk).first()
    if existing is None:
        kind = user_kinds([user.pk]).get(user.pk, PseudonymKind.OTHER)
        allocate_pseudonyms([(kind, {"user_id": user.pk})])
        existing = Pseudonym.objects.get(user_id=user.pk)
    return existing.label
