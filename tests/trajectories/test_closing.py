"""Phase 4: closing meeting, closing interviews (independence rule), goal statuses."""

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PERSONAS
from tests.factories import HalfDayFactory, MembershipFactory, UserFactory
from tests.logbooks.audio_samples import wav_bytes
from tests.trajectories.factories import StartAgreementFactory
from trajectories import selectors, services
from trajectories.models import (
    ClosingInterview,
    ClosingInterviewGoalAnswer,
    ClosingMeeting,
    GoalSource,
    GoalStatus,
    InterviewStatus,
    Phase,
    Role,
    SignatureParty,
)

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
WHEN = datetime(2026, 11, 10, 14, 0, tzinfo=AMS)


@pytest.fixture
def closing(world):
    """Het Baken College in the closing phase, with one sub-goal in its start agreement."""
    world.trajectory.phase = Phase.CLOSING
    world.trajectory.save()
    StartAgreementFactory(
        trajectory=world.trajectory, sub_goals="Mentoren voeren loopbaangesprekken"
    )
    return world


def _plan(world, who="champion", **kwargs):
    return services.closing_interview_plan(
        trajectory=world.trajectory,
        interviewee=getattr(world, who),
        interviewer=kwargs.pop("interviewer", world.independent),
        planned_at=WHEN,
        place=kwargs.pop("place", "Lokaal 2.14"),
        **kwargs,
    )


GUIDE = {
    "overall_steps": "ALGEMEEN-STAPPEN-7781",
    "overall_helped": "De dialogen hielpen.",
    "overall_hindered": "Weinig tijd.",
    "g1-steps": "DOEL1-STAPPEN-4410",
    "g1-reached": "yes",
    "g2-steps": "Teamleden kennen de visie.",
    "g2-reached": "partly",
    "g3-reached": "no",
    "s0-steps": "SUBDOEL-STAPPEN-9012",
    "s0-reached": "partly",
    "still_needed": "NOG-NODIG-3321",
    "notes": "Aangevuld na het gesprek.",
    "completed_from_recording": "on",
}


# --- the independence rule ----------------------------------------------------------


def test_interviewer_choices_list_only_researchers_not_involved(closing, client_for):
    response = client_for(closing.coach).get(
        reverse("trajectories:closing_interview_new", args=[closing.trajectory.pk])
    )
    assert response.status_code == 200
    choices = list(response.context["form"].fields["interviewer"].queryset)
    assert choices == [closing.independent]
    assert closing.researcher not in choices
    assert "Annemiek" in response.content.decode()
    assert (
        "Bouzid"
        not in response.content.decode().split('name="interviewer"')[1].split("</select>")[0]
    )


def test_service_refuses_an_involved_researcher_in_dutch(closing):
    with pytest.raises(ValidationError) as refused:
        _plan(closing, interviewer=closing.researcher)
    assert "niet bij het traject betrokken" in str(refused.value)
    assert "interviewer" in refused.value.error_dict
    # The team coach is involved too; and someone outside the research team is no option.
    with pytest.raises(ValidationError):
        _plan(closing, interviewer=closing.coach)
    with pytest.raises(ValidationError):
        _plan(closing, interviewer=UserFactory())
    assert not ClosingInterview.objects.exists()


def test_service_refuses_a_researcher_who_became_involved_later(closing):
    interview = _plan(closing)
    MembershipFactory(trajectory=closing.trajectory, user=closing.independent, role=Role.RESEARCHER)
    with pytest.raises(ValidationError):
        services.closing_interview_save_answers(interview=interview, by=closing.independent)
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.PLANNED


def test_crafted_post_with_an_involved_researcher_is_refused_and_saves_nothing(closing, client_for):
    url = reverse("trajectories:closing_interview_new", args=[closing.trajectory.pk])
    response = client_for(closing.coach).post(
        url,
        {
            "interviewee": closing.champion.pk,
            "interviewer": closing.researcher.pk,
            "planned_at": "2026-11-10T14:00",
            "place": "Lokaal 2.14",
        },
    )
    assert response.status_code == 400
    assert "interviewer" in response.context["form"].errors
    assert not ClosingInterview.objects.exists()


