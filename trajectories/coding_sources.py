"""The closing phase's research texts: held closing interviews with their per-goal answers."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone

from research.consent import covered_people
from research.models import ConsentKind
from research.registry import Person
from research.sources import CHUNK, CodingSource, SourceKind, SourceText, field_label, sections

from .models import ClosingInterview, ClosingInterviewGoalAnswer, InterviewStatus

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


SOURCES = [CodingSource(SourceKind.INTERVIEW, closing_interviews, rows_of=interviews_of)]
