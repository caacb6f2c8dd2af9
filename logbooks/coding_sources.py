"""The logbooks' research texts: submitted entries, e-mails and research notes."""

from __future__ import annotations

from collections.abc import Iterator

from accounts.models import User
from research.consent import covered_people
from research.models import ConsentKind
from research.registry import Person
from research.sources import CHUNK, CodingSource, SourceKind, SourceText, field_label, sections

from .models import TEXT_FIELDS, EmailDataPoint, Entry, EntryStatus, ResearchNote
from .selectors import emails_sent_by, notes_about, sender_addresses


def logbook_entries(trajectory_ids=None) -> Iterator[SourceText]:
    qs = Entry.objects.filter(status=EntryStatus.SUBMITTED).only(
        "id", "trajectory_id", "author_id", "iso_year", "iso_week", "week_start", *TEXT_FIELDS
    )
    if trajectory_ids is not None:
        qs = qs.filter(trajectory_id__in=trajectory_ids)
    labels = {name: field_label(Entry, name) for name in TEXT_FIELDS}
    covered = covered_people(ConsentKind.LOGBOOK, trajectory_ids)
    for entry in qs.order_by("id").iterator(chunk_size=CHUNK):
        if not covered.covers(entry.trajectory_id, user_id=entry.author_id):
            continue  # only what consent covers reaches coding and the exports
        yield SourceText(
            kind=SourceKind.LOGBOOK,
            source_id=entry.pk,
            trajectory_id=entry.trajectory_id,
            title=f"Logboek {entry.iso_year}-W{entry.iso_week:02d}",
            text=sections((labels[name], getattr(entry, name)) for name in TEXT_FIELDS),
            occurred_on=entry.week_start,
            user_id=entry.author_id,
        )


def emails(trajectory_ids=None) -> Iterator[SourceText]:
    qs = EmailDataPoint.objects.only(
        "id", "trajectory_id", "occurred_on", "sender", "subject", "body"
    )
    if trajectory_ids is not None:
        qs = qs.filter(trajectory_id__in=trajectory_ids)
    covered = covered_people(ConsentKind.NOTES, trajectory_ids)
    for email in qs.order_by("id").iterator(chunk_size=CHUNK):
        # The words are the sender's: link the fragment to their account, if any.
        addresses = sorted(sender_addresses(email.sender))
        if not any(covered.covers(email.trajectory_id, email=address) for address in addresses):
            continue  # only what consent covers reaches coding and the exports
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
            text=sections([("Onderwerp", email.subject), ("Tekst", email.body)]),
            occurred_on=email.occurred_on,
            user_id=user_id,
        )


def research_notes(trajectory_ids=None) -> Iterator[SourceText]:
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
            text=sections([("Titel", note.title), ("Tekst", note.text)]),
            occurred_on=note.occurred_on,
            user_id=note.created_by_id,
        )


def entries_of(person: Person) -> list[int]:
    if person.user is None:
        return []
    return list(Entry.objects.filter(author=person.user).values_list("id", flat=True))


def emails_of(person: Person) -> list[int]:
    return emails_sent_by(person.emails)


def notes_of(person: Person) -> list[int]:
    return notes_about(person.user)


SOURCES = [
    CodingSource(
        SourceKind.LOGBOOK, logbook_entries, rows_of=entries_of, consent_kind=ConsentKind.LOGBOOK
    ),
    CodingSource(SourceKind.EMAIL, emails, rows_of=emails_of, consent_kind=ConsentKind.NOTES),
    CodingSource(SourceKind.NOTE, research_notes, rows_of=notes_of, consent_kind=ConsentKind.NOTES),
]
