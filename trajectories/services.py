"""Writes for trajectories: phase transitions, signing, hours, half-days, feeds.

Every function validates, raises a Dutch ``ValidationError`` on bad input and
changes nothing in that case (``transaction.atomic``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lobtraject.audio import check_upload
from research.selectors import collection_stopped

from . import access, selectors
from .goals import Goal
from .models import (
    BudgetExtension,
    CalendarFeed,
    ClosingInterview,
    ClosingInterviewGoalAnswer,
    ClosingMeeting,
    Decision,
    DecisionFactor,
    GoalProgress,
    GoalReached,
    GoalSource,
    GoalStatus,
    HalfDay,
    HourEntry,
    InterventionType,
    InterviewStatus,
    Membership,
    MissedReason,
    Phase,
    PhaseTransition,
    Role,
    Signature,
    SignatureParty,
    StartAgreement,
    StudyMembership,
    StudyRole,
    Trajectory,
)

# The normal order of the phases; DECLINED is a side exit from recruitment.
NEXT_PHASE = {
    Phase.RECRUITMENT: Phase.START_DIALOGUE,
    Phase.START_DIALOGUE: Phase.CUSTOM,
    Phase.CUSTOM: Phase.CLOSING,
    Phase.CLOSING: Phase.FINISHED,
}


def current_agreement(trajectory: Trajectory) -> StartAgreement | None:
    return (
        StartAgreement.objects.filter(trajectory=trajectory)
        .prefetch_related("signatures__user")
        .order_by("-version")
        .first()
    )


def _decision(trajectory: Trajectory) -> Decision | None:
    return Decision.objects.filter(trajectory=trajectory).first()


def transition_problems(trajectory: Trajectory, to_phase: str) -> list[str]:
    """Why `trajectory` may not move to `to_phase` (empty list: it may)."""
    current = trajectory.phase
    if to_phase == Phase.DECLINED:
        if current != Phase.RECRUITMENT:
            return [_("A trajectory can only be declined during recruitment.")]
        decision = _decision(trajectory)
        if decision is None or decision.is_yes:
            return [_("Record the organisation's no before declining the trajectory.")]
        return []
    if NEXT_PHASE.get(current) != to_phase:
        return [_("This phase change is not possible from the current phase.")]
    problems = []
    if to_phase == Phase.START_DIALOGUE:
        decision = _decision(trajectory)
        if decision is None or not decision.is_yes:
            problems.append(_("The start dialogue needs the organisation's yes first."))
        agreement = current_agreement(trajectory)
        if agreement is None or not agreement.is_locked:
            problems.append(
                _("The start dialogue needs a start agreement signed by all three parties.")
            )
    elif to_phase == Phase.CLOSING:
        start = trajectory.half_days.filter(is_start_dialogue=True).first()
        later = trajectory.half_days.filter(is_start_dialogue=False)
        if start is not None:
            later = later.filter(starts_at__gt=start.starts_at)
        if start is None or not later.exists():
            problems.append(_("Closing needs at least one half-day after the start dialogue."))
    elif to_phase == Phase.FINISHED:
        problems.extend(closing_problems(trajectory))
    return problems


def next_step(trajectory: Trajectory) -> str:
    """A short sentence saying what to do next."""
    decision = agreement = None
    if trajectory.phase == Phase.RECRUITMENT:
        decision = _decision(trajectory)
        if decision is not None and decision.is_yes:
            agreement = current_agreement(trajectory)
    return next_step_from(
        phase=trajectory.phase,
        decision_is_yes=None if decision is None else decision.is_yes,
        agreement_locked=None if agreement is None else agreement.is_locked,
        custom_half_day_planned=trajectory.phase == Phase.CUSTOM
        and not transition_problems(trajectory, Phase.CLOSING),
    )


def next_step_from(
    *,
    phase: str,
    decision_is_yes: bool | None,
    agreement_locked: bool | None,
    custom_half_day_planned: bool,
) -> str:
    """The next-step rule from facts the caller already has.

    The trajectory page looks the facts up one trajectory at a time; the
    dashboards load them for many trajectories at once. Both come here.
    """
    if phase in (Phase.FINISHED, Phase.DECLINED):
        return _("Nothing: this trajectory has ended.")
    if phase == Phase.RECRUITMENT:
        if decision_is_yes is None:
            return _("Record the organisation's decision (yes or no).")
        if not decision_is_yes:
            return _("Mark the trajectory as declined.")
        if agreement_locked is None:
            return _("Draw up the start agreement.")
        if not agreement_locked:
            return _("Collect the signatures on the start agreement.")
        return _("Start the start dialogue.")
    if phase == Phase.START_DIALOGUE:
        return _("Hold the start dialogue and move on to the custom trajectory.")
    if phase == Phase.CUSTOM:
        if not custom_half_day_planned:
            return _("Plan the half-days of the custom trajectory.")
        return _("Plan the closing meeting when the half-days are done.")
    return _("Hold the closing interviews and finish the trajectory.")


@transaction.atomic
def trajectory_change_phase(*, trajectory: Trajectory, to_phase: str, by) -> PhaseTransition:
    trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    problems = transition_problems(trajectory, to_phase)
    if problems:
        raise ValidationError(problems)
    transition = PhaseTransition.objects.create(
        trajectory=trajectory,
        from_phase=trajectory.phase,
        to_phase=to_phase,
        by=by,
        at=timezone.now(),
    )
    trajectory.phase = to_phase
    trajectory.save(update_fields=["phase"])
    return transition


@transaction.atomic
def decision_record(*, trajectory: Trajectory, is_yes: bool, decided_on, by) -> Decision:
    if trajectory.phase != Phase.RECRUITMENT:
        raise ValidationError(_("The decision can only be changed during recruitment."))
    decision, _created = Decision.objects.update_or_create(
        trajectory=trajectory,
        defaults={"is_yes": is_yes, "decided_on": decided_on, "recorded_by": by},
    )
    decision.full_clean()
    return decision


# --- start agreement -------------------------------------------------------


@transaction.atomic
def agreement_save(*, trajectory: Trajectory, **fields) -> StartAgreement:
    """Change the current version, or start a new version if it is locked."""
    agreement = current_agreement(trajectory)
    if agreement is None or agreement.is_locked:
        version = agreement.version + 1 if agreement else 1
        agreement = StartAgreement(trajectory=trajectory, version=version)
    for name, value in fields.items():
        setattr(agreement, name, value)
    agreement.full_clean()
    agreement.save()
    return agreement


@transaction.atomic
def agreement_sign(*, agreement: StartAgreement, party: str, user) -> Signature:
    agreement = StartAgreement.objects.select_for_update().get(pk=agreement.pk)
    signed = set(agreement.signatures.values_list("party", flat=True))
    if signed >= set(SignatureParty.values):
        raise ValidationError(
            _("This start agreement is locked: all three parties signed. Make a new version.")
        )
    if party in signed:
        raise ValidationError(_("This party has already signed this version."))
    if party not in SignatureParty.values:
        raise ValidationError(_("Unknown party."))
    signature = Signature(agreement=agreement, party=party, user=user, signed_at=timezone.now())
    signature.full_clean()
    signature.save()
    if signed | {party} >= set(SignatureParty.values):
        # The signed agreement is each goal's starting point on the progress timeline.
        goal_baseline_record(
            agreement=agreement, on=timezone.localtime(signature.signed_at).date(), by=user
        )
    return signature


# --- half-days -------------------------------------------------------------


def _check_half_day(half_day: HalfDay) -> None:
    trajectory = half_day.trajectory
    errors = {}
    if half_day.starts_at and half_day.ends_at and half_day.ends_at <= half_day.starts_at:
        errors["ends_at"] = _("The end must be after the start.")
    if half_day.starts_at:
        day = timezone.localtime(half_day.starts_at).date()
        if (trajectory.starts_on and day < trajectory.starts_on) or (
            trajectory.ends_on and day > trajectory.ends_on
        ):
            errors["starts_at"] = _("The half-day must fall inside the trajectory period.")
    if (
        half_day.is_start_dialogue
        and HalfDay.objects.filter(trajectory=trajectory, is_start_dialogue=True)
        .exclude(pk=half_day.pk)
        .exists()
    ):
        errors["is_start_dialogue"] = _("This trajectory already has a start dialogue.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def half_day_save(*, half_day: HalfDay) -> HalfDay:
    """Create or change a half-day after checking times and period."""
    _check_half_day(half_day)
    half_day.full_clean()
    half_day.save()
    return half_day


@transaction.atomic
def half_day_add_outcomes(*, half_day: HalfDay, learning_outcomes: str) -> HalfDay:
    half_day.learning_outcomes = learning_outcomes.strip()
    half_day.save(update_fields=["learning_outcomes"])
    return half_day


# --- hours -----------------------------------------------------------------


@dataclass
class HoursSummary:
    budget: Decimal
    used: Decimal
    extensions: Decimal

    @property
    def total_budget(self) -> Decimal:
        return self.budget + self.extensions

    @property
    def percent(self) -> int:
        if not self.total_budget:
            return 0
        return int(self.used * 100 / self.total_budget)

    @property
    def remaining(self) -> Decimal:
        return self.total_budget - self.used

    @property
    def level(self) -> str:
        """ "ok", "warning" (≥ 80 %) or "over" (≥ 100 %)."""
        if self.percent >= 100:
            return "over"
        if self.percent >= 80:
            return "warning"
        return "ok"


def hours_summary(trajectory: Trajectory) -> HoursSummary:
    agreement = current_agreement(trajectory)
    budget = agreement.coach_hours_budget if agreement else Decimal(40)
    used = trajectory.hour_entries.aggregate(total=Sum("hours"))["total"] or Decimal(0)
    extra = trajectory.budget_extensions.aggregate(total=Sum("hours"))["total"] or Decimal(0)
    return HoursSummary(budget=Decimal(budget), used=Decimal(used), extensions=Decimal(extra))


@transaction.atomic
def hours_log(*, trajectory: Trajectory, user, date, activity: str, hours, note="") -> HourEntry:
    if hours is None or Decimal(hours) <= 0:
        raise ValidationError({"hours": _("The number of hours must be more than zero.")})
    entry = HourEntry(
        trajectory=trajectory, user=user, date=date, activity=activity, hours=hours, note=note
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def budget_extend(*, trajectory: Trajectory, hours, reason: str, by) -> BudgetExtension:
    if hours is None or Decimal(hours) <= 0:
        raise ValidationError({"hours": _("The number of hours must be more than zero.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for the extra hours.")})
    extension = BudgetExtension(trajectory=trajectory, hours=hours, reason=reason, added_by=by)
    extension.full_clean()
    extension.save()
    return extension


# --- calendar feed ---------------------------------------------------------


@transaction.atomic
def feed_get_or_create(*, user) -> CalendarFeed:
    feed = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()
    if feed is None:
        feed = CalendarFeed.objects.create(user=user, token=secrets.token_urlsafe(32))
    return feed


@transaction.atomic
def feed_revoke(*, user) -> int:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


# --- recruitment, decision factors, people ---------------------------------


@transaction.atomic
def contact_person_add(*, person):
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def recruitment_contact_add(*, contact):
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def decision_factor_add(*, decision: Decision, category, is_helping, option=None, free_text=""):
    factor = DecisionFactor(
        decision=decision,
        category=category,
        is_helping=is_helping,
        option=option,
        free_text=(free_text or "").strip() if option is None else "",
    )
    factor.full_clean()
    factor.save()
    return factor


@transaction.atomic
def person_assign(
    *,
    trajectory: Trajectory,
    role: str,
    email: str,
    first_name: str,
    last_name: str,
    infix: str = "",
    is_alumnus: bool = False,
):
    """Make someone champion or buddy of `trajectory`, creating the account if needed."""
    if role not in (Role.CHAMPION, Role.BUDDY):
        raise ValidationError(_("Only champions and buddies can be added here."))
    User = get_user_model()
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, first_name=first_name, infix=infix, last_name=last_name
        )
    membership, created = Membership.objects.get_or_create(
        trajectory=trajectory, user=user, role=role, defaults={"is_alumnus": is_alumnus}
    )
    if not created and membership.is_alumnus != is_alumnus:
        membership.is_alumnus = is_alumnus
        membership.save(update_fields=["is_alumnus"])
    access.forget(user)
    return membership


# --- phase 4: closing meeting, closing interviews, goal progress -------------------

CLOSING_OPEN_PHASES = (Phase.CUSTOM, Phase.CLOSING, Phase.FINISHED)


def closing_attendee_candidates(trajectory: Trajectory):
    """Who may be marked present at the closing meeting.

    Champions, buddies and managers of the trajectory and its research team
    (team coach, participating researcher and the study's researchers).
    """
    User = get_user_model()
    in_trajectory = Membership.objects.filter(
        trajectory=trajectory,
        role__in=[Role.CHAMPION, Role.BUDDY, Role.MANAGER, Role.COACH, Role.RESEARCHER],
    ).values("user_id")
    in_study = StudyMembership.objects.filter(study_id=trajectory.study_id).values("user_id")
    return (
        User.objects.filter(Q(pk__in=in_trajectory) | Q(pk__in=in_study))
        .filter(is_active=True)
        .order_by("last_name", "first_name")
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
    if Membership.objects.filter(trajectory=trajectory, user=interviewer).exists():
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


def _collection_stopped(user) -> bool:
    """Whether this person withdrew consent; the research module decides, and then
    no new data are collected from them."""
    return collection_stopped(user=user)


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
    elif _collection_stopped(interviewee):
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
    if _collection_stopped(interview.interviewee):
        raise ValidationError(
            _("This person has withdrawn consent for the research; nothing new is collected.")
        )
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
    if _collection_stopped(interview.interviewee):
        raise ValidationError(
            _("This person has withdrawn consent for the research; nothing new is collected.")
        )
    content_type, suffix = check_upload(uploaded)
    old = interview.audio.name if interview.audio else ""
    interview.audio.save(f"interview{suffix}", uploaded, save=False)
    interview.audio_content_type = content_type
    interview.save(update_fields=["audio", "audio_content_type", "updated_at"])
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


def _goal_keys(trajectory: Trajectory, agreement: StartAgreement | None = None):
    """(goal, sub_goal) of the four goals and the current sub-goals."""
    agreement = agreement or current_agreement(trajectory)
    keys = [(int(goal), "") for goal in Goal]
    keys += [
        (None, name)
        for name in (selectors.sub_goal_names(agreement.sub_goals) if agreement else [])
    ]
    return keys


@transaction.atomic
def goal_baseline_record(*, agreement: StartAgreement, on=None, by=None) -> int:
    """Record the starting point of every goal once the start agreement is signed.

    Goals that already have a baseline keep it; a new version only adds its new
    sub-goals. Returns the number of statuses added.
    """
    on = on or timezone.localdate()
    existing = set(
        GoalStatus.objects.filter(
            trajectory=agreement.trajectory, source=GoalSource.START_AGREEMENT
        ).values_list("goal", "sub_goal")
    )
    added = 0
    for goal, sub_goal in _goal_keys(agreement.trajectory, agreement):
        if (goal, sub_goal) in existing:
            continue
        status = GoalStatus(
            trajectory=agreement.trajectory,
            goal=goal,
            sub_goal=sub_goal,
            source=GoalSource.START_AGREEMENT,
            recorded_on=on,
            status=GoalProgress.NOT_STARTED,
            recorded_by=by,
        )
        status.full_clean()
        status.save()
        added += 1
    return added


def is_interim_evaluation(half_day: HalfDay) -> bool:
    return InterventionType.INTERIM in (half_day.intervention_types or [])


@transaction.atomic
def interim_evaluation_save(
    *, half_day: HalfDay, statuses: dict[tuple, str], note: str = "", by=None
) -> int:
    """Record the status per goal agreed in an interim evaluation (intervention type 4).

    `statuses` maps (goal, sub_goal) to a GoalProgress value; an empty value
    removes what this half-day recorded for that goal. Returns how many
    statuses the half-day now holds.
    """
    if not is_interim_evaluation(half_day):
        raise ValidationError(
            _("Goal statuses can only be recorded on a half-day with an interim evaluation.")
        )
    allowed = set(_goal_keys(half_day.trajectory))
    on = timezone.localtime(half_day.starts_at).date()
    for (goal, sub_goal), value in statuses.items():
        lookup = {
            "trajectory": half_day.trajectory,
            "half_day": half_day,
            "goal": goal,
            "sub_goal": sub_goal,
        }
        if (goal, sub_goal) not in allowed:
            raise ValidationError(_("Unknown goal."))
        if not value:
            GoalStatus.objects.filter(**lookup).delete()
            continue
        if value not in GoalProgress.values:
            raise ValidationError(_("Choose a status from the list."))
        GoalStatus.objects.update_or_create(
            **lookup,
            defaults={
                "source": GoalSource.INTERIM_EVALUATION,
                "recorded_on": on,
                "status": value,
                "note": (note or "").strip(),
                "recorded_by": by,
            },
        )
    return GoalStatus.objects.filter(half_day=half_day).count()


def closing_problems(trajectory: Trajectory) -> list[str]:
    """What is missing before a trajectory in the closing phase can be finished."""
    problems = []
    if not ClosingMeeting.objects.filter(trajectory=trajectory).exists():
        problems.append(_("Finishing needs the closing meeting to be recorded."))
    summary = selectors.closing_summary_for([trajectory])[trajectory.pk]
    if summary.to_plan:
        problems.append(
            ngettext(
                "%(count)d champion, buddy or manager has no closing interview yet.",
                "%(count)d champions, buddies or managers have no closing interview yet.",
                summary.to_plan,
            )
            % {"count": summary.to_plan}
        )
    if summary.planned:
        problems.append(
            ngettext(
                "%(count)d closing interview is neither held nor recorded as missed.",
                "%(count)d closing interviews are neither held nor recorded as missed.",
                summary.planned,
            )
            % {"count": summary.planned}
        )
    return problems
