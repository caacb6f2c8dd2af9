"""seed_demo fills phase 1, planning details, hours and feeds — and is idempotent."""

import io

import pytest
from django.core.management import call_command

from trajectories.models import (
    CalendarFeed,
    Decision,
    DecisionFactor,
    FactorOption,
    HalfDay,
    HourEntry,
    Phase,
    RecruitmentContact,
    Signature,
    StartAgreement,
    Trajectory,
)

pytestmark = pytest.mark.django_db

MODELS = [
    Decision,
    DecisionFactor,
    HalfDay,
    HourEntry,
    RecruitmentContact,
    Signature,
    StartAgreement,
    CalendarFeed,
]


def test_demo_has_every_phase_and_phase_one_records(demo_data):
    phases = set(Trajectory.objects.values_list("phase", flat=True))
    assert phases == set(Phase.values)
    declined = Trajectory.objects.filter(phase=Phase.DECLINED).first()
    assert declined.decision.is_yes is False
    assert declined.decision.factors.filter(is_helping=False).exists()
    custom = Trajectory.objects.filter(phase=Phase.CUSTOM).first()
    agreement = custom.start_agreements.get()
    assert agreement.is_locked
    assert custom.half_days.exclude(intervention_types=[]).exists()
    assert FactorOption.objects.count() >= 10
    assert CalendarFeed.objects.filter(user__email="teamcoach@demo.test").exists()
    assert HourEntry.objects.exists()


def test_seed_demo_is_idempotent(demo_data):
    before = {model: model.objects.count() for model in MODELS}
    call_command("seed_demo", quiet_logins=True, stdout=io.StringIO())
    assert {model: model.objects.count() for model in MODELS} == before
