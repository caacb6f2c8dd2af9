"""Writing an entry: autosave as draft, explicit submit, edits keep history."""

import pytest
from django.db import IntegrityError

from logbooks import services
from logbooks.models import Entry, EntryRevision, EntryStatus
from tests.logbooks.factories import EntryFactory

pytestmark = pytest.mark.django_db


def test_autosave_then_submit(world, client_for, write_url, this_week):
    client = client_for(world.champion)
    response = client.post(
        write_url + "autosave/",
        {"actions": "Gesprek met de mentor over de keuzeweek", "goals": ["2", "3"]},
    )
    assert response.status_code == 200
    assert response.json()["saved"] is True
    assert "Concept opgeslagen" in response.json()["message"]
    entry = Entry.objects.get(author=world.champion)
    assert entry.status == EntryStatus.DRAFT
    assert entry.goals == [2, 3]
    assert entry.author_role == "champion"

    # A second autosave updates the same draft.
    client.post(write_url + "autosave/", {"actions": "Gesprek met de mentor, deel twee"})
    assert Entry.objects.count() == 1
    entry.refresh_from_db()
    assert entry.actions == "Gesprek met de mentor, deel twee"

    # The draft is there when the page is opened again.
    page = client.get(write_url)
    assert "Gesprek met de mentor, deel twee" in page.content.decode()

    response = client.post(
        write_url, {"actions": "Gesprek met de mentor, af", "action": "submit", "goals": ["1"]}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED
    assert entry.submitted_at is not None
    assert entry.goals == [1]
    assert not EntryRevision.objects.exists()

    # Autosave no longer touches a submitted entry.
    response = client.post(write_url + "autosave/", {"actions": "stiekem"})
    assert response.status_code == 409
    entry.refresh_from_db()
    assert entry.actions == "Gesprek met de mentor, af"


def test_drafts_are_private_until_submitted(world, client_for, write_url):
    client_for(world.champion).post(write_url + "autosave/", {"actions": "Nog niet klaar"})
    entry = Entry.objects.get()
    assert client_for(world.researcher).get(f"/logboek/bijdrage/{entry.pk}/").status_code == 403
    assert client_for(world.champion).get(f"/logboek/bijdrage/{entry.pk}/").status_code == 200


def test_edit_after_submit_keeps_history(world, client_for, write_url):
    client = client_for(world.champion)
    client.post(write_url, {"actions": "Eerste versie", "action": "submit"})
    client.post(write_url, {"actions": "Tweede versie", "action": "save"})
    client.post(write_url, {"actions": "Derde versie", "action": "save"})
    client.post(write_url, {"actions": "Derde versie", "action": "save"})  # no change
    entry = Entry.objects.get()
    assert entry.actions == "Derde versie"
    history = [r.snapshot["actions"] for r in entry.revisions.order_by("id")]
    assert history == ["Eerste versie", "Tweede versie"]
    page = client_for(world.researcher).get(f"/logboek/bijdrage/{entry.pk}/").content.decode()
    assert "Bewerkgeschiedenis" in page
    assert "Eerste versie" in page


def test_submit_empty_entry_refused_in_dutch(world, client_for, write_url):
    response = client_for(world.champion).post(write_url, {"action": "submit"})
    assert response.status_code == 200
    assert "Schrijf iets of voeg een spraakbericht toe" in response.content.decode()
    assert not Entry.objects.filter(status=EntryStatus.SUBMITTED).exists()


def test_future_week_is_not_found(world, client_for, this_week):
    year, week = this_week
    url = f"/logboek/{world.trajectory.pk}/week/{year + 1}/{week}/"
    assert client_for(world.champion).get(url).status_code == 404
    bad = f"/logboek/{world.trajectory.pk}/week/{year}/60/"
    assert client_for(world.champion).get(bad).status_code == 404


def test_one_entry_per_author_and_week(world):
    EntryFactory(trajectory=world.trajectory, author=world.champion, iso_week=10)
    with pytest.raises(IntegrityError):
        EntryFactory(trajectory=world.trajectory, author=world.champion, iso_week=10)


def test_default_sharing_setting_applies_to_new_entries(world, this_week):
    services.settings_update(user=world.champion, share_with_coach_by_default=True)
    year, week = this_week
    entry = services.entry_for_week(
        author=world.champion,
        trajectory=world.trajectory,
        iso_year=year,
        iso_week=week,
        role="champion",
    )
    assert entry.shared_with_coach is True


def test_streak_and_missing_weeks(world, client_for):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    for weeks_back in (1, 2, 4):
        year, week, _d = (today - timedelta(weeks=weeks_back)).isocalendar()
        EntryFactory(
            trajectory=world.trajectory, author=world.champion, iso_year=year, iso_week=week
        )
    html = client_for(world.champion).get("/logboek/").content.decode()
    assert "2 weken op rij" in html
    year, week, _d = (today - timedelta(weeks=3)).isocalendar()
    assert f"week {week} ({year})" in html


def test_logbook_index_query_count_is_flat(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.coach)  # coach writes in two trajectories
    client.get("/logboek/")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/logboek/").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for week in range(1, 25):
        EntryFactory(
            trajectory=world.trajectory,
            author=world.coach,
            author_role="coach",
            iso_year=2025,
            iso_week=week,
        )
        EntryFactory(
            trajectory=world.other,
            author=world.coach,
            author_role="coach",
            iso_year=2025,
            iso_week=week,
        )
    assert count() == few


def test_autosave_rejects_bad_input_without_saving(world, client_for, write_url):
    response = client_for(world.champion).post(write_url + "autosave/", {"goals": ["9"]})
    assert response.status_code == 400
    assert "goals" in response.json()["errors"]
    assert not Entry.objects.exists()
