"""Phase 4 pages: the closing meeting, closing interviews and interim evaluations.

Who sees what (see access.CAPABILITIES):
- everyone with a role on the trajectory sees the closing meeting's date and
  attendance; only the team coach and research team read its notes;
- the team coach and research team plan interviews and see their status;
- only the research team reads interview text and hears the recording, and
  only researchers not involved in the trajectory fill in the guide.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lobtraject.actions import perform, perform_on_form
from lobtraject.audio import max_audio_bytes
from lobtraject.files import ranged_file_response

from .. import access, selectors, services
from ..access import Capability
from ..forms import (
    ClosingAudioForm,
    ClosingInterviewGuideForm,
    ClosingInterviewMissedForm,
    ClosingInterviewPlanForm,
    ClosingMeetingForm,
    InterimEvaluationForm,
)
from ..models import ClosingInterview, ClosingMeeting, GoalStatus, HalfDay


def _interview(trajectory, interview_pk) -> ClosingInterview:
    return get_object_or_404(
        ClosingInterview.objects.select_related("interviewee", "interviewer"),
        pk=interview_pk,
        trajectory=trajectory,
    )


@login_required
def closing(request, pk):
    """The closing phase of one trajectory: the meeting and, for the team, the interviews."""
    user = request.user
    trajectory = access.get_trajectory(user, pk, Capability.VIEW_TRAJECTORY)
    meeting = (
        ClosingMeeting.objects.filter(trajectory=trajectory).prefetch_related("attendees").first()
    )
    can_plan = access.can(user, Capability.PLAN_CLOSING_INTERVIEWS, trajectory)
    interviews = selectors.closing_interviews(trajectory) if can_plan else []
    to_plan = []
    if can_plan:
        interviewed = {interview.interviewee_id for interview in interviews}
        to_plan = [
            membership
            for membership in selectors.interviewee_memberships(trajectory)
            if membership.user_id not in interviewed
        ]
    # The interviewee sees when and where their own interview is, nothing more.
    my_interview = (
        ClosingInterview.objects.filter(trajectory=trajectory, interviewee=user)
        .select_related("interviewer")
        .first()
    )
    return render(
        request,
        "trajectories/closing.html",
        {
            "trajectory": trajectory,
            "my_interview": my_interview,
            "meeting": meeting,
            "attendees": list(meeting.attendees.all()) if meeting else [],
            "show_notes": access.can(user, Capability.READ_CLOSING_NOTES, trajectory),
            "can_edit_meeting": access.can(user, Capability.EDIT_CLOSING_MEETING, trajectory),
            "can_plan": can_plan,
            "can_read_interviews": access.can(user, Capability.READ_CLOSING_INTERVIEWS, trajectory),
            "interviews": interviews,
            "to_plan": to_plan,
            "missed_count": sum(1 for i in interviews if i.status == "missed"),
            "held_count": sum(1 for i in interviews if i.status == "held"),
        },
    )


@login_required
def closing_meeting_edit(request, pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.EDIT_CLOSING_MEETING)
    meeting = ClosingMeeting.objects.filter(trajectory=trajectory).first()
    initial = {}
    if meeting:
        initial = {
            "held_on": meeting.held_on,
            "attendees": list(meeting.attendees.all()),
            "look_back": meeting.look_back,
            "look_ahead": meeting.look_ahead,
        }
    form = ClosingMeetingForm(
        request.POST or None,
        initial=initial,
        candidates=selectors.closing_attendee_candidates(trajectory),
    )
    if request.method == "POST" and form.is_valid() and perform_on_form(
        request,
        form,
        lambda: services.closing_meeting_save(trajectory=trajectory, **form.cleaned_data),
        success=_("The closing meeting has been saved."),
    ):
        return redirect("trajectories:closing", pk=trajectory.pk)
    return render(
        request,
        "trajectories/closing_meeting_form.html",
        {"trajectory": trajectory, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def closing_interview_plan(request, pk, interview_pk=None):
    trajectory = access.get_trajectory(request.user, pk, Capability.PLAN_CLOSING_INTERVIEWS)
    interview = _interview(trajectory, interview_pk) if interview_pk else None
    taken = set(
        ClosingInterview.objects.filter(trajectory=trajectory).values_list(
            "interviewee_id", flat=True
        )
    )
    if interview:
        taken.discard(interview.interviewee_id)
    interviewees = [
        membership
        for membership in selectors.interviewee_memberships(trajectory)
        if membership.user_id not in taken
    ]
    initial = {}
    if interview:
        initial = {
            "interviewee": interview.interviewee_id,
            "interviewer": interview.interviewer_id,
            "planned_at": interview.planned_at,
            "is_online": interview.is_online,
            "place": interview.place,
        }
    form = ClosingInterviewPlanForm(
        request.POST or None,
        initial=initial,
        interviewees=interviewees,
        interviewers=selectors.eligible_interviewers(trajectory),
    )
    if request.method == "POST" and form.is_valid() and perform_on_form(
        request,
        form,
        lambda: services.closing_interview_plan(
            trajectory=trajectory, interview=interview, **form.cleaned_data
        ),
        success=_("The closing interview has been planned."),
    ):
        return redirect("trajectories:closing", pk=trajectory.pk)
    return render(
        request,
        "trajectories/closing_interview_plan.html",
        {"trajectory": trajectory, "form": form, "interview": interview},
        status=400 if form.errors else 200,
    )


@login_required
def closing_interview_missed(request, pk, interview_pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.PLAN_CLOSING_INTERVIEWS)
    interview = _interview(trajectory, interview_pk)
    form = ClosingInterviewMissedForm(
        request.POST or None,
        initial={"reason": interview.missed_reason, "note": interview.missed_note},
    )
    if request.method == "POST" and form.is_valid() and perform_on_form(
        request,
        form,
        lambda: services.closing_interview_record_missed(
            interview=interview,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        ),
        success=_("The interview has been recorded as not held."),
    ):
        return redirect("trajectories:closing", pk=trajectory.pk)
    return render(
        request,
        "trajectories/closing_interview_missed.html",
        {"trajectory": trajectory, "form": form, "interview": interview},
        status=400 if form.errors else 200,
    )


def _answers(interview):
    return {(answer.goal, answer.sub_goal): answer for answer in interview.goal_answers.all()}


def _sub_goals(trajectory, answers=()):
    """The agreement's sub-goals plus any sub-goal already answered (kept when it was renamed)."""
    agreement = selectors.current_agreement(trajectory)
    names = selectors.sub_goal_names(agreement.sub_goals) if agreement else []
    for goal, sub_goal in answers:
        if goal is None and sub_goal not in names:
            names.append(sub_goal)
    return names


