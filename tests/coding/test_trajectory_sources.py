"""Every text of the trajectory is codable: the team coach's phase-1 interview, the notes
and learning outcomes of half-days that took place, the closing meeting's notes and the
recruitment log's notes become fragments, pseudonymised like the rest (issue 18, point 5)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coding import services as coding_services
from coding.models import Fragment
from research.pseudonymise import person_pseudonym
from research.registry import Person
from research.sources import SourceKind
from trajectories import coding_sources
from trajectories.models import (
    ClosingMeeting,
    CoachInterview,
    ContactKind,
    HalfDay,
    RecruitmentContact,
)

pytestmark = pytest.mark.django_db


def _half_day(world, *, days: int, **texts):
    starts = timezone.now() + timedelta(days=days)
    return HalfDay.objects.create(
        trajectory=world.trajectory,
        title="Dagdeel",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        **texts,
    )


@pytest.fixture
def texts(world):
    today = timezone.localdate()
    CoachInterview.objects.create(
        trajectory=world.trajectory,
        run_up="Het eerste gesprek met Fatima El Amrani ging over de keuzeweek.",
        decisive="De teamleiding wilde de mentoren versterken.",
    )
    held = _half_day(
        world,
        days=-7,
        what_happened="Sanne de Vries opende met de loopbaanvragen van de leerlingen.",
        learning_outcomes="Het team wil vaker reflectiegesprekken voeren.",
    )
    planned = _half_day(world, days=14, preparation_notes="Nog voor te bereiden.")
    empty = _half_day(world, days=-3)
    ClosingMeeting.objects.create(
        trajectory=world.trajectory,
        held_on=today - timedelta(days=1),
        look_back="Jan-Willem van der Berg vond de dagdelen waardevol.",
        look_ahead="Volgend jaar een tweede ronde met de mbo-afdeling.",
    )
    contact = RecruitmentContact.objects.create(
        trajectory=world.trajectory,
        date=today - timedelta(days=200),
        kind=ContactKind.MEETING,
        notes="Kennismaking met de teamleider; de school twijfelt over de uren.",
        created_by=world.coach,
    )
    RecruitmentContact.objects.create(
        trajectory=world.trajectory,
        date=today - timedelta(days=190),
        kind=ContactKind.MEETING,
        notes="  ",
        created_by=world.coach,
    )
    return {"held": held, "planned": planned, "empty": empty, "contact": contact}


def test_the_trajectorys_own_texts_become_fragments(world, texts):
    coding_services.fragments_sync()
    kinds = {
        kind: list(Fragment.objects.filter(kind=kind).values_list("source_id", "title", "text"))
        for kind in (
            SourceKind.COACH_INTERVIEW,
            SourceKind.HALF_DAY,
            SourceKind.CLOSING_MEETING,
            SourceKind.RECRUITMENT,
        )
    }
    [(_pk, title, text)] = kinds[SourceKind.COACH_INTERVIEW]
    assert title == "Interview teamcoach fase 1"
    assert "Hoe verliep de aanloop?\n" in text and "mentoren versterken" in text
    # Only a half-day that took place and has text; the planned one and the empty one not.
    [(source_id, title, text)] = kinds[SourceKind.HALF_DAY]
    held = texts["held"]
    assert source_id == held.pk
    assert title == f"Dagdeel {timezone.localtime(held.starts_at):%d-%m-%Y}"
    assert "reflectiegesprekken" in text
    [(_pk, title, text)] = kinds[SourceKind.CLOSING_MEETING]
    assert title.startswith("Slotbijeenkomst ") and "tweede ronde" in text
    [(source_id, title, text)] = kinds[SourceKind.RECRUITMENT]
    assert source_id == texts["contact"].pk and "twijfelt over de uren" in text


def test_names_in_them_are_pseudonymised_and_one_persons_notes_are_theirs(world, texts):
    coding_services.fragments_sync()
    every_text = " ".join(Fragment.objects.values_list("text", flat=True))
    for name in ("Fatima", "El Amrani", "Sanne", "Vries", "Jan-Willem", "Berg"):
        assert name not in every_text
    assert person_pseudonym(user=world.manager) in every_text
    # The coach's interview and recruitment notes are the coach's words; group notes nobody's.
    owners = dict(Fragment.objects.values_list("kind", "user_id"))
    assert owners[SourceKind.COACH_INTERVIEW] == world.coach.pk
    assert owners[SourceKind.RECRUITMENT] == world.coach.pk
    assert owners[SourceKind.HALF_DAY] is None and owners[SourceKind.CLOSING_MEETING] is None
    coach = Person(user=world.coach)
    assert coding_sources.coach_interviews_of(coach) == [world.trajectory.coach_interview.pk]
    assert texts["contact"].pk in coding_sources.recruitment_notes_of(coach)
    assert coding_sources.recruitment_notes_of(Person(user=world.champion)) == []
    assert coding_sources.coach_interviews_of(Person(user=world.champion)) == []


def test_reading_them_costs_the_same_for_one_or_many_trajectories(
    world, texts, django_assert_max_num_queries
):
    readers = [
        coding_sources.coach_interviews,
        coding_sources.half_days,
        coding_sources.closing_meetings,
        coding_sources.recruitment_notes,
    ]
    for extra in range(5):
        _half_day(world, days=-20 - extra, learning_outcomes=f"Opbrengst {extra}.")
    with django_assert_max_num_queries(6):
        produced = [text for reader in readers for text in reader()]
    assert len([t for t in produced if t.kind == SourceKind.HALF_DAY]) == 6
