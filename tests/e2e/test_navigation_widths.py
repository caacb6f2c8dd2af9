"""The navigation fits at 390, 800, 1024 and 1366 px for the person with the most
menu items (a researcher): no sideways scrolling, one row at 1366 px with the
name unbroken, a collapsed menu below 1200 px, a readable log-out button."""

import pytest

from tests.factories import (
    TEST_PASSWORD,
    MembershipFactory,
    StudyMembershipFactory,
    TrajectoryFactory,
    UserFactory,
)
from trajectories.models import Role, StudyRole

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OVERFLOW = "return document.documentElement.scrollWidth - window.innerWidth;"


def test_navigation_fits_at_every_width(browser):
    researcher = UserFactory(first_name="Annemiek", infix="van den", last_name="Heuvel-Bouzid")
    trajectory = TrajectoryFactory()
    MembershipFactory(trajectory=trajectory, user=researcher, role=Role.RESEARCHER)
    StudyMembershipFactory(study=trajectory.study, user=researcher, role=StudyRole.RESEARCHER)
    browser.login(researcher.email, TEST_PASSWORD)
    for width in (390, 800, 1024, 1366):
        browser.set_viewport(width, 900)
        browser.visit("/trajecten/")
        assert browser.driver.execute_script(OVERFLOW) <= 0, f"sideways scrolling at {width} px"
        toggler = browser.find(".navbar-toggler")
        if width < 1200:
            assert toggler.is_displayed(), f"the menu does not collapse at {width} px"
            toggler.click()
            browser.wait_for("#main-nav.show")
            assert browser.find("#main-nav button[type=submit]").is_displayed()
            assert browser.driver.execute_script(OVERFLOW) <= 0
            browser.check_accessibility()
        else:
            assert not toggler.is_displayed()
            name = browser.find(".nav-user-name")
            line = browser.driver.execute_script(
                "const s = getComputedStyle(arguments[0]);"
                "const inner = arguments[0].getBoundingClientRect().height"
                " - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom);"
                "return inner / parseFloat(s.lineHeight);",
                name,
            )
            assert line < 1.5, "the user's name wraps"
            bar = browser.find("nav.navbar").rect["height"]
            assert bar < 80, f"the navigation takes {bar} px: it wraps"
    # The research pages sit in one menu.
    browser.find("#nav-research").click()
    labels = [item.text for item in browser.find_all("#main-nav .dropdown-menu .dropdown-item")]
    assert labels == ["Rapporten", "Codering", "Toestemming en sleutel", "Mijn toestemming"]
    # "Mijn toestemming" leads to the person's own consent page (one trajectory: straight
    # there), readable at every width.
    browser.click_and_load("#main-nav a.dropdown-item[href='/onderzoek/mijn-toestemming/']")
    assert browser.find("main h1").text == "Mijn toestemming"
    assert browser.driver.current_url.endswith(f"/onderzoek/mijn-toestemming/{trajectory.pk}/")
    for width in (390, 800):
        browser.set_viewport(width, 900)
        browser.check_accessibility()
