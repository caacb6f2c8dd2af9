from datetime import timedelta

import factory
from django.utils import timezone

from dialogues.models import DialogueSession, HarvestItem, Invitee
from tests.factories import TrajectoryFactory, UserFactory


class DialogueSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DialogueSession

    trajectory = factory.SubFactory(TrajectoryFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    place = "Teamruimte"
    facilitator = factory.SubFactory(UserFactory)
    researcher = factory.SubFactory(UserFactory)


class InviteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitee

    session = factory.SubFactory(DialogueSessionFactory)
    name = factory.Sequence(lambda n: f"Docent {n}")
    email = factory.Sequence(lambda n: f"docent{n}@school.test")


class HarvestItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HarvestItem

    session = factory.SelfAttribute("invitee.session")
    invitee = factory.SubFactory(InviteeFactory)
    text = factory.Sequence(lambda n: f"Inzicht nummer {n}")
