"""Browser journey: a participant adds a harvest item on a phone and it shows
up on the facilitator's screen (htmx polling) within five seconds."""

import pytest
from selenium.webdriver.support.ui import WebDriverWait

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

    browser.driver.close()  # the participant's tab
    browser.driver.switch_to.window(board)
    # htmx replaces the list every 2 s, so read it in one script call, not via a stale element.
    WebDriverWait(browser.driver, 5).until(
        lambda driver: (
            "Samen <b>kijken</b>"
            in driver.execute_script(
                "const list = document.querySelector('#harvest-items');"
                "return list ? list.textContent : '';"
            )
        )
    )
    browser.check_accessibility()


def test_dialogue_pages_are_accessible(browser):
    from dialogues.models import HarvestItem

    coach = UserFactory()
    researcher = UserFactory()
    trajectory = TrajectoryFactory()
    MembershipFactory(trajectory=trajectory, user=coach, role=Role.COACH)
    MembershipFactory(trajectory=trajectory, user=researcher, role=Role.RESEARCHER)
    session = DialogueSessionFactory(
        trajectory=trajectory, facilitator=coach, researcher=researcher
    )
    invitee = InviteeFactory(session=session, name="Piet Kok")
    services.consent_record(invitee=invitee, agreed=True)
    HarvestItem.objects.create(session=session, invitee=invitee, text="Visie delen", goal=1)
    services.report_save_draft(session=session, body="Eerste versie\nmet thema's")
    services.report_submit(report=session.report)
    services.report_save_draft(session=session, body="Tweede versie\nmet thema's")

    browser.login(researcher.email, TEST_PASSWORD)
    for path in (
        "/dialogen/",
        f"/dialogen/traject/{trajectory.pk}/",
        f"/dialogen/{session.pk}/",
        f"/dialogen/{session.pk}/oogst/ordenen/",
        f"/dialogen/{session.pk}/verslag/",
        f"/dialogen/{session.pk}/verslag/vergelijk/",
    ):
        browser.visit(path)
    browser.logout()
    browser.login(coach.email, TEST_PASSWORD)
    browser.visit(f"/dialogen/traject/{trajectory.pk}/nieuw/")
    browser.visit(f"/dialogen/{session.pk}/uitnodiging/")
    browser.logout()
    browser.set_viewport(375, 740)
    browser.visit(f"/dialogen/p/{make_token(invitee)}/")
    browser.visit(f"/dialogen/o/{session.code}/")
    browser.visit("/dialogen/p/ongeldig/")
