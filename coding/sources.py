"""Where fragments come from: every kind of research text, read in chunks.

Each reader yields `SourceText` records with the raw (not yet pseudonymised)
text and whose words it holds. Only finished material counts: submitted
logbook entries, harvest reports approved by all, closing interviews that
were held.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from email.utils import getaddresses

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone, translation

from .models import SourceKind

CHUNK = 500


@dataclass(frozen=True)
class SourceText:
    kind: str
    source_id: int
    trajectory_id: int
    title: str
    text: str
    occurred_on: date | None
    user_id: int | None = None
    invitee_id: int | None = None


def _sections(pairs: Iterable[tuple[str, str]]) -> str:
    """Labelled sections ("Wat hielp?\\n…") separated by a blank line."""
    return "\n\n".join(f"{label}\n{value.strip()}" for label, value in pairs if value.strip())


def _label(model, field: str) -> str:
    return str(model._meta.get_field(field).verbose_name)


def logbook_entries(trajectory_ids=None) -> Iterator[SourceText]:
    from logbooks.models import TEXT_FIELDS, Entry, EntryStatus

    qs = Entry.objects.filter(status=EntryStatus.SUBMITTED).only(
        "id", "trajectory_id", "author_id", "iso_year", "iso_week", "week_start", *TEXT_FIELDS
    )
    if trajectory_ids is not None:
        qs = qs.filter(trajectory_id__in=trajectory_ids)
    labels = {name: _label(Entry, name) for name in TEXT_FIELDS}
    for entry in qs.order_by("id").iterator(chunk_size=CHUNK):
        yield SourceText(
            kind=SourceKind.LOGBOOK,
            source_id=entry.pk,
            trajectory_id=entry.trajectory_id,
            title=f"Logboek {entry.iso_year}-W{entry.iso_week:02d}",
            text=_sections((labels[name], getattr(entry, name)) for name in TEXT_FIELDS),
            occurred_on=entry.week_start,
            user_id=entry.author_id,
        )


def harvest_reports(trajectory_ids=None) -> Iterator[SourceText]:
    from dialogues.models import HarvestReport, ReportStatus, ReportVersion

    latest = ReportVersion.objects.filter(report=OuterRef("pk")).order_by("-number")
    qs = (
        HarvestReport.objects.filter(status=ReportStatus.FINAL)
        .annotate(body=Subquery(latest.values("body")[:1]))
        .select_related("session")
        .only("id", "session__trajectory_id", "session__researcher_id", "session__starts_at",
              "session__theme")
    )
    if trajectory_ids is not None:
        qs = qs.filter(session__trajectory_id__in=trajectory_ids)
    for report in qs.order_by("id").iterator(chunk_size=CHUNK):
        session = report.session
        yield SourceText(
            kind=SourceKind.HARVEST_REPORT,
            source_id=report.pk,
            trajectory_id=session.trajectory_id,
            title=f"Oogstverslag {timezone.localtime(session.starts_at):%d-%m-%Y}",
            text=report.body or "",
            occurred_on=timezone.localtime(session.starts_at).date(),
            user_id=session.researcher_id,
        )


def harvest_items(trajectory_ids=None) -> Iterator[SourceText]:
    from dialogues.models import HarvestItem

    qs = HarvestItem.objects.select_related("session").only(
        "id", "text", "invitee_id", "session__trajectory_id", "session__starts_at"
    )
    if trajectory_ids is not None:
        qs = qs.filter(session__trajectory_id__in=trajectory_ids)
    for item in qs.order_by("id").iterator(chunk_size=CHUNK):
        day = timezone.localtime(item.session.starts_at)
        yield SourceText(
            kind=SourceKind.HARVEST_ITEM,
            source_id=item.pk,
            trajectory_id=item.session.trajectory_id,
            title=f"Oogst {day:%d-%m-%Y} #{item.pk}",
            text=item.text,
            occurred_on=day.date(),
            invitee_id=item.invitee_id,
        )


def closing_interviews(trajectory_ids=None) -> Iterator[SourceText]:
    try:
        from trajectories.models import ClosingInterview, InterviewStatus
    except ImportError:  # phase 4 not installed yet
        return
    fields = ["overall_steps", "overall_helped", "overall_hindered", "still_needed", "notes"]
    qs = ClosingInterview.objects.filter(status=InterviewStatus.HELD).only(
        "id", "trajectory_id", "interviewee_id", "planned_at", *fields
    )
    if trajectory_ids is not None:
        qs = qs.filter(trajectory_id__in=trajectory_ids)
    labels = {name: _label(ClosingInterview, name) for name in fields}
    answers = _goal_answers(qs)
    for interview in qs.order_by("id").iterator(chunk_size=CHUNK):
        day = timezone.localtime(interview.planned_at).date() if interview.planned_at else None
        pairs = [(labels[name], getattr(interview, name)) for name in fields]
        pairs.extend(answers.get(interview.pk, []))
        yield SourceText(
            kind=SourceKind.INTERVIEW,
            source_id=interview.pk,
            trajectory_id=interview.trajectory_id,
            title=f"Slotinterview {day:%d-%m-%Y}" if day else "Slotinterview",
            text=_sections(pairs),
            occurred_on=day,
            user_id=interview.interviewee_id,
        )


def _goal_answers(interviews) -> dict[int, list[tuple[str, str]]]:
    """The per-goal answers of the interviews, when phase 4 records them."""
    try:
        from trajectories.models import ClosingInterviewGoalAnswer
    except ImportError:
        return {}
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
            label = f"Doel {goal}: {_label(ClosingInterviewGoalAnswer, name)}"
            result.setdefault(answer.interview_id, []).append((label, getattr(answer, name)))
    return result


def emails(trajectory_ids=None) -> Iterator[SourceText]:
    from accounts.models import User
    from logbooks.models import EmailDataPoint

    qs = EmailDataPoint.objects.only(
        "id", "trajectory_id", "occurred_on", "sender", "subject", "body"
    )
    if trajectory_ids is not None:
        qs = qs.filter(trajectory_id__in=trajectory_ids)
    for email in qs.order_by("id").iterator(chunk_size=CHUNK):
        # The words are the sender's: link the fragment to their account, if any.
        addresses = [address.lower() for _name, address in getaddresses([email.sender]) if address]
        user_id = (
            User.objects.filter(email__in=addresses).values_list("id", flat=True).first()
            if addresses
            else None
        )
        yield SourceText(
            kind=SourceKind.EMAIL,
            source_id=email.pk,
            trajectory_id=email.trajectory_id,
            title=f"E-mail {email.occurred_on:%d-%m-%Y}",
            text=_sections([("Onderwerp", email.subject), ("Tekst", email.body)]),
            occurred_on=email.occurred_on,
            user_id=user_id,
        )


def research_notes(trajectory_ids=None) -> Iterator[SourceText]:
    from logbooks.models import ResearchNote

    qs = ResearchNote.objects.only(
        "id", "trajectory_id", "occurred_on", "created_by_id", "kind", "title", "text"
    )
    if trajectory_ids is not None:
        qs = qs.filter(trajectory_id__in=trajectory_ids)
    for note in qs.order_by("id").iterator(chunk_size=CHUNK):
        yield SourceText(
            kind=SourceKind.NOTE,
            source_id=note.pk,
            trajectory_id=note.trajectory_id,
            title=f"{str(note.get_kind_display()).capitalize()} {note.occurred_on:%d-%m-%Y}",
            text=_sections([("Titel", note.title), ("Tekst", note.text)]),
            occurred_on=note.occurred_on,
            user_id=note.created_by_id,
        )


READERS = {
    SourceKind.HARVEST_REPORT: harvest_reports,
    SourceKind.HARVEST_ITEM: harvest_items,
    SourceKind.LOGBOOK: logbook_entries,
    SourceKind.INTERVIEW: closing_interviews,
    SourceKind.EMAIL: emails,
    SourceKind.NOTE: research_notes,
}


def all_sources(trajectory_ids=None) -> Iterator[SourceText]:
    """Every source text, in the default language (labels are research data too)."""
    with translation.override(settings.LANGUAGE_CODE):
        for reader in READERS.values():
            yield from reader(trajectory_ids)


__all__ = ["READERS", "SourceText", "all_sources"]
