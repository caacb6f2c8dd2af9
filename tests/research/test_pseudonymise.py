"""The pseudonymiser: every known name, e-mail address and phone number goes; words stay."""

import gc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from research.models import OrganisationAlias, Pseudonym
from research.pseudonymise import (
    Pseudonymiser,
    organisation_code,
    organisation_variants,
    person_pseudonym,
    person_variants,
    pseudonymiser_for_export,
    split_name,
)
from tests.dialogues.factories import InviteeFactory
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from trajectories.models import ContactPerson, Location, Role


def _person(label, first, infix, last):
    return [
        (variant, (label + "'s" * possessive, "person", capital_only))
        for variant, (capital_only, possessive) in person_variants(first, infix, last).items()
    ]


@pytest.fixture
def offline():
    """A pseudonymiser built without the database, from a fixed cast."""
    entries = (
        _person("Aanjager 1", "Sanne", "de", "Vries")
        + _person("Maatje 1", "Jan-Willem", "van der", "Berg")
        + _person("Docent 1", "Jan", "", "Jansen")
        + _person("Leidinggevende 1", *split_name("Fatima El Amrani"))
        + _person("Docent 2", "Ben", "", "Smit")
        + [
            (variant, (code + "'s" * possessive, "organisation", capital_only))
            for code, name, short in [("ORG-01", "Het Baken College", "Baken")]
            for variant, (capital_only, possessive) in organisation_variants(
                name, short, ["HBC"]
            ).items()
        ]
    )
    return Pseudonymiser(entries)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Sanne zei het al.", "Aanjager 1 zei het al."),
        ("SANNE en sanne", "Aanjager 1 en Aanjager 1"),
        ("Sanne de Vries schreef", "Aanjager 1 schreef"),
        ("mevrouw De Vries vond", "mevrouw Aanjager 1 vond"),
        ("De Vries' klas", "Aanjager 1's klas"),
        ("Sanne's klas en Sannes les", "Aanjager 1's klas en Aanjager 1's les"),
        ("Sanne\u2019s klas", "Aanjager 1's klas"),
        ("Jan-Willem van der Berg belde", "Maatje 1 belde"),
        ("Van der Berg belde", "Maatje 1 belde"),
        ("meneer Berg belde", "meneer Maatje 1 belde"),
        ("Jan Willem belde", "Maatje 1 belde"),
        ("Fatima El Amrani en El Amrani", "Leidinggevende 1 en Leidinggevende 1"),
        ("het Baken College en HBC en Baken", "ORG-01 en ORG-01 en ORG-01"),
        ("Ben Smit kwam; ik ben blij", "Docent 2 kwam; ik ben blij"),
    ],
)
def test_known_names_are_replaced(offline, text, expected):
    assert offline.apply(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "In januari en Januari gebeurde het.",
        "We liepen door de Sannesteeg.",
        "De berg was hoog.",
        "Ik ben er morgen.",
        "Het Bakeneiland ligt verderop.",
    ],
)
def test_words_that_contain_names_stay(offline, text):
    assert offline.apply(text) == text


@pytest.mark.parametrize(
    "number",
    [
        "06-12345678",
        "06 12345678",
        "0612345678",
        "+31 6 1234 5678",
        "+31612345678",
        "0031 6 12345678",
        "020-1234567",
        "0201234567",
        "(020) 123 45 67",
        "010 123 45 67",
    ],
)
def test_dutch_phone_numbers_are_replaced(offline, number):
    assert offline.apply(f"Bel {number} vandaag.") == "Bel [telefoon] vandaag."


def test_dates_and_counts_are_not_phone_numbers(offline):
    text = "Op 2026-04-27 kwamen 123456789 en 12 docenten, jaar 2026."
    assert offline.apply(text) == text


def test_email_addresses_are_replaced_whole(offline):
    text = "Mail sanne.devries@baken.nl of Jan.Jansen+lob@school.example.org."
    assert offline.apply(text) == "Mail [e-mail] of [e-mail]."


def test_matches_give_spans_into_the_original(offline):
    text = "Vandaag Sanne en 06-12345678."
    found = offline.matches(text)
    assert [(text[m.start : m.end], m.kind) for m in found] == [
        ("Sanne", "person"),
        ("06-12345678", "phone"),
    ]


def test_two_people_with_one_first_name_get_both_labels():
    pseudonymiser = Pseudonymiser(
        _person("Aanjager 1", "Sanne", "de", "Vries") + _person("Docent 4", "Sanne", "", "Bos")
    )
    assert pseudonymiser.apply("Sanne belde") == "Aanjager 1/Docent 4 belde"
    assert pseudonymiser.apply("Sanne Bos belde") == "Docent 4 belde"


def test_double_surnames_and_initials():
    pseudonymiser = Pseudonymiser(
        _person("Docent 3", "Eva", "", "Jansen-de Vries") + _person("Docent 5", "S.", "", "Bos")
    )
    assert pseudonymiser.apply("Eva Jansen-de Vries, mevrouw De Vries en Jansen") == (
        "Docent 3, mevrouw Docent 3 en Docent 3"
    )
    assert pseudonymiser.apply("Zie S. Bos; zie S. 3") == "Zie Docent 5; zie S. 3"