def test_planning_with_an_independent_researcher(closing, client_for):
    url = reverse("trajectories:closing_interview_new", args=[closing.trajectory.pk])
    response = client_for(closing.coach).post(
        url,
        {
            "interviewee": closing.manager.pk,
            "interviewer": closing.independent.pk,
            "planned_at": "2026-11-10T14:00",
            "is_online": "on",
        },
    )
    assert response.status_code == 302
    interview = ClosingInterview.objects.get()
    assert interview.interviewee_role == Role.MANAGER
    assert interview.is_online and interview.place == ""
    assert interview.interviewer == closing.independent


def test_planning_needs_a_place_or_online_and_only_interviewees(closing):
    with pytest.raises(ValidationError) as refused:
        _plan(closing, place="")
    assert "place" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        _plan(closing, who="participant")
    assert "interviewee" in refused.value.error_dict
    _plan(closing)
    with pytest.raises(ValidationError):
        _plan(closing)
    assert ClosingInterview.objects.count() == 1


# --- the interview guide --------------------------------------------------------------


def test_per_goal_answers_are_saved_and_shown(closing, client_for):
    interview = _plan(closing)
    url = reverse(
        "trajectories:closing_interview_guide", args=[closing.trajectory.pk, interview.pk]
    )
    response = client_for(closing.independent).post(url, GUIDE)
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.HELD
    assert interview.completed_from_recording
    answers = {(a.goal, a.sub_goal): a for a in interview.goal_answers.all()}
    assert set(answers) == {
        (1, ""),
        (2, ""),
        (3, ""),
        (None, "Mentoren voeren loopbaangesprekken"),
    }
    assert answers[(1, "")].steps == "DOEL1-STAPPEN-4410"
    assert answers[(1, "")].reached == "yes"
    assert answers[(3, "")].reached == "no"
    # "partly" and "yes" become goal statuses from this interview; "no" does not.
    statuses = {
        (s.goal, s.sub_goal): s.status for s in GoalStatus.objects.filter(interview=interview)
    }
    assert statuses == {
        (1, ""): "reached",
        (2, ""): "partly",
        (None, "Mentoren voeren loopbaangesprekken"): "partly",
    }
    assert all(
        s.recorded_on == date(2026, 11, 10) for s in GoalStatus.objects.filter(interview=interview)
    )
    for reader in (closing.researcher, closing.independent):
        page = client_for(reader).get(
            reverse("trajectories:closing_interview", args=[closing.trajectory.pk, interview.pk])
        )
        text = page.content.decode()
        for marker in ("ALGEMEEN-STAPPEN-7781", "DOEL1-STAPPEN-4410", "SUBDOEL-STAPPEN-9012"):
            assert marker in text
        assert "NOG-NODIG-3321" in text


def test_changing_an_answer_replaces_or_removes_its_goal_status(closing, client_for):
    interview = _plan(closing)
    url = reverse(
        "trajectories:closing_interview_guide", args=[closing.trajectory.pk, interview.pk]
    )
    client = client_for(closing.independent)
    client.post(url, GUIDE)
    client.post(
        url, {**GUIDE, "g1-reached": "no", "g2-reached": "yes", "s0-steps": "", "s0-reached": ""}
    )
    statuses = {
        (s.goal, s.sub_goal): s.status for s in GoalStatus.objects.filter(interview=interview)
    }
    assert statuses == {(2, ""): "reached"}
    assert not ClosingInterviewGoalAnswer.objects.filter(interview=interview, goal=None).exists()
    # The form shows what was saved.
    page = client.get(url)
    assert page.context["form"]["g2-reached"].value() == "yes"


def test_the_interviewee_sees_when_and_with_whom_only(closing, client_for):
    _plan(closing)
    url = reverse("trajectories:closing", args=[closing.trajectory.pk])
    text = client_for(closing.champion).get(url).content.decode()
    assert 'id="my-interview"' in text
    assert "Lokaal 2.14" in text and "Annemiek van den Heuvel" in text
    assert 'id="interviews"' not in text
    assert 'id="my-interview"' not in client_for(closing.manager).get(url).content.decode()


