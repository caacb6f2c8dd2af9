"""Journey: the team coach plans a half-day from the trajectory page and finds it in the calendar."""

from datetime import date, timedelta

import pytest

from lobtraject.demo import DEMO_PASSWORD
from trajectories.models import HalfDay, Membership, Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _set(browser, css, value):
    """datetime-local inputs do not take typed text reliably; set the value directly."""
    element = browser.find(css)
    browser.driver.execute_script("arguments[0].value = arguments[1];", element, value)


def _click(browser, css):
    browser.driver.execute_script("arguments[0].click();", browser.find(css))


def _submit(browser):
    """Submit the page's form and wait for the next page (then axe runs on it)."""
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    old_page = browser.find("html")
    button = browser.find("main form button[type=submit]")
    browser.driver.execute_script("arguments[0].form.requestSubmit(arguments[0]);", button)
    WebDriverWait(browser.driver, 10).until(expected_conditions.staleness_of(old_page))
    browser.wait_for("main")
    browser.check_accessibility()


def test_coach_plans_a_half_day_and_sees_it_in_the_calendar(browser, demo_data):
    trajectory = Membership.objects.get(
        user__email="aanjager@demo.test", role=Role.CHAMPION
    ).trajectory
    # a date inside the trajectory period, in the future
    planned = max(trajectory.starts_on + timedelta(days=60), date.today() + timedelta(days=7))
    assert planned <= trajectory.ends_on

    browser.login("teamcoach@demo.test", DEMO_PASSWORD)
    browser.visit(f"/trajecten/{trajectory.pk}/")
    assert "Volgende stap" in browser.find("main").text
    browser.click_and_load("#plan-half-day")
    assert browser.find("main h1").text == "Dagdeel plannen"
    browser.fill("#id_title", "Intervisie mentoren bovenbouw")
    _set(browser, "#id_starts_at", f"{planned.isoformat()}T13:30")
    _set(browser, "#id_ends_at", f"{planned.isoformat()}T16:30")
    browser.fill("#id_place", "Mediatheek")
    _click(browser, "#id_intervention_types_4")
    _click(browser, "#id_goals_1")
    _submit(browser)
    assert "Het dagdeel is opgeslagen." in browser.find("main").text
    assert HalfDay.objects.filter(title="Intervisie mentoren bovenbouw").exists()

    browser.visit("/trajecten/kalender/")
    months_ahead = (planned.year - date.today().year) * 12 + planned.month - date.today().month
    for _month in range(months_ahead):  # the half-day may lie in a later month
        browser.click_and_load("#month-next")
    text = browser.find("main").text
    assert "Intervisie mentoren bovenbouw" in text
    assert trajectory.organisation.name in text
    browser.visit("/trajecten/kalender/?maand=2027-07")
    assert "Zomerstop" in browser.find("main").text


def test_bad_half_day_shows_dutch_error_and_page_stays_accessible(browser, demo_data):
    trajectory = Membership.objects.get(
        user__email="aanjager@demo.test", role=Role.CHAMPION
    ).trajectory
    browser.login("teamcoach@demo.test", DEMO_PASSWORD)
    browser.visit(f"/trajecten/{trajectory.pk}/planning/nieuw/")
    day = trajectory.starts_on.isoformat()
    _set(browser, "#id_starts_at", f"{day}T15:00")
    _set(browser, "#id_ends_at", f"{day}T14:00")
    _submit(browser)
    assert "Het einde moet na het begin liggen." in browser.find("main").text


def test_champion_pages_are_accessible(browser, demo_data):
    trajectory = Membership.objects.get(
        user__email="aanjager@demo.test", role=Role.CHAMPION
    ).trajectory
    browser.login("aanjager@demo.test", DEMO_PASSWORD)
    for path in ("", "planning/", "startdocument/"):
        browser.visit(f"/trajecten/{trajectory.pk}/{path}")
    browser.logout()
    browser.login("teamcoach@demo.test", DEMO_PASSWORD)
    for path in (
        "uren/",
        "besluit/",
        "werving/",
        "interview/",
        "aanjagers/",
        "startdocument/bewerken/",
    ):
        browser.visit(f"/trajecten/{trajectory.pk}/{path}")
