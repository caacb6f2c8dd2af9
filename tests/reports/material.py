"""Research material for report tests: a final harvest report and, for the
audience test, a unique marker sentence in every private text field.

Markers are codes like ``QMX0107`` inside a Dutch sentence; tests compare them
against PDF text with whitespace and hyphens removed, because WeasyPrint
hyphenates (lang="nl") and wraps lines.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace

from django.utils import timezone

from dialogues import services as dialogue_services
from dialogues.models import DialogueKind, HarvestItem
from logbooks.models import EmailDataPoint, Entry, EntryStatus, NoteKind, ResearchNote
from tests.dialogues.factories import DialogueSessionFactory, InviteeFactory
from tests.factories import HalfDayFactory
from trajectories.models import (
    ClosingInterview,
    ClosingInterviewGoalAnswer,
    CoachInterview,
    GoalProgress,
    GoalSource,
    GoalStatus,
    InterviewStatus,
    MissedReason,
    RecruitmentContact,
    Signature,
    StartAgreement,
)


def squeeze(text: str) -> str:
    """PDF text without whitespace and (soft) hyphens, for marker look-ups."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011]", "", text)


def final_harvest(world, *, body="Het team wil loopbaangesprekken vaker samen voorbereiden.",
                  change_first=False):
    """A start dialogue of world.trajectory, held last month, whose harvest
    report (v1, or v2 after a requested change) all three consenting participants approved."""
    session = DialogueSessionFactory(
        trajectory=world.trajectory,
        facilitator=world.coach,
        researcher=world.researcher,
        kind=DialogueKind.START,
        theme="Ik en loopbaanbegeleiding",
        starts_at=timezone.now() - timedelta(days=30),
    )
    people = [
        InviteeFactory(session=session, name="Anaïs Geërts", email="anais@school.test"),
        InviteeFactory(session=session, name="Zoë van Dijk", email="zoe@school.test",
                       user=world.participant),
        InviteeFactory(session=session, name="Joëlle Smit", email="joelle@school.test"),
    ]
    declined = InviteeFactory(session=session, name="Kees Bakker", email="kees@school.test")
    for invitee in people:
        dialogue_services.consent_record(invitee=invitee, agreed=True)
    dialogue_services.consent_record(invitee=declined, agreed=False)
    items = [
        HarvestItem.objects.create(session=session, invitee=people[0], goal=1,
                                   text="Een gedeelde visie op begeleiding geeft richting."),
        HarvestItem.objects.create(session=session, invitee=people[1], goal=3,
                                   text="Ik zie nu mijn eigen rol in loopbaangesprekken."),
        HarvestItem.objects.create(session=session, invitee=people[2], goal=None,
                                   text="Meer tijd voor ideeën uitwisselen."),
    ]
    dialogue_services.report_save_draft(session=session, body=body)
    version = dialogue_services.report_submit(report=session.report, notify=False)
    if change_first:
        dialogue_services.report_answer(invitee=people[0], version_id=version.pk,
                                        decision="change", comment="Graag mijn naam weglaten.")
        session.report.refresh_from_db()
        dialogue_services.report_save_draft(session=session, body=body + " Aangepast.")
        version = dialogue_services.report_submit(report=session.report, notify=False)
    for invitee in people:
        dialogue_services.report_answer(invitee=invitee, version_id=version.pk,
                                        decision="approve")
    session.report.refresh_from_db()
    return SimpleNamespace(session=session, people=people, declined=declined, items=items,
                           version=version)


def marker(code: str, sentence: str = "Vertrouwelijk") -> str:
    return f"{sentence} {code} hoort bij het onderzoek."


SUB_GOAL = "Mentoren voeren elk jaar een loopbaangesprek"

# Which planted markers the research team's summary must show (the rest are
# private fields the summary does not use at all, such as e-mails).
SUMMARY_RESEARCH_FIELDS = {
    "entry.actions", "entry.effects", "entry.helped", "entry.hindered", "entry.other",
    "half_day.learning_outcomes", "interview.overall_steps", "interview.overall_helped",
    "interview.overall_hindered", "interview.still_needed", "interview.notes",
    "answer.steps", "answer.helped", "answer.hindered", "note.text", "agreement.support",
    "harvest.item", "sub_answer.steps", "sub_answer.helped", "sub_answer.hindered",
}