def test_no_one_reads_interview_text_but_the_research_team(closing, client_for):
    interview = _plan(closing)
    services.closing_interview_save_answers(
        interview=interview, by=closing.independent, overall_steps="GEHEIM-INTERVIEW-5150"
    )
    closing_url = reverse("trajectories:closing", args=[closing.trajectory.pk])
    for persona in ("coach", "champion", "buddy", "manager", "staff"):
        page = client_for(getattr(closing, persona)).get(closing_url)
        assert page.status_code == 200
        assert "GEHEIM-INTERVIEW-5150" not in page.content.decode()
        detail = client_for(getattr(closing, persona)).get(
            reverse("trajectories:closing_interview", args=[closing.trajectory.pk, interview.pk])
        )
        assert detail.status_code == 403


# --- missed interviews ---------------------------------------------------------------


def test_a_missed_interview_is_recorded_with_its_reason_and_counted(closing, client_for):
    held = _plan(closing)
    services.closing_interview_save_answers(interview=held, by=closing.independent)
    missed = _plan(closing, who="manager")
    url = reverse("trajectories:closing_interview_missed", args=[closing.trajectory.pk, missed.pk])
    response = client_for(closing.coach).post(
        url, {"reason": "change_of_job", "note": "Vertrokken naar een andere school."}
    )
    assert response.status_code == 302
    missed.refresh_from_db()
    assert missed.status == InterviewStatus.MISSED
    assert missed.missed_reason == "change_of_job"
    summary = selectors.closing_summary_for([closing.trajectory])[closing.trajectory.pk]
    assert (summary.held, summary.missed, summary.planned, summary.to_plan) == (1, 1, 0, 1)
    page = client_for(closing.coach).get(
        reverse("trajectories:closing", args=[closing.trajectory.pk])
    )
    assert "1 gehouden, 1 niet doorgegaan" in page.content.decode()
    assert "wisseling van baan" in page.content.decode()


def test_missed_needs_a_reason_and_a_held_interview_cannot_be_missed(closing, client_for):
    interview = _plan(closing)
    url = reverse(
        "trajectories:closing_interview_missed", args=[closing.trajectory.pk, interview.pk]
    )
    assert client_for(closing.coach).post(url, {"reason": ""}).status_code == 400
    services.closing_interview_save_answers(interview=interview, by=closing.independent)
    with pytest.raises(ValidationError):
        services.closing_interview_record_missed(interview=interview, reason="illness")
    with pytest.raises(ValidationError):
        services.closing_interview_save_answers(
            interview=services.closing_interview_record_missed(
                interview=_plan(closing, who="buddy"), reason="illness"
            ),
            by=closing.independent,
        )


# --- closing meeting and finishing ---------------------------------------------------------


def test_closing_meeting_notes_only_for_the_team(closing, client_for):
    url = reverse("trajectories:closing_meeting", args=[closing.trajectory.pk])
    response = client_for(closing.coach).post(
        url,
        {
            "held_on": "2026-12-01",
            "attendees": [closing.champion.pk, closing.manager.pk, closing.independent.pk],
            "look_back": "TERUGBLIK-6620",
            "look_ahead": "VOORUITBLIK-6621",
        },
    )
    assert response.status_code == 302
    meeting = ClosingMeeting.objects.get()
    assert set(meeting.attendees.all()) == {closing.champion, closing.manager, closing.independent}
    page_url = reverse("trajectories:closing", args=[closing.trajectory.pk])
    for persona, sees_notes in (
        ("coach", True),
        ("researcher", True),
        ("independent", True),
        ("manager", False),
        ("champion", False),
        ("buddy", False),
    ):
        text = client_for(getattr(closing, persona)).get(page_url).content.decode()
        assert "1 december 2026" in text
        assert "Fatima El Amrani" in text
        assert ("TERUGBLIK-6620" in text) is sees_notes
        assert ("VOORUITBLIK-6621" in text) is sees_notes


def test_closing_meeting_refuses_someone_outside_the_trajectory(closing, client_for):
    with pytest.raises(ValidationError):
        services.closing_meeting_save(
            trajectory=closing.trajectory, held_on=date(2026, 12, 1), attendees=[closing.outsider]
        )
    response = client_for(closing.coach).post(
        reverse("trajectories:closing_meeting", args=[closing.trajectory.pk]),
        {"held_on": "2026-12-01", "attendees": [closing.outsider.pk]},
    )
    assert response.status_code == 400
    assert not ClosingMeeting.objects.exists()


