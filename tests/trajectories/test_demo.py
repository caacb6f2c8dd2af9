"""seed_demo fills phase 1, planning details, hours and feeds — and is idempotent."""

import io

import pytest
from django.core.management import call_command

from trajectories.models import (
    CalendarFeed,
    ClosingInterview,
    ClosingInterviewGoalAnswer,
    ClosingMeeting,
    Decision,
    DecisionFactor,
    FactorOption,
    GoalStatus,
    HalfDay,
    HourEntry,
    InterviewStatus,
    Phase,
    RecruitmentContact,
    Signature,
    StartAgreement,
    Trajectory,
)

pytestmark = pytest.mark.django_db

MODELS = [
    Decision,
    DecisionFactor,
    HalfDay,
    HourEntry,
    RecruitmentContact,
    Signature,
    StartAgreement,
    CalendarFeed,
    ClosingMeeting,
    ClosingInterview,
    ClosingInterviewGoalAnswer,
    GoalStatus,
]


def test_demo_has_every_phase_and_phase_one_records(demo_data):
    phases = set(Trajectory.objects.values_list("phase", flat=True))
    assert phases == set(Phase.values)
    declined = Trajectory.objects.filter(phase=Phase.DECLINED).first()
    assert declined.decision.is_yes is False
    assert declined.decision.factors.filter(is_helping=False).exists()
    custom = Trajectory.objects.filter(phase=Phase.CUSTOM).first()
    agreement = custom.start_agreements.get()
    assert agreement.is_locked
    assert custom.half_days.exclude(intervention_types=[]).exists()
    assert FactorOption.objects.count() >= 10
    assert CalendarFeed.objects.filter(user__email="teamcoach@demo.test").exists()
    assert HourEntry.objects.exists()


def test_seed_demo_is_idempotent(demo_data):
    before = {model: model.objects.count() for model in MODELS}
    call_command("seed_demo", quiet_logins=True, stdout=io.StringIO())
    assert {model: model.objects.count() for model in MODELS} == before


def test_demo_has_finished_trajectories_with_closing_data(demo_data):
    finished = list(Trajectory.objects.filter(phase=Phase.FINISHED))
    assert finished
    for trajectory in finished:
        assert ClosingMeeting.objects.filter(trajectory=trajectory).exists()
        interviews = list(trajectory.closing_interviews.all())
        assert len(interviews) == 3
        assert all(i.status != InterviewStatus.PLANNED for i in interviews)
        assert {i.interviewer.email for i in interviews} == {"onafhankelijk@demo.test"}
        assert not trajectory.memberships.filter(user__email="onafhankelijk@demo.test").exists()
    missed = ClosingInterview.objects.get(status=InterviewStatus.MISSED)
    assert missed.missed_reason == "change_of_job"
    assert missed.interviewee_role == "manager"
    held = ClosingInterview.objects.filter(status=InterviewStatus.HELD).first()
    assert held.goal_answers.filter(goal=1).exclude(steps="").exists()
    assert held.goal_answers.filter(goal=None).exists()  # the organisation's sub-goals
    assert ClosingInterview.objects.exclude(audio="").exists()
    sources = set(
        GoalStatus.objects.filter(trajectory=finished[0]).values_list("source", flat=True)
    )
    assert sources == {"start_agreement", "interim_evaluation", "closing_interview"}
    closing = Trajectory.objects.filter(phase=Phase.CLOSING).first()
    statuses = set(closing.closing_interviews.values_list("status", flat=True))
    assert statuses == {InterviewStatus.HELD, InterviewStatus.PLANNED}