def test_split_name_keeps_tussenvoegsel_and_particles():
    assert split_name("Jan-Willem van der Berg") == ("Jan-Willem", "van der", "Berg")
    assert split_name("Fatima El Amrani") == ("Fatima", "El", "Amrani")
    assert split_name("Noor") == ("Noor", "", "")


# --- with the database --------------------------------------------------------


def test_export_pseudonymiser_knows_every_kind_of_name(world):
    invitee = InviteeFactory(name="Kees van Dam", email="kees@school.test")
    ContactPerson.objects.create(organisation=world.organisation, name="Henk Postma")
    Location.objects.create(organisation=world.organisation, name="Locatie Zuiderpark")
    OrganisationAlias.objects.create(organisation=world.organisation, alias="het Baken")
    pseudonymiser = pseudonymiser_for_export()
    text = (
        "Sanne, Jan-Willem, Fatima El Amrani, Kees van Dam, Henk Postma, Marieke, "
        "Het Baken College, het Baken, Locatie Zuiderpark, ROC De Delta."
    )
    out = pseudonymiser.apply(text)
    for name in [
        "Sanne",
        "Jan",
        "Fatima",
        "Amrani",
        "Kees",
        "Dam",
        "Henk",
        "Marieke",
        "Baken",
        "Zuiderpark",
        "Delta",
    ]:
        assert name not in out, out
    org = organisation_code(world.organisation)
    assert org.startswith("ORG-")
    assert f"Locatie {org}-1" in out
    assert person_pseudonym(user=world.champion) in out
    assert person_pseudonym(invitee=invitee) in out
    assert person_pseudonym(user=world.champion).startswith("Aanjager ")
    assert person_pseudonym(user=world.manager).startswith("Leidinggevende ")
    assert person_pseudonym(user=world.independent).startswith("Onderzoeker ")
    assert person_pseudonym(invitee=invitee).startswith("Docent ")


def test_labels_are_stable_and_never_reused(world):
    first = pseudonymiser_for_export().apply("Sanne en Het Baken College")
    second = pseudonymiser_for_export().apply("Sanne en Het Baken College")
    assert first == second
    label = person_pseudonym(user=world.champion)
    code = organisation_code(world.organisation)
    newcomer = UserFactory(first_name="Lieke", infix="", last_name="Mulder")
    MembershipFactory(trajectory=world.trajectory, user=newcomer, role=Role.CHAMPION)
    assert person_pseudonym(user=world.champion) == label
    assert organisation_code(world.organisation) == code
    assert organisation_code(OrganisationFactory()) != code
    # An erased key row keeps its number: the next champion gets a new one.
    Pseudonym.objects.filter(user=world.champion).update(user=None)
    assert person_pseudonym(user=world.champion) != label


def test_invitee_with_an_account_shares_its_pseudonym(world):
    linked = InviteeFactory(name="Sanne de Vries", email="anders@school.test", user=world.champion)
    by_address = InviteeFactory(name="S. de Vries", email=world.champion.email.upper())
    twice = [InviteeFactory(name="Kees", email="kees@school.test") for _ in range(2)]
    label = person_pseudonym(user=world.champion)
    assert person_pseudonym(invitee=linked) == label
    assert person_pseudonym(invitee=by_address) == label
    assert person_pseudonym(invitee=twice[0]) == person_pseudonym(invitee=twice[1])


def test_building_costs_the_same_queries_for_more_people(world):
    # One of each first: the ORM skips a query on an empty `__in` list.
    InviteeFactory(name="Eerste Gast", email="eerste@school.test")
    Location.objects.create(organisation=world.organisation, name="Hoofdgebouw")
    ContactPerson.objects.create(organisation=world.organisation, name="Henk Postma")
    pseudonymiser_for_export()
    with CaptureQueriesContext(connection) as small:
        pseudonymiser_for_export()
    for n in range(15):
        user = UserFactory(first_name=f"Persoon{n}", last_name=f"Achternaam{n}")
        MembershipFactory(trajectory=world.trajectory, user=user, role=Role.PARTICIPANT)
        InviteeFactory(name=f"Gast{n} Test", email=f"gast{n}@school.test")
        Location.objects.create(organisation=world.organisation, name=f"Gebouw {n}")
    pseudonymiser_for_export()
    with CaptureQueriesContext(connection) as large:
        pseudonymiser_for_export()
    assert len(large) == len(small)


def test_review_reports_names_the_system_does_not_know(world, deduce_model):
    pseudonymiser = pseudonymiser_for_export()
    text = "Sanne de Vries sprak met Pieter Hendriksen over de loopbaanlessen."
    findings = pseudonymiser.review(text)
    found = [text[f.start : f.end] for f in findings]
    assert any("Pieter" in span for span in found), findings
    assert not any("Sanne" in span for span in found)
    assert all(f.tag for f in findings)


def test_the_garbage_collector_skips_deduce_s_tables_once_loaded(deduce_model):
    """deduce's name tables are millions of objects that live as long as the process; a
    full collection walking them holds the GIL for seconds (a request stalls, and at the
    end of a test run the xdist worker overran its 5-second exit and interrupted itself)."""
    tracked = {id(obj) for obj in gc.get_objects()}
    assert id(deduce_model.lookup_structs) not in tracked
    assert gc.get_freeze_count() > 1_000_000