def test_finishing_needs_the_meeting_and_every_interview_held_or_missed(closing):
    trajectory = closing.trajectory
    problems = selectors.transition_problems(trajectory, Phase.FINISHED)
    assert "slotbijeenkomst" in problems[0]
    assert "3 aanjagers, maatjes of managers" in problems[1]
    services.closing_meeting_save(trajectory=trajectory, held_on=date(2026, 12, 1), attendees=[])
    champion = _plan(closing)
    _plan(closing, who="buddy")
    missed = _plan(closing, who="manager")
    services.closing_interview_record_missed(interview=missed, reason="change_of_job")
    services.closing_interview_save_answers(interview=champion, by=closing.independent)
    with pytest.raises(ValidationError) as refused:
        services.trajectory_change_phase(trajectory=trajectory, to_phase=Phase.FINISHED, by=None)
    assert "1 slotinterview" in str(refused.value)
    buddy = ClosingInterview.objects.get(interviewee=closing.buddy)
    services.closing_interview_save_answers(interview=buddy, by=closing.independent)
    services.trajectory_change_phase(trajectory=trajectory, to_phase=Phase.FINISHED, by=None)
    trajectory.refresh_from_db()
    assert trajectory.phase == Phase.FINISHED


# --- goal progress ----------------------------------------------------------------------


def test_signing_records_the_baseline_and_the_timeline_runs_in_order(closing, client_for):
    trajectory = closing.trajectory
    agreement = selectors.current_agreement(trajectory)
    for party, user in (
        (SignatureParty.RESEARCH_TEAM, closing.coach),
        (SignatureParty.CHAMPION, closing.champion),
        (SignatureParty.MANAGEMENT, closing.manager),
    ):
        services.agreement_sign(agreement=agreement, party=party, user=user)
    baseline = GoalStatus.objects.filter(source=GoalSource.START_AGREEMENT)
    assert baseline.count() == 5  # four goals and the one sub-goal
    assert {status.recorded_on for status in baseline} == {timezone.localdate()}
    baseline.update(recorded_on=date(2026, 2, 1))  # as if signed in February
    interim = HalfDayFactory(
        trajectory=trajectory,
        intervention_types=["interim"],
        starts_at=datetime(2026, 6, 3, 10, 0, tzinfo=AMS),
        ends_at=datetime(2026, 6, 3, 12, 0, tzinfo=AMS),
    )
    response = client_for(closing.coach).post(
        reverse("trajectories:interim_evaluation", args=[trajectory.pk, interim.pk]),
        {"g1": "in_progress", "g2": "", "s0": "partly", "note": "Tussenevaluatie met de directie."},
    )
    assert response.status_code == 302
    interview = _plan(closing)
    services.closing_interview_save_answers(
        interview=interview,
        by=closing.independent,
        goal_answers=[{"goal": 1, "reached": "yes"}],
    )
    tracks = {(t.goal, t.sub_goal): t for t in selectors.goal_progress(trajectory)}
    vision = tracks[(1, "")]
    assert [(p.source, p.status) for p in vision.points] == [
        ("start_agreement", "not_started"),
        ("interim_evaluation", "in_progress"),
        ("closing_interview", "reached"),
    ]
    assert [p.recorded_on for p in vision.points][1:] == [date(2026, 6, 3), date(2026, 11, 10)]
    assert [p.status for p in tracks[(2, "")].points] == ["not_started"]
    sub = tracks[(None, "Mentoren voeren loopbaangesprekken")]
    assert [p.status for p in sub.points] == ["not_started", "partly"]
    # The trajectory page shows the timeline to everyone who follows progress.
    page = client_for(closing.manager).get(reverse("trajectories:detail", args=[trajectory.pk]))
    text = page.content.decode()
    assert 'id="goal-progress"' in text
    assert "bereikt" in text
    assert "Tussenevaluatie met de directie." not in text


def test_interim_statuses_only_on_an_interim_half_day(closing, client_for):
    ordinary = HalfDayFactory(trajectory=closing.trajectory, intervention_types=["training"])
    response = client_for(closing.coach).post(
        reverse("trajectories:interim_evaluation", args=[closing.trajectory.pk, ordinary.pk]),
        {"g1": "reached"},
    )
    assert response.status_code == 302
    assert not GoalStatus.objects.exists()
    with pytest.raises(ValidationError):
        services.interim_evaluation_save(half_day=ordinary, statuses={(1, ""): "reached"})


