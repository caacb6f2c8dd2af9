"""Browser journey: a participant asks for a change with a comment; the researcher
reads it on the session page, writes version 2 with a reply; the participant sees
that their request was answered and approves. axe-core runs on every page at
390, 800 and 1366 px (see conftest.Browser.check_accessibility)."""

from datetime import timedelta

import pytest
from _pytest.outcomes import Failed
from django.utils import timezone

from dialogues import services
from dialogues.models import ReportStatus
from dialogues.tokens import make_token
from tests.dialogues.factories import DialogueSessionFactory, InviteeFactory
from tests.factories import TEST_PASSWORD, MembershipFactory, TrajectoryFactory, UserFactory
from trajectories.models import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_change_request_is_read_answered_and_approved(browser):
    coach = UserFactory(first_name="Marieke", last_name="Linden")
    researcher = UserFactory(first_name="Bilal", last_name="Bouzid")
    trajectory = TrajectoryFactory()
    MembershipFactory(trajectory=trajectory, user=coach, role=Role.COACH)
    MembershipFactory(trajectory=trajectory, user=researcher, role=Role.RESEARCHER)
    session = DialogueSessionFactory(
        trajectory=trajectory,
        facilitator=coach,
        researcher=researcher,
        starts_at=timezone.now() - timedelta(days=2),
    )
    invitee = InviteeFactory(session=session, name="Ahmed El Amrani")
    services.consent_record(invitee=invitee, agreed=True)
    services.report_save_draft(session=session, body="De deelnemers willen een visie.")
    services.report_submit(report=session.report, notify=False)
    personal = f"/dialogen/p/{make_token(invitee)}/"

    # The participant, on a phone, asks for a change.
    browser.set_viewport(390, 844)
    browser.visit(personal)
    browser.driver.execute_script(
        "document.querySelector('input[name=decision][value=change]').click();"
    )
    browser.fill("#id_comment", "Noem mijn naam niet bij het citaat over de mentoren.")
    browser.click_and_load("form[action$='/verslag/'] button[type=submit]")
    assert "Je wijzigingsverzoeken" in browser.find("main").text

    # The researcher reads the comment on the session page and writes version 2.
    browser.logout()
    browser.set_viewport(1366, 900)
    browser.login(researcher.email, TEST_PASSWORD)
    browser.visit(f"/dialogen/{session.pk}/")
    answers = browser.find("#answers-1").text
    assert "Ahmed El Amrani" in answers
    assert "Noem mijn naam niet bij het citaat over de mentoren." in answers
    assert "Nog niet beantwoord" in answers
    browser.visit(f"/dialogen/{session.pk}/verslag/")
    assert "Noem mijn naam niet" in browser.find("#change-requests").text
    browser.fill("#id_body", "De deelnemers willen een visie. Een docent noemde de mentoren.")
    browser.fill("#id_reply", "Je naam is weggehaald bij het citaat.")
    browser.click_and_load("main form button[type=submit]")
    browser.click_and_load("form[action$='/verslag/indienen/'] button[type=submit]")
    assert "Beantwoord in versie 2." in browser.find("#answers-1").text

    # The participant sees that the request was answered, and approves.
    browser.logout()
    browser.set_viewport(390, 844)
    browser.visit(personal)
    assert "beantwoord in versie 2" in browser.find("#my-requests").text
    assert "Je naam is weggehaald" in browser.find("#researcher-reply").text
    browser.driver.execute_script(
        "document.querySelector('input[name=decision][value=approve]').click();"
    )
    browser.click_and_load("form[action$='/verslag/'] button[type=submit]")
    session.report.refresh_from_db()
    assert session.report.status == ReportStatus.FINAL
    assert "Door iedereen goedgekeurd" in browser.find("main").text


def test_the_accessibility_check_runs_at_three_widths_and_catches_low_contrast(browser):
    """The check can fail: a grey-on-white paragraph fails color-contrast."""
    browser.visit("/account/inloggen/")
    checked = len(browser.pages_checked)
    assert [width for _url, width in browser.pages_checked[-3:]] == [390, 800, 1366]
    browser.driver.execute_script(
        "const p = document.createElement('p');"
        "p.textContent = 'Bijna onleesbaar';"
        "p.style.color = '#cccccc'; p.style.background = '#ffffff';"
        "document.querySelector('main').appendChild(p);"
    )
    with pytest.raises(Failed, match="color-contrast"):
        browser.check_accessibility()
    assert len(browser.pages_checked) == checked + 1  # failed at the first width
