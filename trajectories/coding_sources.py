"""The trajectory's research texts: held closing interviews with their per-goal answers,
the team coach's phase-1 interview, the notes and learning outcomes of half-days that took
place, the closing meeting's notes and the recruitment log's notes.

The interviews hold one person's words and need that person's interview consent. The
other texts are the team's own working notes (written by the team coach, or by champions
and coach together for a half-day): they were accepted at intake and are coded like the
research notes; names in them are pseudonymised with the rest, and the notes that one
person wrote (the coach's interview, a recruitment note) are linked to that person, so a
withdrawal removes their fragments.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.utils import timezone, translation

from research.consent import covered_people
from research.models import ConsentKind
from research.registry import Person
from research.sources import CHUNK, CodingSource, SourceKind, SourceText, field_label, sections

from .models import (
    ClosingInterview,
    ClosingInterviewGoalAnswer,
    ClosingMeeting,
    CoachInterview,
    HalfDay,
    InterviewStatus,
    Membership,
    RecruitmentContact,
    Role,
)

_FIELDS = ["overall_steps", "overall_helped", "overall_hindered", "still_needed", "notes"]


def closing_interviews(trajectory_ids=None) -> Iterator[SourceText]:
    qs = ClosingInterview.objects.filter(status=InterviewStatus.HELD).only(
        "id", "trajectory_id", "interviewee_id", "planned_at", *_FIELDS
    )
    if trajectory_ids is not None:
        qs = qs.filter(trajectory_id__in=trajectory_ids)
    labels = {name: field_label(ClosingInterview, name) for name in _FIELDS}
    answers = _goal_answers(qs)
    covered = covered_people(ConsentKind.INTERVIEW, trajectory_ids)
    for interview in qs.order_by("id").iterator(chunk_size=CHUNK):
        if not covered.covers(interview.trajectory_id, user_id=interview.interviewee_id):
            continue  # only what consent covers reaches coding and the exports
        day = timezone.localtime(interview.planned_at).date() if interview.planned_at else None
        pairs = [(labels[name], getattr(interview, name)) for name in _FIELDS]
        pairs.extend(answers.get(interview.pk, []))
        yield SourceText(
            kind=SourceKind.INTERVIEW,
            source_id=interview.pk,
            trajectory_id=interview.trajectory_id,
            title=f"Slotinterview {day:%d-%m-%Y}" if day else "Slotinterview",
            text=sections(pairs),
            occurred_on=day,
            user_id=interview.interviewee_id,
        )


def _goal_answers(interviews) -> dict[int, list[tuple[str, str]]]:
    """The per-goal answers of the interviews, as labelled sections."""
    text_fields = [
        field.name
        for field in ClosingInterviewGoalAnswer._meta.get_fields()
        if getattr(field, "get_internal_type", lambda: "")() == "TextField"
    ]
    if not text_fields:
        return {}
    result: dict[int, list[tuple[str, str]]] = {}
    rows = ClosingInterviewGoalAnswer.objects.filter(interview__in=interviews.values("id"))
    for answer in rows.order_by("interview_id", "pk").iterator(chunk_size=CHUNK):
        goal = answer.goal or answer.sub_goal
        for name in text_fields:
            label = f"Doel {goal}: {field_label(ClosingInterviewGoalAnswer, name)}"
            result.setdefault(answer.interview_id, []).append((label, getattr(answer, name)))
    return result


def interviews_of(person: Person) -> list[int]:
    if person.user is None:
        return []
    return list(
        ClosingInterview.objects.filter(interviewee=person.user).values_list("id", flat=True)
    )


def _scoped(qs, trajectory_ids):
    return qs if trajectory_ids is None else qs.filter(trajectory_id__in=trajectory_ids)


def _first_coaches(trajectory_ids) -> dict[int, int]:
    """{trajectory id: user id of its first team coach}: whose words the coach interview are."""
    rows = _scoped(Membership.objects.filter(role=Role.COACH), trajectory_ids)
    coaches: dict[int, int] = {}
    for trajectory_id, user_id in rows.order_by("pk").values_list("trajectory_id", "user_id"):
        coaches.setdefault(trajectory_id, user_id)
    return coaches


_COACH_FIELDS = ["run_up", "helped", "hindered", "decisive"]


def coach_interviews(trajectory_ids=None) -> Iterator[SourceText]:
    qs = _scoped(
        CoachInterview.objects.only("id", "trajectory_id", "updated_at", *_COACH_FIELDS),
        trajectory_ids,
    )
    labels = {name: field_label(CoachInterview, name) for name in _COACH_FIELDS}
    coaches = _first_coaches(trajectory_ids)
    for interview in qs.order_by("id").iterator(chunk_size=CHUNK):
        text = sections((labels[name], getattr(interview, name)) for name in _COACH_FIELDS)
        if not text:
            continue
        day = timezone.localtime(interview.updated_at).date()
        yield SourceText(
            kind=SourceKind.COACH_INTERVIEW,
            source_id=interview.pk,
            trajectory_id=interview.trajectory_id,
            title="Interview teamcoach fase 1",
            text=text,
            occurred_on=day,
            user_id=coaches.get(interview.trajectory_id),
        )


def coach_interviews_of(person: Person) -> list[int]:
    if person.user is None:
        return []
    first = _first_coaches(
        Membership.objects.filter(user=person.user, role=Role.COACH).values("trajectory_id")
    )
    mine = [trajectory for trajectory, user in first.items() if user == person.user.pk]
    return list(CoachInterview.objects.filter(trajectory_id__in=mine).values_list("id", flat=True))


_HALF_DAY_FIELDS = ["preparation_notes", "what_happened", "learning_outcomes"]


def half_days(trajectory_ids=None) -> Iterator[SourceText]:
    qs = _scoped(
        HalfDay.objects.filter(starts_at__lte=timezone.now()).only(
            "id", "trajectory_id", "title", "starts_at", *_HALF_DAY_FIELDS
        ),
        trajectory_ids,
    )
    labels = {name: field_label(HalfDay, name) for name in _HALF_DAY_FIELDS}
    for half_day in qs.order_by("id").iterator(chunk_size=CHUNK):
        text = sections((labels[name], getattr(half_day, name)) for name in _HALF_DAY_FIELDS)
        if not text:
            continue
        day = timezone.localtime(half_day.starts_at).date()
        yield SourceText(
            kind=SourceKind.HALF_DAY,
            source_id=half_day.pk,
            trajectory_id=half_day.trajectory_id,
            title=f"Dagdeel {day:%d-%m-%Y}",
            text=text,
            occurred_on=day,
        )


def closing_meetings(trajectory_ids=None) -> Iterator[SourceText]:
    qs = _scoped(
        ClosingMeeting.objects.filter(held_on__lte=timezone.localdate()).only(
            "id", "trajectory_id", "held_on", "look_back", "look_ahead"
        ),
        trajectory_ids,
    )
    labels = {name: field_label(ClosingMeeting, name) for name in ("look_back", "look_ahead")}
    for meeting in qs.order_by("id").iterator(chunk_size=CHUNK):
        text = sections((labels[name], getattr(meeting, name)) for name in labels)
        if not text:
            continue
        yield SourceText(
            kind=SourceKind.CLOSING_MEETING,
            source_id=meeting.pk,
            trajectory_id=meeting.trajectory_id,
            title=f"Slotbijeenkomst {meeting.held_on:%d-%m-%Y}",
            text=text,
            occurred_on=meeting.held_on,
        )


def recruitment_notes(trajectory_ids=None) -> Iterator[SourceText]:
    qs = _scoped(
        RecruitmentContact.objects.exclude(notes="").only(
            "id", "trajectory_id", "date", "kind", "notes", "created_by_id"
        ),
        trajectory_ids,
    )
    for contact in qs.order_by("id").iterator(chunk_size=CHUNK):
        if not contact.notes.strip():
            continue
        with translation.override(settings.LANGUAGE_CODE):
            kind = str(contact.get_kind_display())
        yield SourceText(
            kind=SourceKind.RECRUITMENT,
            source_id=contact.pk,
            trajectory_id=contact.trajectory_id,
            title=f"Werving {contact.date:%d-%m-%Y} ({kind})",
            text=contact.notes.strip(),
            occurred_on=contact.date,
            user_id=contact.created_by_id,
        )


def recruitment_notes_of(person: Person) -> list[int]:
    if person.user is None:
        return []
    return list(
        RecruitmentContact.objects.filter(created_by=person.user).values_list("id", flat=True)
    )


SOURCES = [
    CodingSource(
        SourceKind.INTERVIEW,
        closing_interviews,
        rows_of=interviews_of,
        consent_kind=ConsentKind.INTERVIEW,
    ),
    CodingSource(
        SourceKind.COACH_INTERVIEW,
        coach_interviews,
        rows_of=coach_interviews_of,
        consent_kind=ConsentKind.INTERVIEW,
    ),
    CodingSource(SourceKind.HALF_DAY, half_days, consent_kind=ConsentKind.NOTES),
    CodingSource(SourceKind.CLOSING_MEETING, closing_meetings, consent_kind=ConsentKind.NOTES),
    CodingSource(
        SourceKind.RECRUITMENT,
        recruitment_notes,
        rows_of=recruitment_notes_of,
        consent_kind=ConsentKind.NOTES,
    ),
]
