"""Browser journey: a participant consents on a phone, adds a harvest item, withdraws
inside the window, and the coach's board no longer shows the item; axe clean."""

import pytest

from dialogues.tokens import make_token
from tests.dialogues.factories import DialogueSessionFactory, InviteeFactory
from tests.factories import TEST_PASSWORD, MembershipFactory, TrajectoryFactory, UserFactory
from trajectories.models import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_participant_consents_adds_an_item_and_withdraws_on_a_phone(browser):
    coach = UserFactory(first_name="Marieke", last_name="Linden")
    trajectory = TrajectoryFactory()
    MembershipFactory(trajectory=trajectory, user=coach, role=Role.COACH)
    session = DialogueSessionFactory(trajectory=trajectory, facilitator=coach, researcher=coach)
    invitee = InviteeFactory(session=session, name="Piet Kok", email="piet@gast.test")
    personal = f"/dialogen/p/{make_token(invitee)}/"

    browser.set_viewport(390, 844)
    browser.visit(personal)  # axe-checked on arrival
    assert "5 werkdagen" in browser.find("#consent").text
    button = browser.find("button[name=agreed][value=yes]")
    browser.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", button
    )
    browser.click_and_load("button[name=agreed][value=yes]")
    assert "toestemming is vastgelegd" in browser.find("main").text
    browser.fill("#id_text", "Mentoren hebben te weinig tijd voor loopbaangesprekken")
    add = browser.find("#add-item")
    browser.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", add
    )
    browser.click_and_load("#add-item")
    assert "toegevoegd" in browser.find("main").text
    assert "Je laatste bijdrage was op" in browser.find("#consent").text

    withdraw = browser.find("button[name=agreed][value=no]")
    browser.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", withdraw
    )
    browser.click_and_load("button[name=agreed][value=no]")
    assert "alles wat je gaf is verwijderd" in browser.find("main").text

    browser.set_viewport(1366, 900)
    browser.login(coach.email, TEST_PASSWORD)
    browser.visit(f"/dialogen/{session.pk}/oogst/")
    assert "Mentoren hebben te weinig tijd" not in browser.find("main").text
    browser.check_accessibility()
