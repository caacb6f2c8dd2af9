"""Browser journey: a champion writes, leaves mid-way, comes back and finds the draft."""

import time

import pytest
from django.utils import timezone

from logbooks.models import Entry, EntryStatus
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _wait_until(condition, timeout=8.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _scroll_to(browser, css):
    browser.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", browser.find(css)
    )


def test_champion_draft_survives_leaving_the_page(browser, world):
    year, week, _day = timezone.localdate().isocalendar()
    write_path = f"/logboek/{world.trajectory.pk}/week/{year}/{week}/"
    browser.login(world.champion.email, TEST_PASSWORD)
    browser.visit("/logboek/")
    assert browser.find("main h1").text == "Mijn logboek"
    browser.click_and_load(f"a[href='{write_path}']")
    assert "Spelling en zinsbouw doen er hier niet toe" in browser.find("main").text

    browser.fill("#id_actions", "Vandaag sprak ik met de mentoren over de keuzeweek")
    _scroll_to(browser, "input[name=goals][value='2']")
    browser.find("input[name=goals][value='2']").click()
    assert _wait_until(
        lambda: "Concept opgeslagen" in browser.find("#logbook-autosave-status").text
    ), "autosave did not report"
    browser.check_accessibility()

    # Leave mid-way, as if the tab were closed, and come back later.
    browser.visit("/")
    browser.visit(write_path)
    textarea = browser.find("#id_actions")
    assert textarea.get_attribute("value") == "Vandaag sprak ik met de mentoren over de keuzeweek"
    assert browser.find("input[name=goals][value='2']").is_selected()
    entry = Entry.objects.get(author=world.champion)
    assert entry.status == EntryStatus.DRAFT

    browser.fill("#id_hindered", "Weinig tijd door de toetsweek")
    _scroll_to(browser, "#logbook-submit")
    browser.click_and_load("#logbook-submit")
    assert "Je logboekbijdrage is opgeslagen" in browser.find("main").text
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED
    assert entry.hindered == "Weinig tijd door de toetsweek"


def test_unsent_copy_is_offered_back_from_local_storage(browser, world):
    year, week, _day = timezone.localdate().isocalendar()
    write_path = f"/logboek/{world.trajectory.pk}/week/{year}/{week}/"
    browser.login(world.champion.email, TEST_PASSWORD)
    browser.visit(write_path)
    key = f"logbook-{world.champion.pk}-{world.trajectory.pk}-{year}-{week}"
    # What a browser keeps when the session expired before the autosave got through.
    browser.driver.execute_script(
        "localStorage.setItem(arguments[0], JSON.stringify({data: {actions: arguments[1],"
        " goals: []}, at: Date.now()}));",
        key,
        "Tekst van voor het verlopen van de sessie",
    )
    browser.visit(write_path)
    assert browser.find("#logbook-restore").is_displayed()
    _scroll_to(browser, "#logbook-restore-button")
    browser.find("#logbook-restore-button").click()
    assert (
        browser.find("#id_actions").get_attribute("value")
        == "Tekst van voor het verlopen van de sessie"
    )
    assert _wait_until(lambda: Entry.objects.filter(author=world.champion).exists())


def test_researcher_timeline_is_accessible(browser, world):
    from datetime import date

    from django.core.files.base import ContentFile

    from logbooks import services
    from tests.logbooks.factories import EntryFactory, NoteFactory

    entry = EntryFactory(
        trajectory=world.trajectory,
        author=world.champion,
        goal_1=True,
        goal_3=True,
        effects="Collega's stelden meer vragen.",
    )
    NoteFactory(
        trajectory=world.trajectory, created_by=world.researcher, occurred_on=date(2026, 9, 3)
    )
    from research.models import ConsentKind
    from tests.factories import give_consent

    give_consent(trajectory=world.trajectory, kind=ConsentKind.NOTES, email="a@school.test")
    services.email_import(
        trajectory=world.trajectory,
        uploaded=ContentFile(
            b"From: a@school.test\r\nTo: b@lob.test\r\nSubject: Planning\r\n\r\nHallo\r\n",
            name="m.eml",
        ),
        created_by=world.researcher,
    )
    browser.login(world.researcher.email, TEST_PASSWORD)
    browser.visit(f"/logboek/{world.trajectory.pk}/tijdlijn/")
    assert "Tijdlijn van Het Baken College" in browser.find("main h1").text
    assert len(browser.find_all("main .card")) == 3
    browser.visit(f"/logboek/{world.trajectory.pk}/tijdlijn/?q=vragen&source=entry")
    assert len(browser.find_all("main .card")) == 1
    browser.visit(f"/logboek/bijdrage/{entry.pk}/")
    browser.visit("/logboek/")
    browser.visit(f"/logboek/{world.trajectory.pk}/notitie/")
    browser.visit(f"/logboek/{world.trajectory.pk}/email/")


def test_uploaded_voice_message_plays_back(browser, world, tmp_path):
    from tests.logbooks.audio_samples import wav_bytes

    year, week, _day = timezone.localdate().isocalendar()
    write_path = f"/logboek/{world.trajectory.pk}/week/{year}/{week}/"
    sound = tmp_path / "bericht.wav"
    sound.write_bytes(wav_bytes(seconds=1.5))
    browser.login(world.champion.email, TEST_PASSWORD)
    browser.visit(write_path)
    browser.find("#id_audio").send_keys(str(sound))
    _scroll_to(browser, "#logbook-audio-upload")
    browser.click_and_load("#logbook-audio-upload")
    assert "Spraakbericht toegevoegd" in browser.find("main").text
    duration = browser.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "const audio = document.querySelector('main audio');"
        "if (audio.readyState >= 1) { done(audio.duration); return; }"
        "audio.addEventListener('loadedmetadata', () => done(audio.duration));"
        "audio.addEventListener('error', () => done(-1));"
        "audio.load();"
    )
    assert 1.4 < duration < 1.6


def test_coach_pages_are_accessible(browser, world):
    year, week, _day = timezone.localdate().isocalendar()
    browser.login(world.coach.email, TEST_PASSWORD)
    browser.visit("/logboek/instellingen/")
    browser.find("#id_reminder_weekday option[value='1']").click()
    _scroll_to(browser, "main form button[type=submit]")
    browser.click_and_load("main form button[type=submit]")
    assert "Je logboekinstellingen zijn opgeslagen" in browser.find("main").text
    browser.visit(f"/logboek/{world.trajectory.pk}/week/{year}/{week}/")
    assert not browser.find_all("#id_shared_with_coach")  # the coach does not share with itself
