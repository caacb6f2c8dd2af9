"""Journey: a researcher codes a fragment by selecting text, codes another span
through the number fields, merges the two codes and exports a .qdpx (progress,
then a download link). axe runs on every page."""

import pytest

from coding import services
from coding.models import Code, Coding, Fragment
from tests.coding.factories import make_material
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.celery, pytest.mark.django_db(transaction=True)]

SELECT_TEXT = """
const container = document.getElementById('fragment-text');
const node = container.firstChild;
const range = document.createRange();
range.setStart(node, arguments[0]);
range.setEnd(node, arguments[1]);
const selection = window.getSelection();
selection.removeAllRanges();
selection.addRange(range);
container.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
"""


def _submit(browser, css):
    """Submit the form of button `css` and wait for the next page (then axe).

    requestSubmit instead of a click: the headless window is short and a
    mouse click on a button near its bottom edge can be intercepted.
    """
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
    browser.check_accessibility()


def test_researcher_codes_merges_and_exports_qdpx(celery_live, browser, world):
    make_material(world)
    services.fragments_sync()
    fragment = Fragment.objects.get(kind="note")
    browser.login(world.researcher.email, TEST_PASSWORD)

    browser.visit("/onderzoek/codering/")
    assert fragment.title in browser.find("main").text
    browser.visit(f"/onderzoek/codering/fragment/{fragment.pk}/")

    # Open coding with the mouse: the selection becomes offsets in the form.
    browser.driver.execute_script(SELECT_TEXT, 0, 10)
    assert browser.find("#id_start").get_attribute("value") == "0"
    assert browser.find("#id_end").get_attribute("value") == "10"
    assert fragment.text[0:10].replace("\n", " ") in browser.find("#selection-preview").text
    browser.fill("#id_new_codes", "betrokken team")
    _submit(browser, "#coding-submit")
    assert "betrokken team" in browser.find("main").text
    assert browser.find_all("#fragment-text mark.coded")

    # The same without a mouse: type the positions.
    browser.fill("#id_start", "2")
    browser.fill("#id_end", "14")
    browser.fill("#id_new_codes", "team doet mee")
    _submit(browser, "#coding-submit")
    assert Coding.objects.filter(fragment=fragment, coder=world.researcher).count() == 2

    # Axial coding: merge the second code into the first.
    source = Code.objects.get(name="team doet mee")
    target = Code.objects.get(name="betrokken team")
    browser.visit(f"/onderzoek/codering/code/{source.pk}/")
    browser.driver.execute_script("window.confirm = () => true;")
    from selenium.webdriver.support.ui import Select

    Select(browser.find("#id_target")).select_by_value(str(target.pk))
    _submit(browser, "#merge-form button[type=submit]")
    assert not Code.objects.filter(pk=source.pk).exists()
    assert target.codings.count() == 2
    assert "2 coderingen" in browser.find("main").text

    # Codebook, then the export in the background with a progress bar.
    browser.visit(f"/onderzoek/codering/studie/{world.study.pk}/codeboek/")
    assert "betrokken team" in browser.find("main").text
    browser.visit(f"/onderzoek/codering/studie/{world.study.pk}/export/")
    Select(browser.find("#id_fmt")).select_by_value("qdpx")
    _submit(browser, "#export-submit")
    assert browser.find_all("#export-status")
    link = browser.wait_for("#export-download", timeout=60)
    browser.check_accessibility()
    head = browser.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0]).then(r => r.arrayBuffer().then(b => done("
        "Array.from(new Uint8Array(b.slice(0, 2))))));",
        link.get_attribute("href"),
    )
    assert head == [0x50, 0x4B]  # "PK": a zip archive
