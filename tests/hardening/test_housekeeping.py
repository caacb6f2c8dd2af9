"""Sent outbox rows and login records are pruned after their retention; 403s
are logged as one line."""

from __future__ import annotations

import io
import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts import tasks
from accounts.housekeeping import prune
from lobtraject.celery import app as celery_app
from lobtraject.logfilters import ForbiddenOnOneLine
from lobtraject.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _aged(model, days, **fields):
    row = model.objects.create(**fields)
    field = "created_at" if model is OutboxMessage else "attempt_time"
    model.objects.filter(pk=row.pk).update(**{field: timezone.now() - timedelta(days=days)})
    return row


@pytest.fixture
def rows():
    now = timezone.now()
    login = {"username": "sanne@school.test", "ip_address": "10.0.0.1", "user_agent": "x"}
    made = {
        "old_sent": _aged(OutboxMessage, 40, task_name="t", sent_at=now - timedelta(days=40)),
        "new_sent": _aged(OutboxMessage, 2, task_name="t", sent_at=now - timedelta(days=2)),
        "old_pending": _aged(OutboxMessage, 90, task_name="t"),
        "old_attempt": _aged(AccessAttempt, 45, failures_since_start=3, **login),
        "new_attempt": _aged(
            AccessAttempt, 1, failures_since_start=1, **{**login, "ip_address": "10.0.0.2"}
        ),
        "old_failure": _aged(AccessFailureLog, 45, **login),
        "old_log": _aged(AccessLog, 31, **login),
        "new_log": _aged(AccessLog, 29, **login),
    }
    return made


def test_prune_deletes_only_what_is_past_its_retention(rows, settings):
    assert timedelta(days=14) == settings.OUTBOX_SENT_RETENTION
    assert timedelta(days=30) == settings.LOGIN_RECORD_RETENTION
    pruned = prune()
    assert (pruned.outbox, pruned.login_records) == (1, 3)
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {
        rows["new_sent"].pk,
        rows["old_pending"].pk,  # never sent: the relay still needs it
    }
    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [rows["new_attempt"].pk]
    assert not AccessFailureLog.objects.exists()
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [rows["new_log"].pk]


def test_command_and_nightly_task_call_the_same_service(rows):
    out = io.StringIO()
    call_command("prune_housekeeping", stdout=out)
    assert "1 sent outbox rows and 3 login records deleted" in out.getvalue()
    assert tasks.prune_housekeeping() == {"outbox": 0, "login_records": 0}
    celery_app.finalize()
    entry = celery_app.conf.beat_schedule["prune-housekeeping"]
    assert entry["task"] == tasks.prune_housekeeping.name == "accounts.tasks.prune_housekeeping"
    assert entry["task"] in celery_app.tasks


def test_a_refused_request_is_logged_as_one_line(client_for, world, caplog):
    from django.conf import settings

    with caplog.at_level(logging.WARNING, logger="django.request"):
        url = reverse("trajectories:people", args=[world.trajectory.pk])
        response = client_for(world.manager).get(url)
    assert response.status_code == 403
    records = [r for r in caplog.records if getattr(r, "status_code", None) == 403]
    assert records, [r.getMessage() for r in caplog.records]
    handler = logging.StreamHandler(io.StringIO())
    for spec in settings.LOGGING["handlers"]["console"]["filters"]:
        assert spec == "forbidden_on_one_line"
    handler.addFilter(ForbiddenOnOneLine())
    for record in records:
        handler.handle(record)
    written = handler.stream.getvalue()
    assert "Forbidden" in written
    assert "Traceback" not in written
    assert len(written.strip().splitlines()) == len(records)
