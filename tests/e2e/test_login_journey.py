"""First journey: every demo login reaches its own landing page, in Dutch, without axe violations."""

import pytest

from lobtraject.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EXPECTED = {
    "teamcoach@demo.test": "Overzicht teamcoach",
    "aanjager@demo.test": "Mijn traject (aanjager)",
    "maatje@demo.test": "Mijn traject (maatje)",
    "manager@demo.test": "Voortgang van je organisatie",
    "onderzoeker@demo.test": "Overzicht onderzoeker",
    "onafhankelijk@demo.test": "Overzicht onafhankelijk onderzoeker",
    "deelnemer@demo.test": "Mijn dialoogsessies",
    "aanjager2@demo.test": "Mijn traject (aanjager)",
}


def test_each_demo_login_lands_on_its_role_page_in_dutch(browser, demo_data):
    browser.visit("/")  # redirected to the Dutch login page, checked by axe
    assert browser.find("html").get_attribute("lang") == "nl"
    assert browser.find("main h1").text == "Inloggen"
    for email, heading in EXPECTED.items():
        browser.login(email, DEMO_PASSWORD)
        assert browser.find("main h1").text == heading, email
        browser.visit("/trajecten/")
        browser.logout()
    assert len(browser.pages_checked) >= 2 * len(EXPECTED)


def test_wrong_password_shows_dutch_message(browser, demo_data):
    browser.login("aanjager@demo.test", "verkeerd-wachtwoord")
    assert "horen niet bij elkaar" in browser.find("main").text


def test_phone_width_shows_menu_button(browser, demo_data):
    browser.set_viewport(390, 844)
    browser.login("teamcoach@demo.test", DEMO_PASSWORD)
    toggler = browser.find(".navbar-toggler")
    assert toggler.is_displayed()
    toggler.click()
    browser.wait_for("#main-nav.show", timeout=5)
    browser.check_accessibility()
