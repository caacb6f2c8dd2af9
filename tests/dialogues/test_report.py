import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from dialogues import selectors, services, tasks
from dialogues.models import Approval, ReportStatus
from dialogues.tokens import make_token


def _submit(session, body="Oogstverslag: thema's en citaten"):
    services.report_save_draft(session=session, body=body)
    return services.report_submit(report=session.report)


def _answer(client, invitee, version, decision, comment=""):
    return client.post(
        reverse("dialogues:personal_answer", args=[make_token(invitee)]),
        {"version": version.pk, "decision": decision, "comment": comment},
    )


def test_all_consented_approve_makes_the_report_final(world, dialogue, client):
    version = _submit(dialogue.session)
    _answer(client, dialogue.noor, version, "approve")
    dialogue.session.report.refresh_from_db()
    assert dialogue.session.report.status == ReportStatus.PENDING
    _answer(client, dialogue.piet, version, "approve")
    dialogue.session.report.refresh_from_db()
    assert dialogue.session.report.status == ReportStatus.FINAL
    assert selectors.report_is_approved_by_all(dialogue.session.report)


def test_request_for_change_leads_to_a_new_version_and_old_approvals_are_stale(
    world, dialogue, client, client_for
):
    v1 = _submit(dialogue.session, "Eerste tekst\nmet een fout")
    _answer(client, dialogue.noor, v1, "approve")
    response = _answer(client, dialogue.piet, v1, "change", "")
    assert response.status_code == 400 and "welke wijziging" in response.content.decode()
    _answer(client, dialogue.piet, v1, "change", "Graag mijn citaat weglaten")
    report = dialogue.session.report
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING
    researcher = client_for(world.researcher)
    researcher.post(
        reverse("dialogues:report_edit", args=[dialogue.session.pk]),
        {"body": "Eerste tekst\nzonder fout"},
    )
    assert report.versions.count() == 2  # old version kept
    researcher.post(reverse("dialogues:report_submit", args=[dialogue.session.pk]))
    report.refresh_from_db()
    v2 = report.current_version()
    assert v2.number == 2 and report.status == ReportStatus.PENDING
    # Noor's approval of version 1 does not count for version 2
    _answer(client, dialogue.piet, v2, "approve")
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING
    assert not selectors.report_is_approved_by_all(report)
    # answering the stale version is refused
    response = _answer(client, dialogue.noor, v1, "approve")
    assert response.status_code == 400
    _answer(client, dialogue.noor, v2, "approve")
    report.refresh_from_db()
    assert report.status == ReportStatus.FINAL
    compare = researcher.get(reverse("dialogues:report_compare", args=[dialogue.session.pk]))
    text = compare.content.decode()
    assert "met een fout" in text and "zonder fout" in text and "diff-added" in text


def test_unconsented_invitee_cannot_approve(world, dialogue, client):
    version = _submit(dialogue.session)
    response = _answer(client, dialogue.lies, version, "approve")
    assert response.status_code == 400
    assert not Approval.objects.filter(invitee=dialogue.lies).exists()


def test_submission_mails_only_consented_participants(
    world, dialogue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _submit(dialogue.session)
    assert sorted(m.to[0] for m in mail.outbox) == ["noor@school.test", "piet@school.test"]


def test_reminders_go_only_to_those_pending(world, dialogue, client):
    version = _submit(dialogue.session)
    _answer(client, dialogue.noor, version, "approve")
    mail.outbox.clear()
    assert tasks.send_report_reminders.delay().get() == 1
    assert [m.to for m in mail.outbox] == [["piet@school.test"]]
    assert "Herinnering" in mail.outbox[0].subject


def test_reminder_task_is_in_the_beat_schedule():
    from dialogues.schedule import BEAT_SCHEDULE

    assert BEAT_SCHEDULE["dialogues-report-reminders"]["task"] == (
        "dialogues.tasks.send_report_reminders"
    )


def test_closing_needs_a_passed_deadline_and_a_reason(world, dialogue, client_for):
    _submit(dialogue.session)
    report = dialogue.session.report
    with pytest.raises(ValidationError):
        services.report_close(report=report, reason="Niet iedereen reageerde")
    report.refresh_from_db()
    report.deadline = timezone.localdate() - timedelta(days=1)
    report.save(update_fields=["deadline"])
    response = client_for(world.researcher).post(
        reverse("dialogues:report_close", args=[dialogue.session.pk]), {"reason": ""}, follow=True
    )
    assert "reden" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING
    services.report_close(report=report, reason="Twee deelnemers reageerden niet")
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED and report.closed_reason


@pytest.mark.django_db(transaction=True)
def test_concurrent_answers_count_once(require_postgres, world, dialogue):
    version = _submit(dialogue.session)
    errors = []

    def answer():
        try:
            services.report_answer(invitee=dialogue.noor, version_id=version.pk, decision="approve")
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Approval.objects.filter(invitee=dialogue.noor).count() == 1
    assert len(errors) == 3
