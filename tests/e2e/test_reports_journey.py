"""A researcher builds a trajectory summary, watches its progress and downloads the PDF."""

import pytest

from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_researcher_builds_summary_and_downloads_pdf(celery_live, browser, world):
    browser.login(world.researcher.email, TEST_PASSWORD)
    browser.visit("/rapporten/")
    # The worker is held while the request is made, so the page is seen with the task queued
    # (a fast build would otherwise finish before the page is read).
    with celery_live.worker.paused():
        browser.click_and_load("main form button.btn-primary")  # summary for the research team
        assert browser.find_all("progress#report-progress"), "no progress bar shown"
        assert "Wacht op zijn beurt" in browser.find("label[for=report-progress]").text
    link = browser.wait_for("#report-download", timeout=60)
    browser.check_accessibility()
    content_type = browser.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0]).then(r => r.arrayBuffer().then(b => done("
        "[r.headers.get('content-type'), new TextDecoder().decode(b.slice(0, 4))])));",
        link.get_attribute("href"),
    )
    assert content_type == ["application/pdf", "%PDF"]
    # Reloaded once ready, the page offers the classification form: axe checks it too.
    browser.driver.get(browser.driver.current_url)
    browser.wait_for("#id_theme")
    browser.check_accessibility()
    browser.visit("/rapporten/")
    assert "Trajectsamenvatting — Het Baken College" in browser.find("main").text


def submit(browser, css: str) -> None:
    """Click a button below the fold: scroll it into view first, at once (Bootstrap
    scrolls smoothly, and a click during the animation misses)."""
    browser.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", browser.find(css)
    )
    browser.click_and_load(css)


def test_researcher_writes_portrait_and_builds_its_pdf(celery_live, browser, world):
    browser.login(world.researcher.email, TEST_PASSWORD)
    browser.visit("/rapporten/")
    browser.click_and_load(f"a[href='/rapporten/portret/{world.organisation.pk}/']")
    browser.fill("#id_student_count", "-3")
    submit(browser, "main form button[type=submit]")  # axe also on the error state
    assert "minstens 0" in browser.find("#id_student_count_error").text
    browser.fill("#id_student_count", "910")
    browser.fill("#id_vision", "Loopbaanbegeleiding is van het hele team; ideeën tellen.")
    submit(browser, "main form button[type=submit]")
    assert "Het portret is opgeslagen." in browser.find("main").text
    assert browser.find("#id_student_count").get_attribute("value") == "910"
    submit(browser, "#portrait-pdf ~ form button[type=submit]")
    browser.wait_for("#report-download", timeout=60)
    browser.check_accessibility()
    assert "Portret — Het Baken College" in browser.find("h1").text
