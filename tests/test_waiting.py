""" "Wat wacht op mij": each role's open actions on the landing page, and the e-mails about them."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.services import notification_preference_save
from dialogues import services as dialogue_services
from lobtraject import notifications
from lobtraject.waiting import open_actions
from reports.models import Report, ReportStatus
from tests.dialogues.factories import DialogueSessionFactory, InviteeFactory
from tests.factories import MembershipFactory
from tests.logbooks.factories import EntryFactory
from tests.trajectories.factories import StartAgreementFactory
from trajectories import services as trajectory_services
from trajectories.models import ClosingInterview, Phase, Role

pytestmark = pytest.mark.django_db


def kinds(user):
    return [action.kind for action in open_actions(user)]


def test_every_signing_party_sees_the_start_agreement_until_they_signed(world, client_for):
    agreement = StartAgreementFactory(trajectory=world.trajectory)
    for persona in ("coach", "researcher", "champion", "manager"):
        html = client_for(world.users[persona]).get("/").content.decode()
        assert "Wat wacht op mij" in html
        assert f'href="/trajecten/{world.trajectory.pk}/startdocument/"' in html, persona
        assert "Onderteken het startdocument" in html, persona
    for persona in ("buddy", "participant", "outsider", "independent"):
        assert "sign_agreement" not in kinds(world.users[persona]), persona
    trajectory_services.agreement_sign(agreement=agreement, party="champion", user=world.champion)
    assert "sign_agreement" not in kinds(world.champion)
    assert "sign_agreement" in kinds(world.manager)
    # A new version asks for signatures again.
    StartAgreementFactory(trajectory=world.trajectory, version=2)
    assert "sign_agreement" in kinds(world.champion)


def test_this_weeks_logbook_waits_until_it_is_submitted(world, client_for):
    world.trajectory.phase = Phase.CUSTOM
    world.trajectory.save()
    year, week, _day = timezone.localdate().isocalendar()
    (action,) = [a for a in open_actions(world.champion) if a.kind == "write_logbook"]
    assert action.url == f"/logboek/{world.trajectory.pk}/week/{year}/{week}/"
    assert "write_logbook" not in kinds(world.manager)
    EntryFactory(trajectory=world.trajectory, author=world.champion, iso_year=year, iso_week=week)
    assert "write_logbook" not in kinds(world.champion)
    assert "write_logbook" in kinds(world.buddy)


def _pending_report(world):
    session = DialogueSessionFactory(
        trajectory=world.trajectory, facilitator=world.coach, researcher=world.researcher
    )
    invitee = InviteeFactory(session=session, user=world.participant, email=world.participant.email)
    dialogue_services.consent_record(invitee=invitee, agreed=True)
    dialogue_services.report_save_draft(session=session, body="De oogst van de startdialoog.")
    version = dialogue_services.report_submit(report=session.report, notify=False)
    return session, invitee, version


def test_participant_approves_and_the_researcher_answers_the_change_request(world, client_for):
    session, invitee, version = _pending_report(world)
    html = client_for(world.participant).get("/").content.decode()
    assert "Keur het oogstverslag goed" in html
    dialogue_services.report_answer(
        invitee=invitee, version_id=version.pk, decision="change", comment="Mijn naam staat erin."
    )
    assert "approve_report" not in kinds(world.participant)
    (change,) = [a for a in open_actions(world.researcher) if a.kind == "change_request"]
    assert change.url == f"/dialogen/{session.pk}/verslag/"
    # A new version answers the request.
    dialogue_services.report_save_draft(session=session, body="Aangepast.")
    dialogue_services.report_submit(report=session.report, notify=False)
    assert "change_request" not in kinds(world.researcher)
    assert "approve_report" in kinds(world.participant)


def test_closing_interviews_to_plan_and_to_hold(world):
    world.trajectory.phase = Phase.CLOSING
    world.trajectory.save()
    assert "closing_interview" in kinds(world.coach)  # nothing planned yet
    ClosingInterview.objects.create(
        trajectory=world.trajectory,
        interviewee=world.champion,
        interviewee_role=Role.CHAMPION,
        interviewer=world.independent,
        planned_at=timezone.now() + timedelta(days=3),
    )
    assert "closing_interview" not in kinds(world.coach)
    (hold,) = open_actions(world.independent)
    assert hold.kind == "closing_interview" and hold.url.endswith("/gespreksleidraad/")


def test_a_ready_report_waits_for_who_asked_for_it(world):
    report = Report.objects.create(
        kind="summary",
        object_id=world.trajectory.pk,
        title="Trajectsamenvatting — Het Baken College",
        status=ReportStatus.DONE,
        requested_by=world.researcher,
        finished_at=timezone.now(),
        year=2026,
    )
    (action,) = [a for a in open_actions(world.researcher) if a.kind == "report_ready"]
    assert action.url == f"/rapporten/{report.pk}/"
    assert "report_ready" not in kinds(world.coach)


def test_nothing_waits_shows_an_empty_state(world, client_for):
    html = client_for(world.manager).get("/").content.decode()
    assert "Er wacht nu niets op je." in html


# --- e-mails ----------------------------------------------------------------------------


def test_each_open_action_is_mailed_once(world):
    StartAgreementFactory(trajectory=world.trajectory)
    assert notifications.notifications_send() >= 3  # coach, researcher, champion, manager
    to_champion = [m for m in mail.outbox if m.to == [world.champion.email]]
    (message,) = to_champion
    assert "Onderteken het startdocument — Het Baken College" in message.body
    assert f"/trajecten/{world.trajectory.pk}/startdocument/" in message.body
    mail.outbox.clear()
    assert notifications.notifications_send() == 0
    assert mail.outbox == []


def test_switched_off_kinds_and_the_weekly_digest(world):
    StartAgreementFactory(trajectory=world.trajectory)
    notification_preference_save(user=world.champion, kinds_on=[], weekly_digest=False)
    notification_preference_save(
        user=world.manager, kinds_on=["sign_agreement"], weekly_digest=True
    )
    notifications.notifications_send()
    recipients = {address for message in mail.outbox for address in message.to}
    assert world.champion.email not in recipients  # switched off
    assert world.manager.email not in recipients  # waits for Monday
    mail.outbox.clear()
    assert notifications.notifications_send(digest=True) == 1
    (digest,) = mail.outbox
    assert digest.to == [world.manager.email] and "deze week" in digest.subject
    # The digest lists what is still open, every week.
    mail.outbox.clear()
    assert notifications.notifications_send(digest=True) == 1


def test_people_without_a_password_get_no_notifications_yet(world):
    StartAgreementFactory(trajectory=world.trajectory)
    world.manager.set_unusable_password()
    world.manager.save()
    notifications.notifications_send()
    assert world.manager.email not in {a for m in mail.outbox for a in m.to}


def test_the_schedule_runs_the_notification_tasks():
    from lobtraject.celery import app

    app.loader.import_default_modules()
    assert "lobtraject.tasks.send_notifications" in app.tasks
    from lobtraject.schedule import BEAT_SCHEDULE

    assert {entry["task"] for entry in BEAT_SCHEDULE.values()} == {
        "lobtraject.tasks.send_notifications",
        "lobtraject.tasks.send_weekly_digest",
    }


def test_a_second_champion_in_another_trajectory_sees_only_their_own(world):
    StartAgreementFactory(trajectory=world.other)
    MembershipFactory(trajectory=world.other, user=world.manager, role=Role.MANAGER)
    assert [a.where for a in open_actions(world.manager)] == ["ROC De Delta"]
    assert "sign_agreement" in kinds(world.outsider)
    assert "sign_agreement" not in kinds(world.champion)


# --- the champion's own invitation ----------------------------------------------------


def test_champion_writes_the_invitation_and_the_coach_reviews_it(world, client_for):
    session = DialogueSessionFactory(
        trajectory=world.trajectory, facilitator=world.coach, researcher=world.researcher
    )
    InviteeFactory(session=session, name="Daan Visser", email="daan@school.test")
    champion = client_for(world.champion)
    url = f"/dialogen/{session.pk}/uitnodiging/tekst/"
    bad = champion.post(
        url, {"lob_term": "SLB", "theme": "Loopbaan en wij", "invitation_opening": "x"}
    )
    assert "Houd het ‘Ik’ in het thema" in bad.content.decode()
    response = champion.post(
        url,
        {
            "lob_term": "SLB",
            "theme": "Ik als coach",
            "invitation_opening": "Beste collega's, <b>samen</b> willen we SLB sterker maken.",
            "invitation_signature": "Namens de aanjagers, mede namens het MT",
            "ask_review": "on",
        },
    )
    assert response.status_code == 302
    preview = champion.get(f"/dialogen/{session.pk}/uitnodiging/").content.decode()
    assert "&lt;b&gt;samen&lt;/b&gt;" in preview  # the champion's text is shown escaped
    assert "Namens de aanjagers, mede namens het MT" in preview and "Ik als coach" in preview
    assert "Versturen" not in preview or "disabled" in preview
    # Sending waits for the coach.
    champion.post(f"/dialogen/{session.pk}/uitnodiging/versturen/")
    assert mail.outbox == []
    assert "review_invitation" in kinds(world.coach)
    coach = client_for(world.coach)
    assert coach.post(f"/dialogen/{session.pk}/uitnodiging/nagekeken/").status_code == 302
    assert "review_invitation" not in kinds(world.coach)
    # Only a coach or researcher reviews.
    assert champion.post(f"/dialogen/{session.pk}/uitnodiging/nagekeken/").status_code == 403
    with _run_tasks_at_once():
        champion.post(f"/dialogen/{session.pk}/uitnodiging/versturen/")
    (message,) = mail.outbox
    assert "Beste collega's, <b>samen</b> willen we SLB sterker maken." in message.body
    assert "Namens de aanjagers, mede namens het MT" in message.body
    assert "‘Ik als coach’" in message.body


def _run_tasks_at_once():
    from contextlib import contextmanager
    from types import SimpleNamespace
    from unittest import mock

    from django.db import transaction

    from lobtraject import outbox

    @contextmanager
    def patched():
        fake = SimpleNamespace(on_commit=lambda fn: fn(), atomic=transaction.atomic)
        with mock.patch.object(outbox, "transaction", fake):
            yield

    return patched()


def test_many_of_one_kind_show_ten_with_n_van_m_and_a_page_with_all(world, client_for):
    """ "Wat wacht op mij" lists ten per kind with the count and a link to all of them;
    its query count does not grow when there are a hundred more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lobtraject.waiting import COUNT_CAP, WAITING_PAGE_SIZE
    from tests.factories import TrajectoryFactory

    def coach_in(count):
        for _ in range(count):
            MembershipFactory(
                trajectory=TrajectoryFactory(study=world.study, phase=Phase.CUSTOM),
                user=world.coach,
                role=Role.COACH,
            )

    before = kinds(world.coach).count("write_logbook")  # the world's own trajectories
    coach_in(12)
    shown = before + 12
    client = client_for(world.coach)
    client.get("/")  # warm up
    with CaptureQueriesContext(connection) as small:
        html = client.get("/").content.decode()
    assert html.count('data-action="write_logbook"') == 10
    assert f'data-waiting-kind="logboek" data-shown="10" data-total="{shown}"' in html
    assert f"Logboeken om deze week te schrijven: 10 van {shown}" in html
    assert 'href="/wacht-op-mij/logboek/"' in html
    listed = client.get("/wacht-op-mij/logboek/").content.decode()
    assert listed.count('data-action="write_logbook"') == shown
    assert f"1–{shown} van {shown}" in listed

    coach_in(COUNT_CAP)
    with CaptureQueriesContext(connection) as large:
        html = client.get("/").content.decode()
    assert len(large) == len(small)
    assert html.count('data-action="write_logbook"') == 10
    assert f"10 van meer dan {COUNT_CAP}" in html
    total = shown + COUNT_CAP
    last = (total - 1) // WAITING_PAGE_SIZE + 1
    listed = client.get(f"/wacht-op-mij/logboek/?page={last}").content.decode()
    assert listed.count('data-action="write_logbook"') == total - (last - 1) * WAITING_PAGE_SIZE
    assert f"van {total}" in listed
    # A kind this person cannot have is not found.
    assert (
        client_for(world.participant).get("/wacht-op-mij/eindgesprekken-plannen/").status_code
        == 404
    )