@login_required
def closing_interview_detail(request, pk, interview_pk):
    """The interview as recorded: for the research team only."""
    trajectory = access.get_trajectory(request.user, pk, Capability.READ_CLOSING_INTERVIEWS)
    interview = _interview(trajectory, interview_pk)
    answers = _answers(interview)
    form = ClosingInterviewGuideForm(sub_goals=_sub_goals(trajectory, answers), answers=answers)
    sections = [
        {**section, "answer": answers.get((section["goal"], section["sub_goal"]))}
        for section in form.goal_sections
    ]
    can_hold = access.can(request.user, Capability.HOLD_CLOSING_INTERVIEW, trajectory)
    return render(
        request,
        "trajectories/closing_interview.html",
        {
            "trajectory": trajectory,
            "interview": interview,
            "sections": sections,
            "can_hold": can_hold,
            "audio_form": ClosingAudioForm() if can_hold else None,
            "max_audio_mb": max_audio_bytes() // (1024 * 1024),
        },
    )


@login_required
def closing_interview_guide(request, pk, interview_pk):
    """Fill in the interview guide: researchers not involved in the trajectory only."""
    trajectory = access.get_trajectory(request.user, pk, Capability.HOLD_CLOSING_INTERVIEW)
    interview = _interview(trajectory, interview_pk)
    answers = _answers(interview)
    initial = {
        name: getattr(interview, name)
        for name in (
            "overall_steps",
            "overall_helped",
            "overall_hindered",
            "still_needed",
            "notes",
            "completed_from_recording",
        )
    }
    form = ClosingInterviewGuideForm(
        request.POST or None,
        initial=initial,
        sub_goals=_sub_goals(trajectory, answers),
        answers=answers,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if perform_on_form(
            request,
            form,
            lambda: services.closing_interview_save_answers(
                interview=interview,
                by=request.user,
                goal_answers=form.goal_answers(),
                **{name: data[name] for name in initial},
            ),
            success=_("The interview has been saved."),
        ):
            return redirect(
                "trajectories:closing_interview", pk=trajectory.pk, interview_pk=interview.pk
            )
    return render(
        request,
        "trajectories/closing_interview_guide.html",
        {"trajectory": trajectory, "form": form, "interview": interview},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def closing_interview_audio_upload(request, pk, interview_pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.HOLD_CLOSING_INTERVIEW)
    interview = _interview(trajectory, interview_pk)
    form = ClosingAudioForm(request.POST, request.FILES)
    if form.is_valid():
        perform(
            request,
            lambda: services.closing_interview_add_audio(
                interview=interview, uploaded=form.cleaned_data["audio"]
            ),
            success=_("The recording has been saved."),
        )
    else:
        messages.error(request, _("Choose an audio file."))
    return redirect("trajectories:closing_interview", pk=trajectory.pk, interview_pk=interview.pk)


@login_required
def closing_interview_audio(request, pk, interview_pk):
    """Stream the recording (with Range support) to the research team only."""
    trajectory = access.get_trajectory(request.user, pk, Capability.READ_CLOSING_INTERVIEWS)
    interview = _interview(trajectory, interview_pk)
    if not interview.audio:
        raise Http404
    return ranged_file_response(request, interview.audio, interview.audio_content_type)


@login_required
def interim_evaluation(request, pk, half_day_pk):
    """Record each goal's status on a half-day with an interim evaluation (type 4)."""
    trajectory = access.get_trajectory(request.user, pk, Capability.EDIT_PLAN)
    half_day = get_object_or_404(HalfDay, pk=half_day_pk, trajectory=trajectory)
    if not selectors.is_interim_evaluation(half_day):
        messages.error(
            request,
            _("Goal statuses can only be recorded on a half-day with an interim evaluation."),
        )
        return redirect("trajectories:plan", pk=trajectory.pk)
    existing = list(GoalStatus.objects.filter(half_day=half_day))
    current = {(status.goal, status.sub_goal): status.status for status in existing}
    note = existing[0].note if existing else ""
    form = InterimEvaluationForm(
        request.POST or None,
        initial={"note": note},
        sub_goals=_sub_goals(trajectory),
        current=current,
    )
    if request.method == "POST" and form.is_valid() and perform_on_form(
        request,
        form,
        lambda: services.interim_evaluation_save(
            half_day=half_day,
            statuses=form.statuses(),
            note=form.cleaned_data["note"],
            by=request.user,
        ),
        success=_("The goal statuses have been saved."),
    ):
        return redirect("trajectories:detail", pk=trajectory.pk)
    return render(
        request,
        "trajectories/interim_evaluation.html",
        {"trajectory": trajectory, "form": form, "half_day": half_day},
        status=400 if form.errors else 200,
    )
