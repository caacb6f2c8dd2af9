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


def test_a_champion_withdraws_the_logbook_only_and_sees_what_leaving_everything_means(browser):
    """On "Mijn toestemming" a withdrawal of one kind is asked twice, shows that kind as
    withdrawn and leaves the others; leaving the whole research has its own page."""
    from research.models import Withdrawal
    from tests.factories import give_role_consents

    champion = UserFactory(first_name="Sanne", infix="de", last_name="Vries")
    trajectory = TrajectoryFactory()
    give_role_consents(MembershipFactory(trajectory=trajectory, user=champion, role=Role.CHAMPION))
    browser.login(champion.email, TEST_PASSWORD)
    browser.visit(f"/onderzoek/mijn-toestemming/{trajectory.pk}/")  # axe-checked on arrival
    assert "nog geen gegevens" in browser.find("[data-testid=kind-window-logbook]").text

    browser.click_and_load("#logbook button[name=agreed][value=no]")
    assert browser.find("main h1").text.startswith("Je toestemming intrekken voor")
    assert not Withdrawal.objects.exists()
    browser.click_and_load("main form button.btn-danger")
    assert "logboek is ingetrokken" in browser.find("main").text
    assert "ingetrokken" in browser.find("[data-testid=status-logbook]").text
    assert "gegeven" in browser.find("[data-testid=status-interview]").text
    assert Withdrawal.objects.get().kind == "logbook"

    browser.click_and_load("a[href$='/stoppen/']")
    assert browser.find("main h1").text == "Stoppen met meedoen aan het onderzoek"
    browser.click_and_load("main a.btn-link")  # cancel: nothing more happens
    assert Withdrawal.objects.count() == 1
