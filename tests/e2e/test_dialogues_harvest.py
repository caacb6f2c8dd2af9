"""Browser journey: a participant adds a harvest item on a phone and it shows
up on the facilitator's screen (htmx polling) within five seconds."""

import pytest

from dialogues import services
from dialogues.tokens import make_token
from tests.dialogues.factories import DialogueSessionFactory, InviteeFactory
from tests.factories import TEST_PASSWORD, MembershipFactory, TrajectoryFactory, UserFactory
from trajectories.models import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_participant_item_appears_live_on_the_facilitators_screen(browser):
    coach = UserFactory(first_name="Marieke", last_name="Linden")
    trajectory = TrajectoryFactory()
    MembershipFactory(trajectory=trajectory, user=coach, role=Role.COACH)
    session = DialogueSessionFactory(trajectory=trajectory, facilitator=coach, researcher=coach)
    invitee = InviteeFactory(session=session, name="Piet Kok")
    services.consent_record(invitee=invitee, agreed=True)

    browser.set_viewport(1280, 900)
    browser.login(coach.email, TEST_PASSWORD)
    browser.visit(f"/dialogen/{session.pk}/oogst/")
    board = browser.driver.current_window_handle

    browser.driver.switch_to.new_window("tab")
    browser.set_viewport(375, 740)
    browser.visit(f"/dialogen/p/{make_token(invitee)}/")
    browser.fill("#id_text", "Samen <b>kijken</b> naar wat leerlingen nodig hebben")
    button = browser.find("#add-item")
    browser.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    browser.click_and_load("#add-item")
    assert "toegevoegd" in browser.find("main").text

    browser.driver.switch_to.window(board)
    item = browser.wait_for(".harvest-item", timeout=5)
    assert item.text.startswith("Samen <b>kijken</b>")
    browser.check_accessibility()
