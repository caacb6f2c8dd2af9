"""Journey: a researcher compares their coding with their colleague's, follows a
disagreement to both codings and writes the decision as a memo. axe runs on
every page at 390, 800 and 1366 pixels wide (`check_accessibility`)."""

import pytest
from selenium.webdriver.support.ui import Select

from coding import services
from coding.models import Coding, Memo
from tests.coding.factories import FragmentFactory
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

def _submit(browser, css):
    """Submit the form of button `css` by script (a click near the bottom edge of
    the headless window can be intercepted) and wait for the next page."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    old_page = browser.find("html")
    browser.driver.execute_script(
        "arguments[0].form.requestSubmit(arguments[0]);", browser.find(css)
    )

    def old_page_gone(_driver) -> bool:
        try:
            old_page.is_enabled()
        except WebDriverException:
            return True
        return False

    WebDriverWait(browser.driver, 10).until(old_page_gone)
    browser.wait_for("main")
    _check_every_width(browser)


def _check_every_width(browser):
    browser.check_accessibility()  # at the phone, tablet and desktop widths


def test_researcher_discusses_a_disagreement_and_records_the_decision(browser, world):
    fragment = FragmentFactory(
        trajectory=world.trajectory,
        title="Oogst startdialoog",
        text="Het team wil meer ruimte voor dialoog. De aanjager plant een middag.",
    )
    services.coding_add(
        fragment=fragment,
        user=world.researcher,
        start=18,
        end=37,
        new_names=["ruimte voor dialoog"],
    )
    services.coding_add(
        fragment=fragment, user=world.independent, start=0, end=37, new_names=["betrokken team"]
    )
    services.coding_add(
        fragment=fragment,
        user=world.independent,
        start=39,
        end=68,
        new_names=["zichtbare aanjager"],
    )
    services.coding_add(
        fragment=fragment, user=world.researcher, start=39, end=68, new_names=["zichtbare aanjager"]
    )
    mine = Coding.objects.get(coder=world.researcher, code__name="ruimte voor dialoog")
    theirs = Coding.objects.get(coder=world.independent, code__name="betrokken team")

    browser.login(world.researcher.email, TEST_PASSWORD)
    browser.visit(f"/onderzoek/codering/studie/{world.study.pk}/overeenstemming/")
    Select(browser.find("#id_a")).select_by_value(str(world.researcher.pk))
    Select(browser.find("#id_b")).select_by_value(str(world.independent.pk))
    _submit(browser, "main form button[type=submit]")
    overall = browser.find("#agreement-overall").text
    assert "Cohens kappa" in overall
    assert "2 / 4" in overall  # only "zichtbare aanjager" is shared, by both
    browser.set_viewport(1366, 900)
    discuss = browser.find("main a.btn-outline-primary").get_attribute("href")
    browser.visit(discuss.replace(browser.base_url, ""), check=False)
    _check_every_width(browser)
    cards = browser.find_all(".disagreement")
    assert len(cards) == 2

    # Follow the disagreement to both codings on the fragment page.
    browser.set_viewport(1366, 900)
    back = browser.driver.current_url
    links = [
        a.get_attribute("href") for a in cards[0].find_elements("css selector", "a.coding-link")
    ]
    assert any(link.endswith(f"#coding-{mine.pk}") for link in links)
    assert any(link.endswith(f"#coding-{theirs.pk}") for link in links)
    browser.visit(links[0].replace(browser.base_url, ""))
    text = browser.find("main").text
    assert "ruimte voor dialoog" in text and "betrokken team" in text
    assert browser.find(f"#coding-{mine.pk}") and browser.find(f"#coding-{theirs.pk}")

    # Back to the disagreements: write the decision as a memo on the code.
    browser.driver.get(back)
    browser.wait_for("main")
    area = browser.find(f"#memo-{mine.pk}")
    area.send_keys("We houden beide codes; 'ruimte' alleen voor tijd en plek.")
    _submit(browser, f"form:has(#memo-{mine.pk}) button[type=submit]")
    assert "De memo is bewaard." in browser.find("main").text
    memo = Memo.objects.get()
    assert memo.code == mine.code and memo.author == world.researcher
    assert memo.text.startswith("Besluit over ruimte voor dialoog")
    assert memo.text.endswith("alleen voor tijd en plek.")
    assert browser.driver.current_url == back

    # The matrices, the synthesis and the import page pass axe too, heat shading included.
    for path in ("matrix/", "matrix/?by=role", "samenhang/", "samenhang/?mode=fragment",
                 "import/", "synthese/"):
        browser.visit(f"/onderzoek/codering/studie/{world.study.pk}/{path}", check=False)
        _check_every_width(browser)
        if path == "matrix/":
            assert browser.find_all("#code-matrix td.heat-5")
