"""Phase transitions, signing, hours and half-day validation (services.py)."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from tests.factories import HalfDayFactory, UserFactory
from tests.trajectories.factories import (
    DecisionFactory,
    HourEntryFactory,
    StartAgreementFactory,
    sign_all,
)
from trajectories import selectors, services
from trajectories.models import (
    BudgetExtension,
    HalfDay,
    HourEntry,
    Phase,
    PhaseTransition,
    Signature,
    StartAgreement,
)

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def at(day, hour=13):
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=AMS)


@pytest.fixture
def recruiting(world):
    trajectory = world.trajectory
    trajectory.phase = Phase.RECRUITMENT
    trajectory.save()
    return trajectory


def messages(excinfo):
    return " ".join(excinfo.value.messages)


# --- transitions -------------------------------------------------------------


def test_start_dialogue_refused_without_decision_or_agreement(recruiting, world):
    with pytest.raises(ValidationError) as excinfo:
        services.trajectory_change_phase(
            trajectory=recruiting, to_phase=Phase.START_DIALOGUE, by=world.coach
        )
    assert "ja van de organisatie" in messages(excinfo)
    assert "door alle drie partijen ondertekend" in messages(excinfo)
    recruiting.refresh_from_db()
    assert recruiting.phase == Phase.RECRUITMENT
    assert not PhaseTransition.objects.exists()


def test_start_dialogue_refused_with_yes_but_partly_signed_agreement(recruiting, world):
    DecisionFactory(trajectory=recruiting, is_yes=True)
    agreement = StartAgreementFactory(trajectory=recruiting)
    services.agreement_sign(agreement=agreement, party="champion", user=world.champion)
    with pytest.raises(ValidationError) as excinfo:
        services.trajectory_change_phase(
            trajectory=recruiting, to_phase=Phase.START_DIALOGUE, by=world.coach
        )
    assert "door alle drie partijen ondertekend" in messages(excinfo)
    assert "ja van de organisatie" not in messages(excinfo)


def test_start_dialogue_allowed_after_yes_and_signed_agreement_and_recorded(recruiting, world):
    DecisionFactory(trajectory=recruiting, is_yes=True)
    sign_all(StartAgreementFactory(trajectory=recruiting))
    transition = services.trajectory_change_phase(
        trajectory=recruiting, to_phase=Phase.START_DIALOGUE, by=world.coach
    )
    recruiting.refresh_from_db()
    assert recruiting.phase == Phase.START_DIALOGUE
    assert (transition.from_phase, transition.to_phase) == ("recruitment", "start_dialogue")
    assert transition.by == world.coach and transition.at is not None


def test_skipping_a_phase_is_refused(recruiting, world):
    with pytest.raises(ValidationError) as excinfo:
        services.trajectory_change_phase(
            trajectory=recruiting, to_phase=Phase.CLOSING, by=world.coach
        )
    assert "niet mogelijk vanuit de huidige fase" in messages(excinfo)


def test_closing_needs_a_half_day_after_the_start_dialogue(world):
    trajectory = world.trajectory  # phase custom
    start = HalfDayFactory(
        trajectory=trajectory, starts_at=at(date(2026, 3, 2)), is_start_dialogue=True
    )
    start.ends_at = start.starts_at + timedelta(hours=2)
    start.save()
    with pytest.raises(ValidationError) as excinfo:
        services.trajectory_change_phase(
            trajectory=trajectory, to_phase=Phase.CLOSING, by=world.coach
        )
    assert "minstens één dagdeel na de startdialoog" in messages(excinfo)
    # A half-day *before* the start dialogue does not count.
    HalfDayFactory(trajectory=trajectory, starts_at=at(date(2026, 2, 20)))
    with pytest.raises(ValidationError):
        services.trajectory_change_phase(
            trajectory=trajectory, to_phase=Phase.CLOSING, by=world.coach
        )
    HalfDayFactory(trajectory=trajectory, starts_at=at(date(2026, 4, 6)))
    # Three of the five agreed half-days held: moving on needs a stated reason.
    with pytest.raises(ValidationError) as excinfo:
        services.trajectory_change_phase(
            trajectory=trajectory, to_phase=Phase.CLOSING, by=world.coach
        )
    assert "3 van de 5 afgesproken dagdelen" in messages(excinfo)
    transition = services.trajectory_change_phase(
        trajectory=trajectory, to_phase=Phase.CLOSING, by=world.coach, reason="Schooljaar om"
    )
    trajectory.refresh_from_db()
    assert trajectory.phase == Phase.CLOSING
    assert transition.reason == "Schooljaar om"


def test_declined_only_from_recruitment_after_a_no(recruiting, world):
    with pytest.raises(ValidationError) as excinfo:
        services.trajectory_change_phase(
            trajectory=recruiting, to_phase=Phase.DECLINED, by=world.coach
        )
    assert "nee van de organisatie" in messages(excinfo)
    DecisionFactory(trajectory=recruiting, is_yes=False)
    services.trajectory_change_phase(trajectory=recruiting, to_phase=Phase.DECLINED, by=world.coach)
    recruiting.refresh_from_db()
    assert recruiting.phase == Phase.DECLINED


def test_declined_refused_outside_recruitment(world):
    DecisionFactory(trajectory=world.trajectory, is_yes=False)
    with pytest.raises(ValidationError) as excinfo:
        services.trajectory_change_phase(
            trajectory=world.trajectory, to_phase=Phase.DECLINED, by=world.coach
        )
    assert "alleen tijdens de werving" in messages(excinfo)


def test_next_step_follows_the_phase(recruiting):
    assert "besluit" in selectors.next_step(recruiting)
    DecisionFactory(trajectory=recruiting, is_yes=True)
    assert "startdocument" in selectors.next_step(recruiting).lower()


# --- signing -------------------------------------------------------------------


def test_signing_twice_is_refused_and_nothing_saved(world):
    agreement = StartAgreementFactory(trajectory=world.trajectory)
    services.agreement_sign(agreement=agreement, party="champion", user=world.champion)
    with pytest.raises(ValidationError) as excinfo:
        services.agreement_sign(agreement=agreement, party="champion", user=world.buddy)
    assert "heeft deze versie al ondertekend" in messages(excinfo)
    assert Signature.objects.count() == 1


def test_agreement_locks_after_three_signatures_and_changes_need_a_new_version(world):
    agreement = StartAgreementFactory(trajectory=world.trajectory)
    for party, user in (
        ("research_team", world.researcher),
        ("champion", world.champion),
        ("management", world.manager),
    ):
        assert not agreement.is_locked
        services.agreement_sign(agreement=agreement, party=party, user=user)
    agreement = StartAgreement.objects.get(pk=agreement.pk)
    assert agreement.is_locked
    with pytest.raises(ValidationError) as excinfo:
        services.agreement_sign(agreement=agreement, party="champion", user=world.champion)
    assert "vergrendeld" in messages(excinfo)
    new = services.agreement_save(trajectory=world.trajectory, coach_hours_budget=Decimal(50))
    assert new.version == 2 and new.pk != agreement.pk
    agreement.refresh_from_db()
    assert agreement.coach_hours_budget == 40
    assert not new.is_locked


def test_agreement_defaults():
    agreement = StartAgreement()
    assert agreement.coach_hours_budget == 40
    assert agreement.min_half_days == 5


# --- hours -------------------------------------------------------------------


def test_hours_totals_and_warning_levels(world):
    trajectory = world.trajectory
    assert selectors.hours_summary(trajectory).level == "ok"
    HourEntryFactory(trajectory=trajectory, hours=Decimal("31.5"))
    summary = selectors.hours_summary(trajectory)
    assert summary.used == Decimal("31.5") and summary.level == "ok"
    HourEntryFactory(trajectory=trajectory, hours=Decimal("0.5"))
    summary = selectors.hours_summary(trajectory)
    assert summary.percent == 80 and summary.level == "warning"
    HourEntryFactory(trajectory=trajectory, hours=8)
    assert selectors.hours_summary(trajectory).level == "over"
    services.budget_extend(trajectory=trajectory, hours=10, reason="Extra dagdeel", by=world.coach)
    summary = selectors.hours_summary(trajectory)
    assert summary.total_budget == 50 and summary.percent == 80 and summary.level == "warning"


def test_hours_use_the_agreement_budget(world):
    StartAgreementFactory(trajectory=world.trajectory, coach_hours_budget=20)
    HourEntryFactory(trajectory=world.trajectory, hours=20)
    assert selectors.hours_summary(world.trajectory).level == "over"


@pytest.mark.parametrize("hours", [Decimal("-2"), Decimal("0")])
def test_negative_or_zero_hours_refused(world, hours):
    with pytest.raises(ValidationError) as excinfo:
        services.hours_log(
            trajectory=world.trajectory,
            user=world.coach,
            date=date(2026, 3, 3),
            activity="mail",
            hours=hours,
        )
    assert "meer dan nul" in messages(excinfo)
    with pytest.raises(ValidationError):
        services.budget_extend(trajectory=world.trajectory, hours=hours, reason="x", by=world.coach)
    assert not HourEntry.objects.exists() and not BudgetExtension.objects.exists()


# --- half-days -----------------------------------------------------------------


def test_half_day_end_before_start_refused(world):
    half_day = HalfDay(
        trajectory=world.trajectory,
        starts_at=at(date(2026, 3, 10), 14),
        ends_at=at(date(2026, 3, 10), 13),
    )
    with pytest.raises(ValidationError) as excinfo:
        services.half_day_save(half_day=half_day)
    assert "einde moet na het begin" in messages(excinfo)
    assert not HalfDay.objects.exists()


def test_half_day_outside_trajectory_period_refused(world):
    half_day = HalfDay(
        trajectory=world.trajectory,
        starts_at=at(date(2027, 3, 10), 13),
        ends_at=at(date(2027, 3, 10), 16),
    )
    with pytest.raises(ValidationError) as excinfo:
        services.half_day_save(half_day=half_day)
    assert "binnen de looptijd van het traject" in messages(excinfo)
    assert not HalfDay.objects.exists()


def test_half_day_inside_period_saved(world):
    half_day = services.half_day_save(
        half_day=HalfDay(
            trajectory=world.trajectory,
            starts_at=at(date(2026, 3, 10), 13),
            ends_at=at(date(2026, 3, 10), 16),
            intervention_types=["training"],
            goals=[1, 2],
        )
    )
    assert half_day.pk


def test_feed_token_revocation(world):
    feed = services.feed_get_or_create(user=world.coach)
    assert services.feed_get_or_create(user=world.coach) == feed
    assert services.feed_revoke(user=world.coach) == 1
    assert services.feed_get_or_create(user=world.coach).token != feed.token
    assert UserFactory  # factories importable


def test_second_start_dialogue_refused(world):
    HalfDayFactory(
        trajectory=world.trajectory, starts_at=at(date(2026, 3, 2)), is_start_dialogue=True
    )
    with pytest.raises(ValidationError) as excinfo:
        services.half_day_save(
            half_day=HalfDay(
                trajectory=world.trajectory,
                starts_at=at(date(2026, 3, 9)),
                ends_at=at(date(2026, 3, 9), 16),
                is_start_dialogue=True,
            )
        )
    assert "heeft al een startdialoog" in messages(excinfo)
    assert HalfDay.objects.count() == 1
