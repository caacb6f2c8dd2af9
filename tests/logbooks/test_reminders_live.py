"""The reminder task on a real Celery worker over Redis, as the beat schedule runs it."""

import time

import pytest
from django.utils import timezone

from logbooks import services, tasks

pytestmark = pytest.mark.celery


def _mail_files(folder, expected, timeout=30.0):
    deadline = time.monotonic() + timeout
    files = []
    while time.monotonic() < deadline:
        files = [p for p in folder.iterdir() if p.stat().st_size > 0]
        if len(files) >= expected:
            time.sleep(0.5)  # let a stray extra mail show up too
            return [p for p in folder.iterdir() if p.stat().st_size > 0]
        time.sleep(0.1)
    return files


def test_worker_sends_reminders_only_to_those_due(celery_live, world):
    for old in celery_live.mail_dir.iterdir():
        old.unlink()
    today = timezone.localdate().isoweekday()
    for persona in ("coach", "champion", "buddy", "outsider"):
        services.settings_update(user=world.users[persona], reminder_weekday=today, reminder_hour=0)
    services.settings_update(user=world.buddy, reminders_enabled=False)
    tasks.send_logbook_reminders.delay()
    files = _mail_files(celery_live.mail_dir, 3)
    assert len(files) == 3, celery_live.worker.log()
    text = "\n".join(p.read_text() for p in files)
    for persona in ("coach", "champion", "outsider"):
        assert f"To: {world.users[persona].email}" in text
    assert world.buddy.email not in text
    assert "Je logboek voor week" in text
