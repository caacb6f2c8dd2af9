"""Browser tests: Debian's Chromium, headless, driven by Selenium, with axe-core.

Every page a test opens through `browser.visit()` (or checks with
`browser.check_accessibility()` after a click) is scanned by axe-core, vendored
in static/vendor/axe-core; any violation fails the test.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests import services

E2E_DIR = Path(__file__).resolve().parent


# A conftest's `pytestmark` marks nothing, so the browser tests get their marks here.
def pytest_collection_modifyitems(items):
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.slow)


CHROMIUM = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER_BINARY", "/usr/bin/chromedriver")

# WCAG 2.1 A and AA plus axe's best practices.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


# The widths every page is checked at.
WIDTHS = (390, 800, 1366)


class Browser:
    def __init__(self, driver, base_url: str):
        self.driver = driver
        self.base_url = base_url
        self.pages_checked: list[str] = []

    def visit(self, path: str, *, check: bool = True):
        self.driver.get(self.base_url + path)
        if check:
            self.check_accessibility()
        return self

    def check_accessibility(self) -> None:
        """Run axe-core on the current page at every width of WIDTHS (a phone, a
        small laptop or tablet, a desktop), then restore the window, and fail on
        any violation. color-contrast is part of wcag2aa and runs each time."""
        driver = self.driver
        size = driver.get_window_size()
        try:
            for width in WIDTHS:
                driver.set_window_size(width, size["height"])
                self._run_axe(width)
        finally:
            driver.set_window_size(size["width"], size["height"])

    def _run_axe(self, width: int) -> None:
        driver = self.driver
        if not driver.execute_script("return typeof window.axe !== 'undefined'"):
            # Load the vendored axe-core as a same-origin script, which the page's
            # Content-Security-Policy allows.
            loaded = driver.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "const s = document.createElement('script');"
                "s.src = '/static/vendor/axe-core/axe.min.js';"
                "s.onload = () => done(true); s.onerror = () => done(false);"
                "document.head.appendChild(s);"
            )
            assert loaded, "could not load axe-core from static/vendor"
        result = driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, arguments[0])"
            ".then(r => done(JSON.stringify(r.violations)))"
            ".catch(e => done(JSON.stringify([{id: 'axe-error', help: String(e), nodes: []}])));",
            AXE_OPTIONS,
        )
        violations = json.loads(result)
        self.pages_checked.append((driver.current_url, width))
        if violations:
            lines = [
                f"axe-core found {len(violations)} violation(s) on {driver.current_url} "
                f"at {width} px:"
            ]
            for violation in violations:
                targets = [", ".join(node.get("target", [])) for node in violation["nodes"][:5]]
                lines.append(f"- {violation['id']}: {violation['help']} at {targets}")
            pytest.fail("\n".join(lines), pytrace=False)

    def find(self, css: str):
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str):
        from selenium.webdriver.common.by import By

        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def fill(self, css: str, value: str) -> None:
        element = self.find(css)
        element.clear()
        element.send_keys(value)

    def wait_for(self, css: str, timeout: float = 5.0):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions
        from selenium.webdriver.support.ui import WebDriverWait

        return WebDriverWait(self.driver, timeout).until(
            expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css))
        )

    def click_and_load(self, css: str, *, check: bool = True, timeout: float = 10.0) -> None:
        """Click something that loads a new page, wait until it has, then run axe."""
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.support.ui import WebDriverWait

        old_page = self.find("html")
        target = self.find(css)
        # A button below the fold (a phone, a long page) is scrolled to, as a person would.
        self.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", target
        )
        target.click()

        def old_page_gone(_driver) -> bool:
            # Chromium reports a node of an unloaded page either as stale or as
            # "does not belong to the document"; both mean the new page is there.
            try:
                old_page.is_enabled()
            except WebDriverException:
                return True
            return False

        WebDriverWait(self.driver, timeout).until(old_page_gone)
        self.wait_for("main")
        if check:
            self.check_accessibility()

    def login(self, email: str, password: str) -> None:
        self.visit("/account/inloggen/")
        self.fill("#id_username", email)
        self.fill("#id_password", password)
        self.click_and_load("main form button[type=submit]")

    def logout(self) -> None:
        self.driver.delete_all_cookies()

    def set_viewport(self, width: int, height: int) -> None:
        self.driver.set_window_size(width, height)


def start_chromium(*extra_flags: str, prefix: str = "lob-chromium-"):
    """Debian's headless Chromium with a fresh profile, as every browser test drives it;
    `extra_flags` add to the common ones (the transcript journey's fake microphone).
    Returns (driver, profile folder); the caller quits the driver and removes the folder."""
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        services.skip_or_fail(f"Chromium ({CHROMIUM}) and ChromeDriver ({CHROMEDRIVER}) needed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix=prefix)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--lang=nl-NL",
        f"--user-data-dir={profile}",
        "--window-size=1280,900",
        *extra_flags,
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    return driver, profile


@pytest.fixture(scope="session")
def chromium_driver():
    driver, profile = start_chromium()
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def browser(chromium_driver, live_server):
    chromium_driver.delete_all_cookies()
    chromium_driver.set_window_size(1280, 900)
    yield Browser(chromium_driver, live_server.url)
    chromium_driver.delete_all_cookies()
