"""A researcher builds a trajectory summary, watches its progress and downloads the PDF."""

import pytest

from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_researcher_builds_summary_and_downloads_pdf(celery_live, browser, world):
    browser.login(world.researcher.email, TEST_PASSWORD)
    browser.visit("/rapporten/")
    browser.click_and_load("main form button.btn-primary")  # summary for the research team
    # The real worker is building it: the page shows a progress bar first.
    assert browser.find_all("progress#report-progress"), "no progress bar shown"
    link = browser.wait_for("#report-download", timeout=60)
    browser.check_accessibility()
    content_type = browser.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0]).then(r => r.arrayBuffer().then(b => done("
        "[r.headers.get('content-type'), new TextDecoder().decode(b.slice(0, 4))])));",
        link.get_attribute("href"),
    )
    assert content_type == ["application/pdf", "%PDF"]
    browser.visit("/rapporten/")
    assert "Trajectsamenvatting — Het Baken College" in browser.find("main").text