# --- every view, every persona ---------------------------------------------------------------

VIEW = {
    **{p: 200 for p in PERSONAS},
    "participant": 403,
    "outsider": 404,
}
TEAM_ONLY = {**{p: 403 for p in PERSONAS}, "outsider": 404}
EDIT_MEETING = {**TEAM_ONLY, "coach": 200, "researcher": 200}
PLAN = {**TEAM_ONLY, "coach": 200, "researcher": 200, "independent": 200}
READ = {**TEAM_ONLY, "researcher": 200, "independent": 200}
HOLD = {**TEAM_ONLY, "independent": 200}


@pytest.fixture
def pages(closing):
    interview = _plan(closing)
    interview.audio.save("x.wav", SimpleUploadedFile("x.wav", wav_bytes()), save=False)
    interview.audio_content_type = "audio/wav"
    interview.save()
    interim = HalfDayFactory(trajectory=closing.trajectory, intervention_types=["interim"])
    pk, ipk = closing.trajectory.pk, interview.pk
    return {
        "closing": (reverse("trajectories:closing", args=[pk]), VIEW),
        "meeting": (reverse("trajectories:closing_meeting", args=[pk]), EDIT_MEETING),
        "plan_new": (reverse("trajectories:closing_interview_new", args=[pk]), PLAN),
        "plan": (reverse("trajectories:closing_interview_plan", args=[pk, ipk]), PLAN),
        "missed": (reverse("trajectories:closing_interview_missed", args=[pk, ipk]), PLAN),
        "detail": (reverse("trajectories:closing_interview", args=[pk, ipk]), READ),
        "guide": (reverse("trajectories:closing_interview_guide", args=[pk, ipk]), HOLD),
        "audio": (reverse("trajectories:closing_interview_audio", args=[pk, ipk]), READ),
        "interim": (
            reverse("trajectories:interim_evaluation", args=[pk, interim.pk]),
            {**TEAM_ONLY, "coach": 200, "researcher": 200},
        ),
    }


@pytest.mark.parametrize(
    "page",
    ["closing", "meeting", "plan_new", "plan", "missed", "detail", "guide", "audio", "interim"],
)
def test_every_closing_page_for_every_persona(closing, pages, client_for, page):
    url, expected = pages[page]
    for persona in PERSONAS:
        response = client_for(getattr(closing, persona)).get(url)
        assert response.status_code == expected[persona], (page, persona)
    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_audio_upload_is_independent_only_and_sniffed(closing, client_for):
    interview = _plan(closing)
    url = reverse(
        "trajectories:closing_interview_audio_upload", args=[closing.trajectory.pk, interview.pk]
    )
    for persona in ("coach", "researcher", "manager"):
        response = client_for(getattr(closing, persona)).post(
            url, {"audio": SimpleUploadedFile("a.wav", wav_bytes())}
        )
        assert response.status_code == 403
    fake = SimpleUploadedFile("stiekem.mp3", b"<html>geen audio</html>")
    client_for(closing.independent).post(url, {"audio": fake})
    interview.refresh_from_db()
    assert not interview.audio
    client_for(closing.independent).post(url, {"audio": SimpleUploadedFile("a.wav", wav_bytes())})
    interview.refresh_from_db()
    assert interview.audio.name.startswith("private/closing-interview-audio/")
    assert interview.audio_content_type == "audio/wav"
    assert os.path.exists(os.path.join(settings.MEDIA_ROOT, interview.audio.name))


def test_audio_is_private_and_streams_ranges_to_the_research_team(closing, client_for):
    interview = _plan(closing)
    services.closing_interview_add_audio(
        interview=interview, uploaded=SimpleUploadedFile("a.wav", wav_bytes())
    )
    url = reverse(
        "trajectories:closing_interview_audio", args=[closing.trajectory.pk, interview.pk]
    )
    assert not url.startswith(settings.MEDIA_URL)
    assert not url.startswith(settings.STATIC_URL)
    response = client_for(closing.researcher).get(url, HTTP_RANGE="bytes=0-3")
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == b"RIFF"
    assert response["Cache-Control"] == "private, no-store"
    # The media folder itself is not routed.
    assert (
        client_for(closing.researcher).get(settings.MEDIA_URL + interview.audio.name).status_code
        == 404
    )
    for persona, status in (("coach", 403), ("manager", 403), ("champion", 403), ("outsider", 404)):
        assert client_for(getattr(closing, persona)).get(url).status_code == status


