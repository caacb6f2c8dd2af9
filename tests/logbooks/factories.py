from datetime import date

import factory
from django.utils import timezone

from logbooks.models import Entry, EntryStatus, NoteKind, ResearchNote
from tests.factories import TrajectoryFactory, UserFactory


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry

    trajectory = factory.SubFactory(TrajectoryFactory)
    author = factory.SubFactory(UserFactory)
    author_role = "champion"
    iso_year = 2026
    iso_week = factory.Sequence(lambda n: n % 52 + 1)
    week_start = factory.LazyAttribute(lambda o: date.fromisocalendar(o.iso_year, o.iso_week, 1))
    actions = "We hebben gesprekken gevoerd met de mentoren over loopbaanbegeleiding."
    status = EntryStatus.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResearchNote

    trajectory = factory.SubFactory(TrajectoryFactory)
    kind = NoteKind.OBSERVATION
    title = "Observatie teamoverleg"
    text = "De decaan vertelde over de keuzeweek."
    occurred_on = date(2026, 10, 1)
