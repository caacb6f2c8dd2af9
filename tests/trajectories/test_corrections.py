"""Correcting what was entered: hours, decision factors, half-days and phases.

Every edit/delete page is checked for every persona; deleting asks first (a
GET never deletes); locked objects refuse a crafted POST.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dialogues.models import DialogueSession
from tests.conftest import PERSONAS
from tests.factories import HalfDayFactory, TrajectoryFactory
from tests.trajectories.factories import (
    DecisionFactory,
    HourEntryFactory,
    StartAgreementFactory,
)
from tests.trajectories.test_views import EDIT_PLAN, EDIT_TRAJECTORY
from trajectories import services
from trajectories.models import (
    DecisionFactor,
    FactorOption,
    HalfDay,
    HourEntry,
    Phase,
    PhaseTransition,
    Signature,
)
from trajectories.pick_lists import ensure_factor_options

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")

COACH_ONLY = {**{p: 403 for p in PERSONAS}, "coach": 200, "outsider": 404}


@pytest.fixture
def recruiting(world):
    world.trajectory.phase = Phase.RECRUITMENT
    world.trajectory.save()
    return world.trajectory


@pytest.fixture
def factor(recruiting):
    ensure_factor_options()
    decision = DecisionFactory(trajectory=recruiting)
    return services.decision_factor_add(
        decision=decision,
        category="management",
        is_helping=True,
        option=FactorOption.objects.get(name="Facilitering in tijd"),
    )


# --- hours ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_hours_edit_and_delete_pages_per_persona(world, client_for, persona):
    entry = HourEntryFactory(trajectory=world.trajectory, user=world.coach)
    client = client_for(world.users[persona])
    base = f"/trajecten/{world.trajectory.pk}/uren/{entry.pk}/"
    assert client.get(base).status_code == EDIT_PLAN[persona]
    assert client.get(base + "verwijderen/").status_code == EDIT_PLAN[persona]
    # A GET never deletes; a POST by a role without the right changes nothing.
    response = client.post(base + "verwijderen/")
    assert response.status_code == (302 if EDIT_PLAN[persona] == 200 else EDIT_PLAN[persona])
    assert HourEntry.objects.filter(pk=entry.pk).exists() is (EDIT_PLAN[persona] != 200)


def test_hours_delete_asks_first(world, client_for):
    entry = HourEntryFactory(trajectory=world.trajectory, user=world.coach, hours=3)
    client = client_for(world.coach)
    html = client.get(f"/trajecten/{world.trajectory.pk}/uren/{entry.pk}/verwijderen/").content
    html = html.decode()
    assert "Je staat op het punt dit te verwijderen" in html and "3 uur" in html
    assert 'id="confirm-delete"' in html
    assert HourEntry.objects.filter(pk=entry.pk).exists()


def test_hours_edit_accepts_dutch_decimals(world, client_for):
    entry = HourEntryFactory(trajectory=world.trajectory, user=world.coach)
    response = client_for(world.coach).post(
        f"/trajecten/{world.trajectory.pk}/uren/{entry.pk}/",
        {"entry-date": "2026-03-02", "entry-activity": "call", "entry-hours": "1,5"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert str(entry.hours) == "1.50" and entry.date == date(2026, 3, 2)


@pytest.mark.parametrize(
    ("day", "hours", "message"),
    [
        ("2026-03-02", "100", "hoogstens een werkdag"),
        ("2025-01-01", "2", "binnen de looptijd van het traject"),
        ("future", "2", "dag in de toekomst"),
        ("2026-03-02", "0", "meer dan nul"),
    ],
)
def test_hours_refuses_obvious_mistakes(world, client_for, day, hours, message):
    if day == "future":
        day = (timezone.localdate() + timedelta(days=5)).isoformat()
        world.trajectory.ends_on = timezone.localdate() + timedelta(days=60)
        world.trajectory.save()
    response = client_for(world.coach).post(
        f"/trajecten/{world.trajectory.pk}/uren/",
        {"entry-date": day, "entry-activity": "call", "entry-hours": hours},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not HourEntry.objects.exists()


def test_hours_page_shows_units_and_correction_links(world, client_for):
    entry = HourEntryFactory(trajectory=world.trajectory, user=world.coach, hours=2)
    html = client_for(world.coach).get(f"/trajecten/{world.trajectory.pk}/uren/").content.decode()
    assert "2 uur" in html
    assert f"/uren/{entry.pk}/verwijderen/" in html and f"/uren/{entry.pk}/" in html
    assert 'role="region" tabindex="0"' in html


# --- the recruitment log ------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_recruitment_contact_edit_and_delete_per_persona(world, client_for, persona):
    contact = world.trajectory.recruitment_contacts.create(
        date=date(2026, 2, 3), kind="call", people="Teamleider"
    )
    client = client_for(world.users[persona])
    base = f"/trajecten/{world.trajectory.pk}/werving/{contact.pk}/"
    assert client.get(base).status_code == EDIT_TRAJECTORY[persona]
    assert client.get(base + "verwijderen/").status_code == EDIT_TRAJECTORY[persona]
    allowed = EDIT_TRAJECTORY[persona] == 200
    edit = client.post(base, {"date": "2026-02-04", "kind": "meeting", "people": "Directie"})
    assert edit.status_code == (302 if allowed else EDIT_TRAJECTORY[persona])
    contact.refresh_from_db()
    assert (contact.people == "Directie") is allowed
    response = client.post(base + "verwijderen/")
    assert response.status_code == (302 if allowed else EDIT_TRAJECTORY[persona])
    assert world.trajectory.recruitment_contacts.filter(pk=contact.pk).exists() is not allowed


# --- decision factors --------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_factor_edit_and_delete_pages_per_persona(world, factor, client_for, persona):
    client = client_for(world.users[persona])
    base = f"/trajecten/{world.trajectory.pk}/besluit/factor/{factor.pk}/"
    assert client.get(base).status_code == EDIT_TRAJECTORY[persona]
    assert client.get(base + "verwijderen/").status_code == EDIT_TRAJECTORY[persona]
    response = client.post(base + "verwijderen/")
    allowed = EDIT_TRAJECTORY[persona] == 200
    assert response.status_code == (302 if allowed else EDIT_TRAJECTORY[persona])
    assert DecisionFactor.objects.filter(pk=factor.pk).exists() is not allowed


def test_factor_back_and_resubmit_adds_it_once(world, factor, client_for):
    option = FactorOption.objects.get(name="Facilitering in tijd")
    data = {"factor-category": "management", "factor-is_helping": "1", "factor-option": option.pk}
    response = client_for(world.coach).post(
        f"/trajecten/{world.trajectory.pk}/besluit/factor/", data
    )
    assert response.status_code == 400
    assert "Deze factor is al vastgelegd." in response.content.decode()
    assert DecisionFactor.objects.count() == 1


def test_factor_option_only_under_its_own_category(world, factor, client_for):
    option = FactorOption.objects.get(name="Bevlogenheid van de aanjager")
    response = client_for(world.coach).post(
        f"/trajecten/{world.trajectory.pk}/besluit/factor/",
        {"factor-category": "coach", "factor-is_helping": "1", "factor-option": option.pk},
    )
    assert response.status_code == 400
    assert "hoort bij de categorie aanjager" in response.content.decode()
    with pytest.raises(ValidationError):
        services.decision_factor_add(
            decision=factor.decision, category="coach", is_helping=True, option=option
        )
    assert DecisionFactor.objects.count() == 1


def test_factor_free_text_is_kept_beside_an_option(world, factor):
    option = FactorOption.objects.get(name="Draagvlak bij de leiding")
    added = services.decision_factor_add(
        decision=factor.decision,
        category="management",
        is_helping=False,
        option=option,
        free_text="De nieuwe teamleider twijfelde",
    )
    added.refresh_from_db()
    assert added.free_text == "De nieuwe teamleider twijfelde"
    assert added.label == "Draagvlak bij de leiding: De nieuwe teamleider twijfelde"


def test_factor_edit_changes_it(world, factor, client_for):
    response = client_for(world.coach).post(
        f"/trajecten/{world.trajectory.pk}/besluit/factor/{factor.pk}/",
        {"factor-category": "organisation", "factor-is_helping": "0", "factor-free_text": "Drukte"},
    )
    assert response.status_code == 302
    factor.refresh_from_db()
    assert (factor.category, factor.is_helping, factor.option, factor.free_text) == (
        "organisation",
        False,
        None,
        "Drukte",
    )


def test_factors_lock_when_recruitment_is_over_and_a_crafted_post_changes_nothing(
    world, factor, client_for
):
    world.trajectory.phase = Phase.START_DIALOGUE
    world.trajectory.save()
    client = client_for(world.coach)
    base = f"/trajecten/{world.trajectory.pk}/besluit/factor/{factor.pk}/"
    page = client.get(base + "verwijderen/").content.decode()
    assert 'id="locked-reason"' in page and "terug naar de werving" in page
    assert client.post(base + "verwijderen/").status_code == 403
    edit = client.post(
        base, {"factor-category": "organisation", "factor-is_helping": "0", "factor-free_text": "X"}
    )
    assert edit.status_code == 400
    factor.refresh_from_db()
    assert factor.category == "management" and factor.free_text == ""


def test_seed_files_expertise_and_flexibility_under_organisation(db):
    ensure_factor_options()
    assert FactorOption.objects.get(name="Aanwezige expertise").category == "organisation"
    assert FactorOption.objects.get(name="Flexibiliteit van de organisatie").category == (
        "organisation"
    )


def test_factor_form_groups_the_options_by_category(world, factor, client_for):
    html = client_for(world.coach).get(f"/trajecten/{world.trajectory.pk}/besluit/").content
    html = html.decode()
    assert '<optgroup label="organisatie">' in html and "js/factors.js" in html


def test_decision_in_the_future_is_refused(recruiting, world):
    with pytest.raises(ValidationError) as excinfo:
        services.decision_record(
            trajectory=recruiting, is_yes=True, decided_on=date(2030, 1, 1), by=world.coach
        )
    assert "toekomst" in " ".join(excinfo.value.messages)


# --- half-days -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_half_day_delete_page_per_persona(world, client_for, persona):
    half_day = HalfDayFactory(trajectory=world.trajectory)
    client = client_for(world.users[persona])
    url = f"/trajecten/{world.trajectory.pk}/planning/{half_day.pk}/verwijderen/"
    assert client.get(url).status_code == EDIT_PLAN[persona]
    assert HalfDay.objects.filter(pk=half_day.pk).exists()
    response = client.post(url)
    allowed = EDIT_PLAN[persona] == 200
    assert response.status_code == (302 if allowed else EDIT_PLAN[persona])
    assert HalfDay.objects.filter(pk=half_day.pk).exists() is not allowed


def test_half_day_with_a_dialogue_session_is_locked(world, client_for):
    half_day = HalfDayFactory(trajectory=world.trajectory, is_start_dialogue=True)
    DialogueSession.objects.create(
        trajectory=world.trajectory,
        half_day=half_day,
        starts_at=half_day.starts_at,
        facilitator=world.coach,
        researcher=world.researcher,
    )
    client = client_for(world.coach)
    url = f"/trajecten/{world.trajectory.pk}/planning/{half_day.pk}/verwijderen/"
    assert "dialoogsessie met oogst" in client.get(url).content.decode()
    assert client.post(url).status_code == 403
    assert HalfDay.objects.filter(pk=half_day.pk).exists()


def test_plan_does_not_double_the_start_dialogue_word(world, client_for):
    HalfDayFactory(
        trajectory=world.trajectory,
        is_start_dialogue=True,
        title="Startdialoog Ik en loopbaanbegeleiding",
    )
    html = client_for(world.coach).get(f"/trajecten/{world.trajectory.pk}/planning/").content
    html = html.decode()
    assert "Startdialoog</strong>: Ik en loopbaanbegeleiding" in html
    assert "Startdialoog: Startdialoog" not in html.replace("</strong>", "")


# --- phases --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_phase_confirmation_and_step_back_pages_per_persona(world, client_for, persona):
    client = client_for(world.users[persona])
    t = world.trajectory.pk
    confirm = client.get(f"/trajecten/{t}/fase/?naar=closing")
    assert confirm.status_code == EDIT_TRAJECTORY[persona]
    assert client.get(f"/trajecten/{t}/fase/terug/").status_code == COACH_ONLY[persona]
    back = client.post(f"/trajecten/{t}/fase/terug/", {"reason": "Te vroeg doorgezet"})
    assert back.status_code == (302 if persona == "coach" else COACH_ONLY[persona])
    world.trajectory.refresh_from_db()
    assert world.trajectory.phase == (Phase.START_DIALOGUE if persona == "coach" else Phase.CUSTOM)


def test_moving_on_with_too_few_half_days_needs_a_reason(world, client_for):
    trajectory = world.trajectory
    start = datetime(2026, 3, 2, 13, 30, tzinfo=AMS)
    HalfDayFactory(
        trajectory=trajectory,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        is_start_dialogue=True,
    )
    HalfDayFactory(
        trajectory=trajectory,
        starts_at=start + timedelta(days=30),
        ends_at=start + timedelta(days=30, hours=3),
    )
    StartAgreementFactory(trajectory=trajectory, min_half_days=5)
    client = client_for(world.coach)
    page = client.get(f"/trajecten/{trajectory.pk}/fase/?naar=closing").content.decode()
    assert "2 van de 5 afgesproken dagdelen" in page and 'id="phase-meaning"' in page
    refused = client.post(f"/trajecten/{trajectory.pk}/fase/", {"to_phase": "closing"})
    assert refused.status_code == 400
    trajectory.refresh_from_db()
    assert trajectory.phase == Phase.CUSTOM
    done = client.post(
        f"/trajecten/{trajectory.pk}/fase/",
        {"to_phase": "closing", "reason": "De school stopt na twee dagdelen"},
    )
    assert done.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.phase == Phase.CLOSING
    transition = PhaseTransition.objects.get()
    assert transition.reason == "De school stopt na twee dagdelen"
    detail = client.get(f"/trajecten/{trajectory.pk}/").content.decode()
    assert "De school stopt na twee dagdelen" in detail


def test_a_phase_that_is_not_next_is_refused(world, client_for):
    response = client_for(world.coach).post(
        f"/trajecten/{world.trajectory.pk}/fase/", {"to_phase": "finished", "reason": "x"}
    )
    assert response.status_code == 302
    world.trajectory.refresh_from_db()
    assert world.trajectory.phase == Phase.CUSTOM


def test_step_back_needs_a_reason_and_is_in_the_history(world, client_for):
    client = client_for(world.coach)
    url = f"/trajecten/{world.trajectory.pk}/fase/terug/"
    assert client.post(url, {"reason": " "}).status_code == 400
    assert client.post(url, {"reason": "Startdialoog nog niet gehouden"}).status_code == 302
    transition = PhaseTransition.objects.get()
    assert transition.is_step_back and transition.to_phase == Phase.START_DIALOGUE
    with pytest.raises(ValidationError):
        recruiting = TrajectoryFactory(phase=Phase.RECRUITMENT)
        services.trajectory_step_back(trajectory=recruiting, by=world.coach, reason="x")


# --- the start agreement --------------------------------------------------------------


def test_signing_needs_the_logbook_duty(world, client_for):
    agreement = StartAgreementFactory(trajectory=world.trajectory, duties=["harvest"])
    response = client_for(world.champion).post(
        f"/trajecten/{world.trajectory.pk}/startdocument/ondertekenen/",
        {"party": "champion"},
        follow=True,
    )
    assert "vink minstens de taak" in response.content.decode()
    assert not Signature.objects.filter(agreement=agreement).exists()


def test_new_agreement_starts_with_the_six_seed_duties(world, client_for):
    html = (
        client_for(world.coach)
        .get(f"/trajecten/{world.trajectory.pk}/startdocument/bewerken/")
        .content.decode()
    )
    for label in (
        "Houdt wekelijks een logboek bij",
        "Haalt de behoeften van leerlingen of studenten op",
        "Haalt in de dagdelen de leeropbrengsten van het team op",
        "Wordt geïnterviewd in het slotinterview",
        "Staat opnames van de dagdelen toe",
        "Helpt de opgedane kennis te delen binnen en buiten de organisatie",
    ):
        assert label in html
    assert html.count("checked") >= 6