def test_deleting_an_interview_removes_answers_statuses_and_the_file(
    closing, django_capture_on_commit_callbacks
):
    interview = _plan(closing)
    services.closing_interview_save_answers(
        interview=interview, by=closing.independent, goal_answers=[{"goal": 2, "reached": "yes"}]
    )
    services.closing_interview_add_audio(
        interview=interview, uploaded=SimpleUploadedFile("a.wav", wav_bytes())
    )
    interview.refresh_from_db()
    path = os.path.join(settings.MEDIA_ROOT, interview.audio.name)
    assert os.path.exists(path)
    with django_capture_on_commit_callbacks(execute=True):
        services.closing_interview_delete(interview=interview)
    assert not ClosingInterview.objects.exists()
    assert not ClosingInterviewGoalAnswer.objects.exists()
    assert not GoalStatus.objects.filter(source=GoalSource.CLOSING_INTERVIEW).exists()
    assert not os.path.exists(path)


# --- query counts --------------------------------------------------------------------------


def test_closing_page_query_count_does_not_grow_with_interviews(
    closing, client_for, django_assert_num_queries
):
    client = client_for(closing.coach)
    url = reverse("trajectories:closing", args=[closing.trajectory.pk])
    services.closing_meeting_save(
        trajectory=closing.trajectory,
        held_on=date(2026, 12, 1),
        attendees=[closing.champion],
    )
    _plan(closing)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for index in range(6):
        extra = UserFactory(first_name=f"Extra{index}")
        MembershipFactory(trajectory=closing.trajectory, user=extra, role=Role.MANAGER)
        services.closing_interview_plan(
            trajectory=closing.trajectory,
            interviewee=extra,
            interviewer=closing.independent,
            planned_at=WHEN,
            is_online=True,
        )
    services.closing_meeting_save(
        trajectory=closing.trajectory,
        held_on=date(2026, 12, 1),
        attendees=[closing.champion, closing.manager, closing.buddy, closing.independent],
    )
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert response.content.decode().count("Extra") >= 6


def test_closing_pages_render_with_the_demo_data(demo_data, client_for):
    from accounts.models import User

    trajectory = ClosingInterview.objects.get(status=InterviewStatus.MISSED).trajectory
    held = trajectory.closing_interviews.filter(status=InterviewStatus.HELD).first()
    independent = User.objects.get(email="onafhankelijk@demo.test")
    coach = User.objects.get(email="teamcoach@demo.test")
    pages = [
        (coach, reverse("trajectories:closing", args=[trajectory.pk]), "wisseling van baan"),
        (coach, reverse("trajectories:detail", args=[trajectory.pk]), "deels bereikt"),
        (
            independent,
            reverse("trajectories:closing_interview", args=[trajectory.pk, held.pk]),
            "Doel 4",
        ),
        (
            independent,
            reverse("trajectories:closing_interview_guide", args=[trajectory.pk, held.pk]),
            "Is het doel behaald?",
        ),
    ]
    for user, url, expected in pages:
        response = client_for(user).get(url)
        assert response.status_code == 200, url
        assert expected in response.content.decode(), url


def test_the_researcher_of_one_of_its_dialogues_is_involved(closing):
    """A study researcher who did a dialogue session of the trajectory is involved in it."""
    from tests.dialogues.factories import DialogueSessionFactory

    interview = _plan(closing)
    DialogueSessionFactory(
        trajectory=closing.trajectory, facilitator=closing.coach, researcher=closing.independent
    )
    assert list(selectors.eligible_interviewers(closing.trajectory)) == []
    with pytest.raises(ValidationError) as refused:
        _plan(closing, who="buddy")
    assert "niet bij het traject betrokken" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        services.closing_interview_save_answers(interview=interview, by=closing.independent)
    assert "niet bij het traject betrokken" in str(refused.value)
