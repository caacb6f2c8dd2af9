"""When Redis or the worker fails: pages keep working, queued work is not lost,
and a report build killed halfway leaves no half-written file and runs again."""

from __future__ import annotations

import io
import json
import os
import signal
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from lobtraject import outbox
from lobtraject.outbox.models import OutboxMessage
from tests import services as test_services
from tests.factories import UserFactory

RESET_URL = "/account/wachtwoord-vergeten/"


def mails_in(folder: Path) -> list[str]:
    return [p.read_text() for p in folder.iterdir() if p.stat().st_size > 0]


def wait_until(condition, timeout: float = 30.0, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(step)
    return condition()


def test_outbox_in_eager_mode_runs_the_task_on_commit_and_stores_nothing(
    db, client, django_capture_on_commit_callbacks
):
    UserFactory(email="eager@school.test")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(RESET_URL, {"email": "eager@school.test"})
    assert response.status_code == 302
    assert len(callbacks) == 1
    assert [m.to for m in mail.outbox] == [["eager@school.test"]]
    assert not OutboxMessage.objects.exists()


@pytest.mark.celery
def test_outbox_message_is_rolled_back_with_the_change_that_needed_it(celery_live):
    from django.db import transaction

    from accounts import tasks

    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue(tasks.send_password_reset, 1)
        raise RuntimeError("the change fails")
    assert not OutboxMessage.objects.exists()


@pytest.mark.celery
def test_with_redis_down_pages_work_work_is_queued_and_sent_once_redis_is_back(
    celery_live, client, client_for
):
    folder = celery_live.mail_dir
    for old in folder.iterdir():
        old.unlink()
    for name in ("anna", "bram", "cas"):
        UserFactory(email=f"{name}@school.test", first_name=name.title())
    member = client_for(UserFactory(first_name="Daan"))
    redis = celery_live.redis
    redis.stop()
    try:
        # Pages that do not enqueue anything work as usual.
        assert client.get("/account/inloggen/").status_code == 200
        assert member.get("/").status_code == 200
        assert member.get("/trajecten/").status_code == 200
        health = json.loads(client.get("/healthz").content)
        assert health["database"] == "ok" and health["broker"] == "error"
        # An action that enqueues a task answers as usual: the work is queued, not failed.
        started = time.monotonic()
        response = client.post(RESET_URL, {"email": "anna@school.test"}, follow=True)
        assert response.status_code == 200
        assert "verstuurd" in response.content.decode() or "e-mail" in response.content.decode()
        assert time.monotonic() - started < 5, "a send with the broker down must not hang"
        message = OutboxMessage.objects.get()
        assert message.sent_at is None and message.attempts == 1 and message.last_error
        out = io.StringIO()
        call_command("relay_outbox", stdout=out)
        assert out.getvalue().strip() == "sent 0, still pending 1"
    finally:
        redis.start()

    # Back: the relay command sends what waited; the worker delivers it.
    out = io.StringIO()
    call_command("relay_outbox", stdout=out)
    assert out.getvalue().strip() == "sent 1, still pending 0"
    assert wait_until(lambda: len(mails_in(folder)) == 1), celery_live.worker.log()
    assert "To: anna@school.test" in mails_in(folder)[0]

    # Down again: bram's mail waits; the next send that works (cas's) takes it along.
    redis.stop()
    try:
        assert client.post(RESET_URL, {"email": "bram@school.test"}).status_code == 302
    finally:
        redis.start()
    assert client.post(RESET_URL, {"email": "cas@school.test"}).status_code == 302
    assert wait_until(lambda: len(mails_in(folder)) == 3), celery_live.worker.log()
    recipients = sorted(line for text in mails_in(folder) for line in text.splitlines()
                        if line.startswith("To: "))
    assert recipients == ["To: anna@school.test", "To: bram@school.test", "To: cas@school.test"]
    assert outbox.pending_count() == 0
    # Each message went out once: three rows, three mails, no duplicates.
    assert OutboxMessage.objects.filter(sent_at__isnull=False).count() == 3


@pytest.mark.celery
@pytest.mark.postgres
def test_worker_killed_while_a_report_is_written_leaves_no_half_file_and_the_build_is_retried(
    postgres_server, redis_server, django_db_setup, transactional_db, world, tmp_path
):
    """SIGKILL the worker between writing the report's temporary file and moving
    it into place; a new worker gets the unacknowledged message again (acks_late)
    and builds the report completely."""
    from django.db import connection

    from lobtraject.celery import app as celery_app
    from reports import tasks
    from reports.models import Report, ReportKind, ReportStatus
    from tests.conftest import _point_celery_at

    if postgres_server is None:
        test_services.skip_or_fail("the kill test needs the PostgreSQL test database")
    # A broker database of its own: the session's worker must not take this task.
    broker = redis_server.url.rsplit("/", 1)[0] + "/3"
    marker = tmp_path / "writing"
    media = Path(settings.MEDIA_ROOT)

    def worker(slow_seconds: str):
        return test_services.CeleryWorker(
            broker_url=broker,
            database_url=postgres_server.url(connection.settings_dict["NAME"]),
            extra_env={
                "DJANGO_SETTINGS_MODULE": "tests.slow_worker_settings",
                "MEDIA_ROOT": str(media),
                "LOB_SLOW_MARKER": str(marker),
                "LOB_SLOW_SECONDS": slow_seconds,
            },
        )

    report = Report.objects.create(
        kind=ReportKind.SUMMARY,
        object_id=world.trajectory.pk,
        title="Trajectsamenvatting",
        requested_by=world.researcher,
        year=2026,
    )
    _point_celery_at(celery_app, broker, eager=False)
    first = worker("60")
    second = None
    try:
        first.start(celery_app)
        tasks.build_report.delay(report.pk)
        assert wait_until(marker.exists, timeout=60), (Report.objects.get(pk=report.pk).__dict__, first.log()[-3000:])
        temporary, destination = marker.read_text().split()
        assert Path(temporary).stat().st_size > 0  # fully written under its temporary name
        os.kill(first.process.pid, signal.SIGKILL)
        first.process.wait(timeout=10)

        report.refresh_from_db()
        assert report.status == ReportStatus.RUNNING
        assert not report.file.name, "the report must not point at a file yet"
        assert not Path(destination).exists(), "no report file under its final name"

        marker.unlink()
        second = worker("0")
        second.start(celery_app)
        report_id = report.pk
        report = wait_until(
            lambda: Report.objects.filter(pk=report_id, status=ReportStatus.DONE).first(),
            timeout=90,
        )
        assert report, (Report.objects.get(pk=report_id).__dict__, second.log()[-4000:])
        assert report.attempts == 2, "the killed build was delivered again and built once more"
        content = Path(media, report.file.name).read_bytes()
        assert content.startswith(b"%PDF") and content.rstrip().endswith(b"%%EOF")
        # The retry wrote the killed build's temporary file again and moved it
        # into place: no orphaned half-file stays behind.
        assert not Path(temporary).exists()
        assert not list(Path(destination).parent.glob("*.part"))  # pathlib's * matches dotfiles
    finally:
        for process in (first, second):
            if process is not None:
                process.stop()
        _point_celery_at(celery_app, "", eager=True)


@pytest.mark.celery
def test_report_requested_while_redis_is_down_is_queued_and_built_once_it_is_back(
    celery_live, client_for, world
):
    from reports.models import Report, ReportStatus

    researcher = client_for(world.researcher)
    redis = celery_live.redis
    redis.stop()
    try:
        response = researcher.post("/rapporten/aanvragen/", {
            "kind": "summary", "object_id": world.trajectory.pk, "audience": "research_team",
            "theme": "professionalisation", "publication_type": "research_report",
        }, follow=True)
        assert response.status_code == 200
        report = Report.objects.get()
        assert report.status == ReportStatus.QUEUED
        # The page the researcher lands on shows the report as queued, in Dutch.
        assert "Wacht op zijn beurt" in response.content.decode()
        assert outbox.pending_count() == 1
    finally:
        redis.start()
    call_command("relay_outbox", stdout=io.StringIO())
    done = wait_until(
        lambda: Report.objects.filter(pk=report.pk, status=ReportStatus.DONE).first(), timeout=90
    )
    assert done, celery_live.worker.log()
    assert Path(settings.MEDIA_ROOT, done.file.name).read_bytes().startswith(b"%PDF")


def test_the_relay_runs_every_minute_from_beat_and_as_a_command():
    from lobtraject.celery import app as celery_app

    celery_app.finalize()
    entry = celery_app.conf.beat_schedule["relay-outbox"]
    assert entry["task"] == "lobtraject.outbox.relay_outbox"
    assert entry["schedule"] <= 60
    assert "lobtraject.outbox.relay_outbox" in celery_app.tasks


def test_relay_in_eager_mode_has_nothing_to_do(db):
    out = io.StringIO()
    call_command("relay_outbox", stdout=out)
    assert out.getvalue().strip() == "sent 0, still pending 0"


@pytest.mark.celery
def test_pointing_celery_elsewhere_also_moves_its_result_backend(redis_server):
    """The test helper that points Celery at another broker must not leave the result
    backend (and its result subscription) on the previous URL."""
    from lobtraject.celery import app as celery_app
    from tests.conftest import _point_celery_at

    base = redis_server.url.rsplit("/", 1)[0]
    try:
        _point_celery_at(celery_app, base + "/4", eager=False)
        assert celery_app.backend.connparams["db"] == 4
        _point_celery_at(celery_app, base + "/5", eager=False)
        assert celery_app.backend.connparams["db"] == 5
    finally:
        _point_celery_at(celery_app, "", eager=True)
