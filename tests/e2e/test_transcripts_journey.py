"""Journey: a champion records a voice message (Chromium's fake microphone plays Dutch
speech made by espeak-ng), follows the real Celery worker transcribing it, corrects the
draft beside the player and approves it; a researcher codes a span of the pseudonymised
text. axe runs on every page, the transcript page at 390, 800 and 1366 px."""

import shutil
import time
import wave

import pytest
from django.utils import timezone

from coding import services as coding_services
from coding.models import Coding, Fragment
from tests.e2e.conftest import Browser, start_chromium
from tests.e2e.test_coding_journey import _submit
from tests.factories import TEST_PASSWORD
from tests.transcripts import speech
from transcripts.models import Transcript

pytestmark = [pytest.mark.e2e, pytest.mark.celery, pytest.mark.django_db(transaction=True)]

RECORD_SECONDS = 12  # the spoken sentences (about 9 s) once, and a little silence


@pytest.fixture(scope="module")
def microphone_driver(tmp_path_factory):
    """A Chromium whose microphone plays Dutch speech (fake device, no permission prompt)."""
    if speech.ESPEAK is None:
        pytest.fail("espeak-ng is needed (apt-get install espeak-ng)")
    folder = tmp_path_factory.mktemp("microphone")
    sound = speech.speak_wav(speech.SENTENCES, folder / "spraak.wav")
    with wave.open(str(sound)) as check:
        assert check.getsampwidth() == 2
    driver, profile = start_chromium(
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={sound}",
        "--autoplay-policy=no-user-gesture-required",
        prefix="lob-chromium-mic-",
    )
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def mic_browser(microphone_driver, live_server):
    microphone_driver.delete_all_cookies()
    yield Browser(microphone_driver, live_server.url)
    microphone_driver.delete_all_cookies()


def _wait_for_draft(browser, timeout: float = 300) -> None:
    """Until the page, polling the worker's progress, reloads with the draft's form."""
    from selenium.common.exceptions import WebDriverException

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if browser.driver.execute_script("return !!document.getElementById('transcript-form');"):
                return
        except WebDriverException:
            pass  # the page is reloading
        time.sleep(0.3)
    pytest.fail(f"the transcription did not finish in {timeout} s")


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
    _wait_for_draft(browser)
    transcript.refresh_from_db()
    assert transcript.status == "draft", transcript.error
    assert transcript.duration > RECORD_SECONDS - 6
    said = list(transcript.segments.values_list("start", "end", "text"))
    # Whisper cuts the recording into one or more segments (how many depends on the
    # decoding). That the bar moves while it runs is tested step by step below, without
    # racing the worker.
    assert len(said) >= 1 and all(text.strip() for _s, _e, text in said), said
    words = " ".join(text for _s, _e, text in said).lower()
    assert "maatje" in words, said
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


def test_the_page_follows_the_machine_segment_by_segment(browser, world):
    """The transcript page polls while the machine runs: the bar moves and each stored
    segment appears, then the page reloads with the draft to correct. The machine's part
    is played by the test, one step at a time, so no step can be missed."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from logbooks import services as logbook_services
    from logbooks.models import Entry
    from tests.logbooks.audio_samples import SAMPLES
    from transcripts.models import Segment, TranscriptStatus

    year, week, _day = timezone.localdate().isocalendar()
    entry = Entry.objects.create(
        trajectory=world.trajectory,
        author=world.champion,
        author_role="champion",
        iso_year=year,
        iso_week=week,
        week_start=Entry.monday(year, week),
    )
    clip = logbook_services.audio_add(
        entry=entry, uploaded=SimpleUploadedFile("spraak.wav", SAMPLES["opname.wav"][0])
    )
    transcript = Transcript.objects.get(audio_kind="logbook_clip", audio_id=clip.pk)
    Transcript.objects.filter(pk=transcript.pk).update(
        status=TranscriptStatus.RUNNING, duration=30.0, done_seconds=0, attempts=1
    )
    browser.login(world.champion.email, TEST_PASSWORD)
    browser.visit(f"/transcripties/{transcript.pk}/")
    browser.check_accessibility()

    def page_state():
        return browser.driver.execute_script(
            "const bar = document.getElementById('transcript-bar');"
            "return [bar ? Number(bar.value) : -1,"
            " Array.from(document.querySelectorAll('#transcript-live li'))"
            "   .map(item => item.textContent)];"
        )

    def wait_until(check, what: str, timeout: float = 10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = page_state()
            if check(state):
                return state
            time.sleep(0.2)
        pytest.fail(f"{what}: the page shows {page_state()}")

    assert page_state() == [0, []]
    for number, (start, end, text) in enumerate(
        [(0.0, 9.5, "Vandaag heb ik het dagdeel voorbereid."), (9.5, 21.0, "Met mijn maatje.")]
    ):
        Segment.objects.create(
            transcript=transcript,
            position=number,
            start=start,
            end=end,
            machine_text=text,
            text=text,
        )
        Transcript.objects.filter(pk=transcript.pk).update(done_seconds=end)
        percent = int(end * 100 // 30)
        value, shown = wait_until(
            lambda state, n=number, p=percent: state[0] == p and len(state[1]) == n + 1,
            f"segment {number + 1} at {percent} %",
        )
        assert shown[-1].endswith(text) and shown[-1].startswith(f"0:{int(start):02d}")
    browser.check_accessibility()

    Transcript.objects.filter(pk=transcript.pk).update(
        status=TranscriptStatus.DRAFT, done_seconds=30.0
    )
    browser.wait_for("#transcript-form", timeout=10)
    assert "Met mijn maatje." in browser.find("#transcript-form").get_attribute("innerHTML")
