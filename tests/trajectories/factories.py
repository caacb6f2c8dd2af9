"""Factories for the phase-1 and planning models of trajectories."""

from datetime import date

import factory
from django.utils import timezone

from tests.factories import TrajectoryFactory, UserFactory
from trajectories.models import (
    Decision,
    HourEntry,
    Signature,
    SignatureParty,
    StartAgreement,
)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    trajectory = factory.SubFactory(TrajectoryFactory)
    is_yes = True
    decided_on = date(2026, 2, 10)


class StartAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StartAgreement

    trajectory = factory.SubFactory(TrajectoryFactory)
    version = 1
    facilitation_hours = 2
    facilitation_period = "per week"
    support = "Roostervrije middag voor de aanjager."
    sub_goals = "Mentoren voeren loopbaangesprekken"
    duties = factory.LazyFunction(lambda: ["logbook", "harvest", "interview"])


def sign_all(agreement, user=None):
    user = user or UserFactory()
    for party in SignatureParty.values:
        Signature.objects.create(
            agreement=agreement, party=party, user=user, signed_at=timezone.now()
        )
    return agreement


class HourEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HourEntry

    trajectory = factory.SubFactory(TrajectoryFactory)
    user = factory.SubFactory(UserFactory)
    date = date(2026, 3, 1)
    activity = "preparation"
    hours = 2
