"""Browser check of the correction pages: edit, confirm-delete, hide, phase
confirmation and step back, and the site's own error pages, each scanned by
axe-core at 390, 800 and 1366 px. The coach also deletes an hour entry."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dialogues import services as dialogue_services
from dialogues.tokens import make_token
from tests.dialogues.factories import DialogueSessionFactory, HarvestItemFactory, InviteeFactory
from tests.factories import (
    TEST_PASSWORD,
    HalfDayFactory,
    MembershipFactory,
    TrajectoryFactory,
    UserFactory,
)
from tests.trajectories.factories import DecisionFactory, HourEntryFactory
from trajectories import services
from trajectories.models import FactorOption, HourEntry, Phase, Role
from trajectories.pick_lists import ensure_factor_options

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_correction_pages_are_accessible_and_deleting_asks_first(browser):
    ensure_factor_options()
    coach = UserFactory(first_name="Marieke", last_name="Linden")
    trajectory = TrajectoryFactory(phase=Phase.RECRUITMENT)
    MembershipFactory(trajectory=trajectory, user=coach, role=Role.COACH)
    decision = DecisionFactory(trajectory=trajectory)
    factor = services.decision_factor_add(
        decision=decision,
        category="organisation",
        is_helping=True,
        option=FactorOption.objects.get(name="Aanwezige expertise"),
        free_text="Twee collega's volgden de leergang",
    )
    entry = HourEntryFactory(trajectory=trajectory, user=coach, hours=2)
    half_day = HalfDayFactory(trajectory=trajectory, title="Training gespreksvaardigheden")
    session = DialogueSessionFactory(
        trajectory=trajectory,
        facilitator=coach,
        researcher=coach,
        starts_at=timezone.now() - timedelta(hours=1),
    )
    invitee = InviteeFactory(session=session, name="Piet Kok")
    dialogue_services.consent_record(invitee=invitee, agreed=True)
    item = HarvestItemFactory(invitee=invitee, text="Dubbel ingediend item")

    browser.login(coach.email, TEST_PASSWORD)
    t = trajectory.pk
    for path in (
        f"/trajecten/{t}/",
        f"/trajecten/{t}/besluit/",
        f"/trajecten/{t}/besluit/factor/{factor.pk}/",
        f"/trajecten/{t}/besluit/factor/{factor.pk}/verwijderen/",
        f"/trajecten/{t}/uren/{entry.pk}/",
        f"/trajecten/{t}/planning/",
        f"/trajecten/{t}/planning/{half_day.pk}/verwijderen/",
        f"/trajecten/{t}/fase/?naar=declined",
        f"/trajecten/{t}/fase/?naar=start_dialogue",
        f"/dialogen/{session.pk}/",
        f"/dialogen/{session.pk}/oogst/{item.pk}/verbergen/",
        "/rapporten/aanvragen/",
        "/bestaat-niet/",
    ):
        browser.visit(path)
    browser.visit(f"/trajecten/{t}/uren/")
    browser.visit(f"/trajecten/{t}/uren/{entry.pk}/verwijderen/")
    assert "Je staat op het punt dit te verwijderen" in browser.find("main").text
    assert HourEntry.objects.filter(pk=entry.pk).exists()
    browser.click_and_load("#confirm-delete")
    assert "De uren zijn verwijderd." in browser.find("main").text
    assert not HourEntry.objects.filter(pk=entry.pk).exists()

    trajectory.phase = Phase.CUSTOM
    trajectory.save()
    browser.visit(f"/trajecten/{t}/fase/terug/")
    browser.fill("#id_reason", "Het besluit moet opnieuw")
    browser.click_and_load("#confirm-phase")
    trajectory.refresh_from_db()
    assert trajectory.phase == Phase.START_DIALOGUE

    browser.logout()
    browser.visit(f"/dialogen/p/{make_token(invitee)}/oogst/{item.pk}/")
    browser.visit(f"/dialogen/p/{make_token(invitee)}/oogst/{item.pk}/verwijderen/")