def plant_markers(world) -> dict[str, str]:
    """Put a unique marker in every private text of world.trajectory; return {field: code}."""
    codes: dict[str, str] = {}
    counter = iter(range(100, 1000))

    def code(field: str) -> str:
        codes[field] = f"QMX{next(counter)}"
        return marker(codes[field])

    today = timezone.localdate()
    Entry.objects.create(
        trajectory=world.trajectory, author=world.champion, author_role="champion",
        iso_year=2026, iso_week=10, week_start=date.fromisocalendar(2026, 10, 1),
        actions=code("entry.actions"), effects=code("entry.effects"),
        helped=code("entry.helped"), hindered=code("entry.hindered"), other=code("entry.other"),
        goal_1=True, goal_3=True, status=EntryStatus.SUBMITTED, submitted_at=timezone.now(),
    )
    half_day = HalfDayFactory(
        trajectory=world.trajectory, starts_at=timezone.now() - timedelta(days=20),
        goals=[1, 2], intervention_types=["training"], unit="year_group",
        learning_outcomes=code("half_day.learning_outcomes"),
        what_happened=code("half_day.what_happened"),
        preparation_notes=code("half_day.preparation_notes"),
        participants=code("half_day.participants"),
    )
    harvest = final_harvest(world, body=code("harvest.body"))
    HarvestItem.objects.create(session=harvest.session, invitee=harvest.people[0], goal=2,
                               text=code("harvest.item"))
    interview = ClosingInterview.objects.create(
        trajectory=world.trajectory, interviewee=world.champion, interviewee_role="champion",
        interviewer=world.independent, planned_at=timezone.now() - timedelta(days=2),
        status=InterviewStatus.HELD,
        overall_steps=code("interview.overall_steps"),
        overall_helped=code("interview.overall_helped"),
        overall_hindered=code("interview.overall_hindered"),
        still_needed=code("interview.still_needed"), notes=code("interview.notes"),
    )
    ClosingInterview.objects.create(
        trajectory=world.trajectory, interviewee=world.manager, interviewee_role="manager",
        status=InterviewStatus.MISSED, missed_reason=MissedReason.CHANGE_OF_JOB,
        missed_note=code("interview.missed_note"),
    )
    ClosingInterviewGoalAnswer.objects.create(
        interview=interview, goal=1, steps=code("answer.steps"), helped=code("answer.helped"),
        hindered=code("answer.hindered"), reached="partly",
    )
    ClosingInterviewGoalAnswer.objects.create(
        interview=interview, sub_goal=SUB_GOAL, steps=code("sub_answer.steps"),
        helped=code("sub_answer.helped"), hindered=code("sub_answer.hindered"), reached="yes",
    )
    GoalStatus.objects.create(
        trajectory=world.trajectory, sub_goal=SUB_GOAL, source=GoalSource.CLOSING_INTERVIEW,
        interview=interview, recorded_on=today - timedelta(days=2), status=GoalProgress.REACHED,
    )
    GoalStatus.objects.create(
        trajectory=world.trajectory, goal=1, source=GoalSource.START_AGREEMENT,
        recorded_on=today - timedelta(days=120), status=GoalProgress.NOT_STARTED,
        note=code("goal_status.note"),
    )
    GoalStatus.objects.create(
        trajectory=world.trajectory, goal=1, source=GoalSource.INTERIM_EVALUATION,
        half_day=half_day, recorded_on=today - timedelta(days=20), status=GoalProgress.IN_PROGRESS,
    )
    GoalStatus.objects.create(
        trajectory=world.trajectory, goal=1, source=GoalSource.CLOSING_INTERVIEW,
        interview=interview, recorded_on=today - timedelta(days=2), status=GoalProgress.PARTLY,
    )
    ResearchNote.objects.create(
        trajectory=world.trajectory, kind=NoteKind.OBSERVATION, title="Observatie",
        text=code("note.text"), occurred_on=today - timedelta(days=5),
    )
    EmailDataPoint.objects.create(
        trajectory=world.trajectory, occurred_on=today - timedelta(days=6),
        subject=code("email.subject"), body=code("email.body"),
    )
    agreement = StartAgreement.objects.create(
        trajectory=world.trajectory, facilitation_hours=2, facilitation_period="per week",
        support=code("agreement.support"), duties=["logbook", "interview"],
        sub_goals=SUB_GOAL,
    )
    Signature.objects.create(agreement=agreement, party="champion", user=world.champion,
                             signed_at=timezone.now() - timedelta(days=130))
    CoachInterview.objects.create(
        trajectory=world.trajectory, run_up=code("coach_interview.run_up"),
        helped=code("coach_interview.helped"), hindered=code("coach_interview.hindered"),
        decisive=code("coach_interview.decisive"),
    )
    RecruitmentContact.objects.create(
        trajectory=world.trajectory, date=date(2026, 1, 12), kind="meeting",
        notes=code("recruitment.notes"),
    )
    return codes
