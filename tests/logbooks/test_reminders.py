"""Weekly reminders: only to writers missing this week, at their own moment, with opt-out."""

from datetime import datetime

import pytest
from django.core import mail
from django.utils import timezone

from logbooks import services, tasks
from logbooks.schedule import BEAT_SCHEDULE
from tests.logbooks.factories import EntryFactory

pytestmark = pytest.mark.django_db

# Thursday 26 November 2026 (ISO week 48).
THURSDAY_17 = timezone.make_aware(datetime(2026, 11, 26, 17, 0))
THURSDAY_15 = timezone.make_aware(datetime(2026, 11, 26, 15, 0))
MONDAY_9 = timezone.make_aware(datetime(2026, 11, 23, 9, 0))


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_reminders_go_only_to_writers_missing_the_week(world):
    EntryFactory(trajectory=world.trajectory, author=world.champion, iso_year=2026, iso_week=48)
    EntryFactory(
        trajectory=world.trajectory,
        author=world.buddy,
        iso_year=2026,
        iso_week=48,
        status="draft",
        submitted_at=None,
    )  # a draft does not count as written
    assert services.send_due_reminders(THURSDAY_17) == 3
    assert recipients() == sorted([world.coach.email, world.buddy.email, world.outsider.email])
    message = mail.outbox[0]
    assert message.subject == "Je logboek voor week 48"
    assert "/logboek/" in message.body
    # Managers, researchers and participants never get one.
    for persona in ("manager", "researcher", "participant", "independent"):
        assert world.users[persona].email not in recipients()


def test_reminders_respect_opt_out_and_chosen_moment(world):
    services.settings_update(user=world.buddy, reminders_enabled=False)
    services.settings_update(user=world.coach, reminder_weekday=1, reminder_hour=8)
    assert services.send_due_reminders(MONDAY_9) == 1
    assert recipients() == [world.coach.email]
    mail.outbox.clear()
    assert services.send_due_reminders(THURSDAY_15) == 0  # default is Thursday 16:00
    assert services.send_due_reminders(THURSDAY_17) == 2  # champion and outsider
    assert recipients() == sorted([world.champion.email, world.outsider.email])


def test_each_person_is_reminded_once_per_week(world):
    assert services.send_due_reminders(THURSDAY_17) == 4
    assert services.send_due_reminders(THURSDAY_17.replace(hour=20)) == 0
    assert len(mail.outbox) == 4


def test_hourly_beat_task(world, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: THURSDAY_17)
    assert tasks.send_logbook_reminders.delay().get() == 4
    assert BEAT_SCHEDULE["logbooks-weekly-reminders"]["task"] == (
        "logbooks.tasks.send_logbook_reminders"
    )


def test_settings_page_saves_choices(world, client_for):
    response = client_for(world.champion).post(
        "/logboek/instellingen/",
        {"reminder_weekday": "5", "reminder_hour": "9", "share_with_coach_by_default": "on"},
    )
    assert response.status_code == 302
    prefs = world.champion.logbook_settings
    assert (prefs.reminder_weekday, prefs.reminder_hour) == (5, 9)
    assert prefs.reminders_enabled is False
    assert prefs.share_with_coach_by_default is True
