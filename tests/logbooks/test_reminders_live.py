"""The reminder task on a real Celery worker over Redis, as the beat schedule runs it."""

import time

import pytest
from django.utils import timezone

from logbooks import services, tasks

pytestmark = pytest.mark.celery


def _messages(folder) -> list[str]:
    # Django's file backend appends messages sent within one second by a reused
    # connection object to the same file, so count messages, not files.
    text = "\n".join(p.read_text() for p in folder.iterdir() if p.stat().st_size > 0)
    return [part for part in text.split("-" * 79) if "To: " in part]


def _mail_messages(folder, expected, timeout=30.0):
    deadline = time.monotonic() + timeout
    messages = []
    while time.monotonic() < deadline:
        messages = _messages(folder)
        if len(messages) >= expected:
            time.sleep(0.5)  # let a stray extra mail show up too
            return _messages(folder)
        time.sleep(0.1)
    return messages


def test_worker_sends_reminders_only_to_those_due(celery_live, world):
    for old in celery_live.mail_dir.iterdir():
        old.unlink()
    today = timezone.localdate().isoweekday()
    for persona in ("coach", "champion", "buddy", "outsider"):
        services.settings_update(user=world.users[persona], reminder_weekday=today, reminder_hour=0)
    services.settings_update(user=world.buddy, reminders_enabled=False)
    tasks.send_logbook_reminders.delay()
    messages = _mail_messages(celery_live.mail_dir, 3)
    assert len(messages) == 3, celery_live.worker.log()
    text = "\n".join(messages)
    for persona in ("coach", "champion", "outsider"):
        assert f"To: {world.users[persona].email}" in text
    assert world.buddy.email not in text
    assert "Je logboek voor week" in text
