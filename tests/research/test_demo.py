"""The research demo data: consent records, codes, one withdrawal after the window; idempotent."""

import io

from django.core.management import call_command

from research.models import (
    AuditEvent,
    Consent,
    OrganisationAlias,
    OrganisationCode,
    Pseudonym,
    Withdrawal,
)
from trajectories.models import Organisation


def _counts():
    return [
        model.objects.count()
        for model in (
            Consent,
            OrganisationCode,
            OrganisationAlias,
            Pseudonym,
            Withdrawal,
            AuditEvent,
        )
    ]


def test_demo_has_consents_codes_and_one_late_withdrawal(demo_data):
    assert Consent.objects.exists()
    assert OrganisationCode.objects.count() == Organisation.objects.count()
    assert OrganisationAlias.objects.exists()
    withdrawal = Withdrawal.objects.get()
    assert not withdrawal.within_window
    assert withdrawal.user is not None and withdrawal.user.is_active
    before = _counts()
    call_command("seed_demo", quiet_logins=True, stdout=io.StringIO())
    assert _counts() == before
