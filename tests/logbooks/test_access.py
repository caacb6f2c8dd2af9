"""Access for every persona on every logbook page and file.

Managers never get logbook text or audio; the team coach reads a champion's
entry only when it is shared; outsiders learn nothing (404).
"""

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from logbooks import services
from logbooks.models import AudioClip, EmailAttachment
from tests.conftest import PERSONAS
from tests.factories import give_consent
from tests.logbooks.audio_samples import SAMPLES
from tests.logbooks.factories import EntryFactory, NoteFactory

pytestmark = pytest.mark.django_db

OK, FORBIDDEN, NOT_FOUND = 200, 403, 404
WRITERS = {"coach", "champion", "buddy"}
TEAM_READERS = {"researcher", "independent"}


def expected(allowed, persona):
    if persona in allowed:
        return OK
    if persona == "outsider":
        return NOT_FOUND
    return FORBIDDEN


@pytest.fixture
def setup(world):
    year, week, _d = timezone.localdate().isocalendar()
    private = EntryFactory(
        trajectory=world.trajectory, author=world.champion, iso_year=year - 1, iso_week=10
    )
    shared = EntryFactory(
        trajectory=world.trajectory,
        author=world.champion,
        iso_year=year - 1,
        iso_week=11,
        shared_with_coach=True,
    )
    clips = {}
    for name, entry in (("private", private), ("shared", shared)):
        clip = AudioClip(entry=entry, content_type="audio/wav", size=10)
        clip.file.save("x.wav", ContentFile(SAMPLES["opname.wav"][0]), save=False)
        clip.save()
        clips[name] = clip
    give_consent(trajectory=world.trajectory, kind="notes", email="a@b.nl")
    email = services.email_import(
        trajectory=world.trajectory,
        uploaded=ContentFile(
            b"From: a@b.nl\r\nSubject: Planning\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\n"
            b"Content-Type: text/plain\r\n\r\nHallo\r\n--XX\r\n"
            b"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=a.pdf"
            b"\r\n\r\n%PDF\r\n--XX--\r\n",
            name="m.eml",
        ),
        created_by=world.researcher,
    )
    NoteFactory(trajectory=world.trajectory, created_by=world.researcher)
    t = world.trajectory.pk
    return {
        "index": ("/logboek/", WRITERS | TEAM_READERS | {"outsider"}),
        "settings": ("/logboek/instellingen/", WRITERS | {"outsider"}),
        "write": (f"/logboek/{t}/week/{year}/{week}/", WRITERS),
        "entry_private": (f"/logboek/bijdrage/{private.pk}/", {"champion"} | TEAM_READERS),
        "entry_shared": (f"/logboek/bijdrage/{shared.pk}/", {"champion", "coach"} | TEAM_READERS),
        "audio_private": (f"/logboek/audio/{clips['private'].pk}/", {"champion"} | TEAM_READERS),
        "audio_shared": (
            f"/logboek/audio/{clips['shared'].pk}/",
            {"champion", "coach"} | TEAM_READERS,
        ),
        "timeline": (f"/logboek/{t}/tijdlijn/", {"coach"} | TEAM_READERS),
        "email_upload": (f"/logboek/{t}/email/", {"coach"} | TEAM_READERS),
        "note_create": (f"/logboek/{t}/notitie/", TEAM_READERS),
        "attachment": (
            f"/logboek/bijlage/{EmailAttachment.objects.get(email=email).pk}/",
            {"coach"} | TEAM_READERS,
        ),
    }


PAGES = [
    "index",
    "settings",
    "write",
    "entry_private",
    "entry_shared",
    "audio_private",
    "audio_shared",
    "timeline",
    "email_upload",
    "note_create",
    "attachment",
]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_per_persona(world, client_for, setup, page, persona):
    url, allowed = setup[page]
    response = client_for(world.users[persona]).get(url)
    if page == "index" and persona == "outsider":
        assert response.status_code == OK
        assert "Het Baken College" not in response.content.decode()
        return
    assert response.status_code == expected(allowed, persona), (page, persona)


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_login(client, setup, page):
    url, _allowed = setup[page]
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response["Location"] or "inloggen" in response["Location"]


@pytest.mark.parametrize("page", [p for p in PAGES if p != "index"])
def test_manager_never_gets_logbook_pages_or_files(world, client_for, setup, page):
    url, _allowed = setup[page]
    assert client_for(world.manager).get(url).status_code in (403, 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_posts_per_persona(world, client_for, setup, persona):
    year, week, _d = timezone.localdate().isocalendar()
    base = f"/logboek/{world.trajectory.pk}/week/{year}/{week}/"
    client = client_for(world.users[persona])
    response = client.post(base + "autosave/", {"actions": "x"})
    assert response.status_code == (200 if persona in WRITERS else expected(set(), persona))
    response = client.post(
        f"/logboek/{world.trajectory.pk}/notitie/",
        {"kind": "observation", "occurred_on": "2026-10-01", "title": "t", "text": "t"},
    )
    assert response.status_code == (302 if persona in TEAM_READERS else expected(set(), persona))


def test_coach_timeline_shows_only_shared_entries(world, client_for, setup):
    html = client_for(world.coach).get(setup["timeline"][0]).content.decode()
    assert setup["entry_shared"][0] in html
    assert setup["entry_private"][0] not in html
    html = client_for(world.researcher).get(setup["timeline"][0]).content.decode()
    assert setup["entry_private"][0] in html


def test_audio_lives_outside_any_public_url(setup, settings):
    clip = AudioClip.objects.first()
    assert clip.file.name.startswith("private/")
    assert not settings.MEDIA_URL.startswith("/media")
