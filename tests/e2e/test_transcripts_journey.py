"""Journey: a champion records a voice message (Chromium's fake microphone plays Dutch
speech made by espeak-ng), follows the real Celery worker transcribing it, corrects the
draft beside the player and approves it; a researcher codes a span of the pseudonymised
text. axe runs on every page, the transcript page at 390, 800 and 1366 px."""

import shutil
import tempfile
import time
import wave

import pytest
from django.utils import timezone

from coding import services as coding_services
from coding.models import Coding, Fragment
from tests.e2e.conftest import CHROMEDRIVER, CHROMIUM, Browser
from tests.e2e.test_coding_journey import _submit
from tests.factories import TEST_PASSWORD
from tests.transcripts import speech
from transcripts.models import Transcript

pytestmark = [pytest.mark.e2e, pytest.mark.celery, pytest.mark.django_db(transaction=True)]

RECORD_SECONDS = 45  # more than one 30-second window of the model: the bar moves in steps


@pytest.fixture(scope="module")
def microphone_driver(tmp_path_factory):
    """A Chromium whose microphone plays Dutch speech (fake device, no permission prompt)."""
    if speech.ESPEAK is None:
        pytest.fail("espeak-ng is needed (apt-get install espeak-ng)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    folder = tmp_path_factory.mktemp("microphone")
    sound = speech.speak_wav(speech.SENTENCES, folder / "spraak.wav")
    with wave.open(str(sound)) as check:
        assert check.getsampwidth() == 2
    profile = tempfile.mkdtemp(prefix="lob-chromium-mic-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--lang=nl-NL",
        f"--user-data-dir={profile}",
        "--window-size=1280,900",
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={sound}",
        "--autoplay-policy=no-user-gesture-required",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def mic_browser(microphone_driver, live_server):
    microphone_driver.delete_all_cookies()
    yield Browser(microphone_driver, live_server.url)
    microphone_driver.delete_all_cookies()


def _follow_progress(browser, timeout: float = 420) -> list[tuple[int, int]]:
    """(bar value, segments shown) as the page polls, until it reloads with the draft."""
    from selenium.common.exceptions import WebDriverException

    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = browser.driver.execute_script(
                "const bar = document.getElementById('transcript-bar');"
                "const live = document.querySelectorAll('#transcript-live li').length;"
                "const form = document.getElementById('transcript-form');"
                "return [bar ? bar.value : -1, live, !!form];"
            )
        except WebDriverException:
            time.sleep(0.3)
            continue
        if state[2]:
            return seen
        if state[0] >= 0 and (not seen or seen[-1] != (state[0], state[1])):
            seen.append((int(state[0]), int(state[1])))
        time.sleep(0.3)
    pytest.fail(f"the transcription did not finish in {timeout} s; seen {seen}")


def test_champion_records_corrects_and_approves_researcher_codes(celery_live, mic_browser, world):
    browser = mic_browser
    year, week, _day = timezone.localdate().isocalendar()
    browser.login(world.champion.email, TEST_PASSWORD)
    browser.visit(f"/logboek/{world.trajectory.pk}/week/{year}/{week}/")

    # Record with the browser's MediaRecorder (WebM/Opus), as a champion does.
    browser.driver.execute_script(
        "document.getElementById('logbook-record-start').scrollIntoView({block: 'center'});"
    )
    browser.driver.execute_script("document.getElementById('logbook-record-start').click();")
    time.sleep(RECORD_SECONDS)
    old_page = browser.find("html")
    browser.driver.execute_script("document.getElementById('logbook-record-stop').click();")
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    def reloaded(_driver):
        try:
            old_page.is_enabled()
        except WebDriverException:
            return True
        return False

    WebDriverWait(browser.driver, 30).until(reloaded)
    link = browser.wait_for("main a[href^='/transcripties/']", timeout=10)
    browser.check_accessibility()
    transcript = Transcript.objects.get()
    assert transcript.audio_kind == "logbook_clip"

    # The transcript page follows the worker: the bar moves and segments appear.
    browser.driver.execute_script("arguments[0].click();", link)
    browser.wait_for("main h1")
    if Transcript.objects.get().in_progress:
        browser.check_accessibility()
    seen = _follow_progress(browser)
    transcript.refresh_from_db()
    assert transcript.status == "draft", transcript.error
    assert transcript.duration > RECORD_SECONDS - 6
    said = list(transcript.segments.values_list("start", "end", "text"))
    # Whisper cuts the recording into one or more segments (how many depends on the
    # decoding, which varied between runs: one segment of 30-45 s was seen).
    assert len(said) >= 1 and all(text.strip() for _s, _e, text in said), said
    # At least one moment between "nothing yet" and "done" was shown on the page.
    assert any(0 < value < 100 or shown > 0 for value, shown in seen), seen
    for width in (390, 800, 1366):
        browser.set_viewport(width, 900)
        browser.check_accessibility()
    browser.set_viewport(1280, 900)

    # A time plays the recording from there.
    last = transcript.segments.order_by("position").last()
    browser.driver.execute_script(
        "const times = document.querySelectorAll('.transcript-time');"
        "times[times.length - 1].click();"
    )
    position = browser.driver.execute_script(
        "return document.getElementById('transcript-audio').currentTime;"
    )
    assert abs(position - last.start) < 1.0

    # Correct the first segment (a name said aloud stays: it is pseudonymised later).
    first = transcript.segments.order_by("position").first()
    corrected = "Vandaag heb ik met mijn maatje Sanne de Vries het dagdeel voorbereid."
    browser.fill(f"#segment-{first.pk}", corrected)
    _submit(browser, "#transcript-form button[value=approve]")
    assert "goedgekeurd" in browser.find("main").text
    transcript.refresh_from_db()
    assert transcript.status == "approved" and transcript.text.startswith(corrected)

    # The researcher codes a span of the pseudonymised text.
    coding_services.fragments_sync()
    fragment = Fragment.objects.get(kind="transcript")
    assert "Sanne" not in fragment.text and "Vries" not in fragment.text
    start = fragment.text.index("maatje")
    browser.logout()
    browser.login(world.researcher.email, TEST_PASSWORD)
    browser.visit(f"/onderzoek/codering/fragment/{fragment.pk}/")
    browser.fill("#id_start", str(start))
    browser.fill("#id_end", str(start + len("maatje")))
    browser.fill("#id_new_codes", "samen met het maatje")
    _submit(browser, "#coding-submit")
    coding = Coding.objects.get(fragment=fragment)
    assert (coding.start, coding.end) == (start, start + len("maatje"))
