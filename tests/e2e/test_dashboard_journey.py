"""Journeys through the dashboards: a manager reads the dashboard of their
organisation; a team coach sorts the overview. axe runs on every page
(browser.visit / click_and_load) and again after opening the chart tables."""

import pytest

from lobtraject.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _assert_charts_have_text_alternatives(browser):
    charts = browser.find_all("svg.chart")
    assert len(charts) >= 4  # half-days, hours, logbook rhythm, goal progress
    for chart in charts:
        assert chart.get_attribute("role") == "img"
        title_id, desc_id = chart.get_attribute("aria-labelledby").split()
        title = browser.driver.execute_script(
            "return document.getElementById(arguments[0]).textContent", title_id
        )
        desc = browser.driver.execute_script(
            "return document.getElementById(arguments[0]).textContent", desc_id
        )
        assert title.strip() and desc.strip()
        # Chromium's accessibility tree names the image after its title and desc.
        assert title.strip() in chart.accessible_name
        # The chart is drawn (the stylesheet scales it, CSP did not block it).
        assert chart.size["width"] > 100 and chart.size["height"] > 20


def test_manager_logs_in_and_reads_the_dashboard(browser, demo_data):
    browser.login("manager@demo.test", DEMO_PASSWORD)
    assert browser.find("main h1").text == "Voortgang van je organisatie"
    browser.click_and_load("#landing-dashboard")
    assert browser.find("main h1").text == "Dashboard"
    assert browser.find("nav a.nav-link.active").text == "Dashboard"
    panel = browser.find("section.dashboard-panel")
    assert "Fase:" in panel.text
    assert "Volgende stap:" in panel.text
    _assert_charts_have_text_alternatives(browser)

    # Every chart has a table with the same figures; open them all and re-check axe.
    summaries = browser.find_all("details.chart-table summary")
    assert len(summaries) == len(browser.find_all("svg.chart"))
    for summary in summaries:
        browser.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", summary
        )
        summary.click()
    tables = browser.find_all("details.chart-table[open] table")
    assert len(tables) == len(summaries)
    assert all(table.is_displayed() for table in tables)
    rhythm_table = tables[2]
    assert "wk" in rhythm_table.text
    # All writers together per week, never a column per role (a role is often one person).
    assert "aanjager" not in rhythm_table.text.lower()
    browser.check_accessibility()

    # The harvest report status is shown as a status, without any report text.
    assert browser.find_all(".harvest-status")


def test_manager_dashboard_reads_well_on_a_phone(browser, demo_data):
    browser.set_viewport(390, 844)
    browser.login("manager@demo.test", DEMO_PASSWORD)
    browser.visit("/dashboard/")
    for chart in browser.find_all("svg.chart"):
        assert chart.size["width"] <= 390


def test_team_coach_sorts_the_overview(browser, demo_data):
    browser.login("teamcoach@demo.test", DEMO_PASSWORD)
    browser.visit("/dashboard/")  # the coach is sent on to the overview
    assert browser.find("main h1").text == "Overzicht van mijn trajecten"
    action = browser.find('th[data-sort-key="action"]')
    assert action.get_attribute("aria-sort") == "descending"
    browser.click_and_load('th[data-sort-key="organisation"] a')
    header = browser.find('th[data-sort-key="organisation"]')
    assert header.get_attribute("aria-sort") == "ascending"
    names = [row.find_element("css selector", "td a").text for row in browser.find_all("tbody tr")]
    assert names == sorted(names, key=str.casefold)
    browser.click_and_load('th[data-sort-key="organisation"] a')
    assert browser.find('th[data-sort-key="organisation"]').get_attribute("aria-sort") == (
        "descending"
    )
