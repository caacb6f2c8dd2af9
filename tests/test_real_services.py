"""Tests against the real PostgreSQL, Redis and Celery worker processes."""

import json
import re
import time

import pytest
from django.db import IntegrityError, connection, transaction

from tests.factories import MembershipFactory, TrajectoryFactory, UserFactory


@pytest.mark.postgres
def test_suite_runs_on_postgresql_and_enforces_constraints(require_postgres):
    assert connection.vendor == "postgresql"
    trajectory = TrajectoryFactory()
    user = UserFactory()
    # `choices` alone would not stop this; the CheckConstraint in the database does.
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(trajectory=trajectory, user=user, role="koning")
    MembershipFactory(trajectory=trajectory, user=user, role="champion")
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(trajectory=trajectory, user=user, role="champion")


def _wait_for_files(folder, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = [p for p in folder.iterdir() if p.stat().st_size > 0]
        if files:
            return files
        time.sleep(0.1)
    return []


@pytest.mark.celery
def test_password_reset_mail_is_sent_by_real_worker_over_redis(celery_live, client):
    for old in celery_live.mail_dir.iterdir():
        old.unlink()
    UserFactory(email="fatima@school.test", first_name="Fatima")
    response = client.post("/account/wachtwoord-vergeten/", {"email": "fatima@school.test"})
    assert response.status_code == 302
    files = _wait_for_files(celery_live.mail_dir)
    assert files, "the worker sent no mail:\n" + celery_live.worker.log()
    message = files[0].read_text()
    assert "To: fatima@school.test" in message
    assert "Beste Fatima," in message
    link = re.search(r"http://[^/\s]+(/account/wachtwoord-herstellen/\S+)", message)
    assert link, message
    # The link the worker built is valid in the web process.
    response = client.get(link.group(1), follow=True)
    assert b"Kies een nieuw wachtwoord" in response.content
    assert b'name="new_password1"' in response.content
    assert "send_password_reset" in celery_live.worker.log()


@pytest.mark.celery
def test_healthz_sees_broker_and_worker(celery_live, client):
    data = json.loads(client.get("/healthz").content)
    assert data == {"status": "ok", "database": "ok", "broker": "ok", "worker": "ok"}
