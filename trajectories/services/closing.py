"""Phase 4: the closing meeting and closing interviews (with their audio)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Exists, OuterRef, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from lobtraject.audio import check_upload
from research.consent import require_consent
from research.models import ConsentKind
from research.selectors import collection_stopped
from transcripts.services import transcript_request

from ..models import (
    ClosingInterview,
    ClosingInterviewGoalAnswer,
    ClosingMeeting,
    GoalProgress,
    GoalReached,
    GoalSource,
    GoalStatus,
    InterviewStatus,
    Membership,
    MissedReason,
    Phase,
    Role,
    StudyMembership,
    StudyRole,
    Trajectory,
)
from ..selectors import (
    CLOSING_OPEN_PHASES,
    closing_attendee_candidates,
)

# --- phase 4: closing meeting, closing interviews, goal progress -------------------


def interviews_to_plan_refresh(*, trajectory_ids) -> int:
    """Recompute `Trajectory.interviews_to_plan` for these trajectories in one UPDATE
    (an iterable of ids or a subquery of them); returns the number of rows."""
    interviews = ClosingInterview.objects.filter(trajectory_id=OuterRef("pk"))
    to_plan = ~Exists(interviews) | Exists(
        interviews.filter(status=InterviewStatus.PLANNED, planned_at__isnull=True)
    )
    return Trajectory.objects.filter(pk__in=trajectory_ids).update(
        interviews_to_plan=Case(
            When(to_plan, phase=Phase.CLOSING, then=Value(True)), default=Value(False)
        )
    )



@transaction.atomic
def closing_meeting_save(
    *, trajectory: Trajectory, held_on, attendees, look_back: str = "", look_ahead: str = ""
) -> ClosingMeeting:
    """Record (or change) the closing meeting and who attended it."""
    if trajectory.phase not in CLOSING_OPEN_PHASES:
        raise ValidationError(
            _("The closing meeting can be recorded once the custom trajectory has started.")
        )
    attendees = list(attendees)
    allowed = set(closing_attendee_candidates(trajectory).values_list("pk", flat=True))
    if any(user.pk not in allowed for user in attendees):
        raise ValidationError(
            {
                "attendees": _(
                    "Only champions, buddies, managers and the research team of this "
                    "trajectory can be marked present."
                )
            }
        )
    meeting = ClosingMeeting.objects.filter(trajectory=trajectory).first() or ClosingMeeting(
        trajectory=trajectory
    )
    meeting.held_on = held_on
    meeting.look_back = (look_back or "").strip()
    meeting.look_ahead = (look_ahead or "").strip()
    meeting.full_clean()
    meeting.save()
    meeting.attendees.set(attendees)
    return meeting


def _interviewer_problem(trajectory: Trajectory, interviewer) -> str | None:
    if interviewer is None:
        return None
    # Involved: a role in the trajectory, or the researcher of one of its dialogue
    # sessions (a study researcher who did the dialogue is no longer independent).
    did_a_dialogue = interviewer.researched_dialogues.filter(trajectory=trajectory).exists()
    if (
        did_a_dialogue
        or Membership.objects.filter(trajectory=trajectory, user=interviewer).exists()
    ):
        return _(
            "%(name)s is involved in this trajectory. A closing interview is held by a "
            "researcher who is not involved in it."
        ) % {"name": interviewer.get_full_name() or interviewer.email}
    if not StudyMembership.objects.filter(
        study_id=trajectory.study_id, user=interviewer, role=StudyRole.RESEARCHER
    ).exists():
        return _("%(name)s is not a researcher in this study's research team.") % {
            "name": interviewer.get_full_name() or interviewer.email
        }
    return None


def _collection_stopped(user, trajectory) -> bool:
    """Whether this person withdrew consent for the interview (or for the research); the
    research module decides, and then no new interview data are collected from them."""
    return collection_stopped(user=user, kind=ConsentKind.INTERVIEW, trajectory=trajectory)


@transaction.atomic
def closing_interview_plan(
    *,
    trajectory: Trajectory,
    interviewee,
    interviewer,
    planned_at,
    place: str = "",
    is_online: bool = False,
    interview: ClosingInterview | None = None,
) -> ClosingInterview:
    """Plan (or re-plan) the closing interview with a champion, buddy or manager.

    Refuses an interviewer who holds any role in the trajectory: the interview
    is held by an independent researcher of the study.
    """
    if trajectory.phase not in CLOSING_OPEN_PHASES:
        raise ValidationError(
            _("Closing interviews can be planned once the custom trajectory has started.")
        )
    errors: dict[str, str] = {}
    roles = set(
        Membership.objects.filter(
            trajectory=trajectory,
            user=interviewee,
            role__in=[Role.CHAMPION, Role.BUDDY, Role.MANAGER],
        ).values_list("role", flat=True)
    )
    if not roles:
        errors["interviewee"] = _(
            "Only a champion, buddy or manager of this trajectory can be interviewed."
        )
    elif _collection_stopped(interviewee, trajectory):
        errors["interviewee"] = _(
            "This person has withdrawn consent for the research; no interview can be planned."
        )
    problem = _interviewer_problem(trajectory, interviewer)
    if problem:
        errors["interviewer"] = problem
    if not is_online and not (place or "").strip():
        errors["place"] = _("Give the place, or mark the interview as online (Teams).")
    if interview is None:
        interview = ClosingInterview(trajectory=trajectory)
        if ClosingInterview.objects.filter(trajectory=trajectory, interviewee=interviewee).exists():
            errors["interviewee"] = _("This person already has a closing interview.")
    elif interview.status == InterviewStatus.HELD and interview.interviewee_id != interviewee.pk:
        errors["interviewee"] = _("A held interview cannot be moved to someone else.")
    if errors:
        raise ValidationError(errors)
    interview.interviewee = interviewee
    # The most specific role counts when someone holds several.
    for role in (Role.CHAMPION, Role.BUDDY, Role.MANAGER):
        if role in roles:
            interview.interviewee_role = role
            break
    interview.interviewer = interviewer
    interview.planned_at = planned_at
    interview.is_online = is_online
    interview.place = "" if is_online else place.strip()
    if interview.status == InterviewStatus.MISSED:
        # Planning it again means it may still take place.
        interview.status = InterviewStatus.PLANNED
        interview.missed_reason = ""
    interview.full_clean()
    interview.save()
    return interview


@transaction.atomic
def closing_interview_record_missed(
    *, interview: ClosingInterview, reason: str, note: str = ""
) -> ClosingInterview:
    """Record that an interview could not take place, and why."""
    interview = ClosingInterview.objects.select_for_update().get(pk=interview.pk)
    if interview.status == InterviewStatus.HELD:
        raise ValidationError(_("This interview has been held; it cannot be marked as missed."))
    if reason not in MissedReason.values:
        raise ValidationError({"missed_reason": _("Choose why the interview did not take place.")})
    interview.status = InterviewStatus.MISSED
    interview.missed_reason = reason
    interview.missed_note = (note or "").strip()
    interview.full_clean()
    interview.save()
    return interview


REACHED_TO_PROGRESS = {
    GoalReached.PARTLY: GoalProgress.PARTLY,
    GoalReached.YES: GoalProgress.REACHED,
}


def require_interview_consent(interview: ClosingInterview) -> None:
    """The gate of closing-interview intake: the interviewee's current interview consent
    (which covers the audio recording)."""
    require_consent(
        trajectory=interview.trajectory_id,
        kind=ConsentKind.INTERVIEW,
        user=interview.interviewee,
        about_self=False,
    )


def _interview_date(interview: ClosingInterview):
    if interview.planned_at:
        return timezone.localtime(interview.planned_at).date()
    return timezone.localdate()


@transaction.atomic
def closing_interview_save_answers(
    *,
    interview: ClosingInterview,
    by,
    overall_steps: str = "",
    overall_helped: str = "",
    overall_hindered: str = "",
    still_needed: str = "",
    notes: str = "",
    completed_from_recording: bool = False,
    goal_answers: list[dict] | None = None,
) -> ClosingInterview:
    """Save the interview guide: overall, per goal and sub-goal, what is still needed.

    Saving marks the interview as held. A goal answered "partly" or "yes"
    records a goal status from this interview; changing the answer replaces
    or removes that status.
    """
    require_interview_consent(interview)
    interview = ClosingInterview.objects.select_for_update().get(pk=interview.pk)
    if interview.status == InterviewStatus.MISSED:
        raise ValidationError(
            _("This interview did not take place. Plan it again before recording answers.")
        )
    problem = _interviewer_problem(interview.trajectory, by)
    if problem:
        raise ValidationError(problem)
    interview.overall_steps = overall_steps.strip()
    interview.overall_helped = overall_helped.strip()
    interview.overall_hindered = overall_hindered.strip()
    interview.still_needed = still_needed.strip()
    interview.notes = notes.strip()
    interview.completed_from_recording = completed_from_recording
    interview.status = InterviewStatus.HELD
    if interview.interviewer_id is None:
        interview.interviewer = by
    interview.full_clean()
    interview.save()
    on = _interview_date(interview)
    for answer in goal_answers or []:
        goal = answer.get("goal")
        sub_goal = "" if goal else (answer.get("sub_goal") or "").strip()
        texts = {name: (answer.get(name) or "").strip() for name in ("steps", "helped", "hindered")}
        reached = answer.get("reached") or ""
        lookup = {"interview": interview, "goal": goal or None, "sub_goal": sub_goal}
        if not any(texts.values()) and not reached:
            ClosingInterviewGoalAnswer.objects.filter(**lookup).delete()
        else:
            row = ClosingInterviewGoalAnswer.objects.filter(**lookup).first()
            row = row or ClosingInterviewGoalAnswer(**lookup)
            for name, value in texts.items():
                setattr(row, name, value)
            row.reached = reached
            row.full_clean()
            row.save()
        status_lookup = {
            "trajectory": interview.trajectory,
            "interview": interview,
            "goal": goal or None,
            "sub_goal": sub_goal,
        }
        if reached in REACHED_TO_PROGRESS:
            GoalStatus.objects.update_or_create(
                **status_lookup,
                defaults={
                    "source": GoalSource.CLOSING_INTERVIEW,
                    "recorded_on": on,
                    "status": REACHED_TO_PROGRESS[reached],
                    "recorded_by": by,
                },
            )
        else:
            GoalStatus.objects.filter(**status_lookup).delete()
    return interview


@transaction.atomic
def closing_interview_add_audio(*, interview: ClosingInterview, uploaded) -> ClosingInterview:
    """Store the interview's recording privately (one per interview; a new one replaces it)."""
    require_interview_consent(interview)
    content_type, suffix = check_upload(uploaded)
    old = interview.audio.name if interview.audio else ""
    interview.audio.save(f"interview{suffix}", uploaded, save=False)
    interview.audio_content_type = content_type
    interview.save(update_fields=["audio", "audio_content_type", "updated_at"])
    # A draft text on this server, for the interviewer to correct; a new recording replaces it.
    transcript_request(kind="interview", audio_id=interview.pk)
    if old:
        storage = interview.audio.storage
        transaction.on_commit(lambda: storage.delete(old))
    return interview


@transaction.atomic
def closing_interview_delete(*, interview: ClosingInterview) -> None:
    """Delete an interview with its answers, its goal statuses and its recording file.

    For a withdrawal of consent: the database rows go at once, the file once
    the transaction has committed (so a rollback keeps both).
    """
    name = interview.audio.name if interview.audio else ""
    storage = interview.audio.storage
    interview.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
