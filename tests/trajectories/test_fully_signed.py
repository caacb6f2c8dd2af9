"""`StartAgreement.fully_signed`: stored, kept by every signature saved or deleted, and
what "start agreements to sign" narrows its candidates by."""

from importlib import import_module

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.trajectories.factories import StartAgreementFactory
from trajectories import access
from trajectories.models import Signature, SignatureParty, StartAgreement
from trajectories.selectors.waiting import agreements_to_sign_source
from trajectories.services.agreement import agreement_sign

pytestmark = pytest.mark.django_db

SIGNERS = {
    SignatureParty.RESEARCH_TEAM: "researcher",
    SignatureParty.CHAMPION: "champion",
    SignatureParty.MANAGEMENT: "manager",
}


def wrong() -> list[int]:
    """Agreements whose stored flag is not what their signatures say."""
    everyone = set(SignatureParty.values)
    return [
        agreement.pk
        for agreement in StartAgreement.objects.prefetch_related("signatures")
        if agreement.fully_signed != (agreement.signed_parties >= everyone)
    ]


def to_sign(user) -> list[int]:
    access.forget(user)
    return list(agreements_to_sign_source(user).queryset.values_list("pk", flat=True))


def test_the_flag_follows_the_signatures_and_the_list_of_agreements_to_sign(world):
    agreement = StartAgreementFactory(trajectory=world.trajectory, duties=["logbook"])
    held = StartAgreement.objects.get(pk=agreement.pk)  # an instance from before signing
    assert agreement.fully_signed is False
    assert to_sign(world.manager) == [agreement.pk]
    for party, persona in SIGNERS.items():
        agreement_sign(agreement=agreement, party=party, user=world.users[persona])
        agreement.refresh_from_db()
        assert agreement.fully_signed is (party == SignatureParty.MANAGEMENT), party
        assert to_sign(world.users[persona]) == []
        assert wrong() == []
    held.save()  # writes what is true now, not its old False
    assert StartAgreement.objects.get(pk=agreement.pk).fully_signed is True

    # A signature taken away (a correction in the admin): open again, for that party.
    Signature.objects.get(agreement=agreement, party=SignatureParty.CHAMPION).delete()
    assert StartAgreement.objects.get(pk=agreement.pk).fully_signed is False
    assert to_sign(world.champion) == [agreement.pk]
    assert to_sign(world.manager) == []
    assert wrong() == []


def test_the_list_reads_only_open_agreements(world):
    StartAgreementFactory(trajectory=world.trajectory, duties=["logbook"])
    access.forget(world.coach)
    access.all_roles(world.coach)
    with CaptureQueriesContext(connection) as queries:
        list(agreements_to_sign_source(world.coach).queryset)
    (sql,) = [q["sql"] for q in queries]
    assert '"trajectories_startagreement"."fully_signed"' in sql.split(" WHERE ", 1)[1]


def test_the_migration_fills_the_flag_of_existing_agreements(world):
    from django.apps import apps

    fill = import_module("trajectories.migrations.0015_agreements_fully_signed").fill_fully_signed
    signed = StartAgreementFactory(trajectory=world.trajectory, duties=["logbook"])
    for party, persona in SIGNERS.items():
        agreement_sign(agreement=signed, party=party, user=world.users[persona])
    StartAgreementFactory(trajectory=world.other, duties=["logbook"])
    StartAgreement.objects.update(fully_signed=False)
    assert wrong() == [signed.pk]
    fill(apps, None)
    assert wrong() == []
