"""What a withdrawal of consent erases in the logbooks: entries and e-mails of the person."""

from __future__ import annotations

from django.db.models import Max
from django.db.models.functions import Coalesce

from research.models import ConsentKind
from research.registry import DataOwner, Person, Removal, Scope

from .models import EmailDataPoint, Entry, ResearchNote
from .selectors import emails_sent_by, notes_about


class LogbookData(DataOwner):
    kinds = frozenset({ConsentKind.LOGBOOK, ConsentKind.NOTES})
    scrub_app_label = "logbooks"

    def contributions(self, person: Person, at, trajectory_ids=None):
        # Each entry is a moment of giving data, like an interview; so is each e-mail.
        moments = []
        if person.user is not None:
            entries = Entry.objects.filter(author=person.user)
            if trajectory_ids is not None:
                entries = entries.filter(trajectory_id__in=trajectory_ids)
            latest = entries.aggregate(latest=Max(Coalesce("submitted_at", "created_at")))["latest"]
            if latest and latest <= at:
                moments.append((latest, ConsentKind.LOGBOOK))
        emails = EmailDataPoint.objects.filter(
            pk__in=emails_sent_by(person.emails), created_at__lte=at
        )
        if trajectory_ids is not None:
            emails = emails.filter(trajectory_id__in=trajectory_ids)
        about = ResearchNote.objects.filter(
            pk__in=notes_about(person.user, trajectory_ids), created_at__lte=at
        )
        sent = max(
            (
                moment
                for moment in (
                    emails.aggregate(latest=Max("created_at"))["latest"],
                    about.aggregate(latest=Max("created_at"))["latest"],
                )
                if moment
            ),
            default=None,
        )
        if sent:
            moments.append((sent, ConsentKind.NOTES))
        return moments

    def trajectory_ids(self, person: Person) -> set[int]:
        if person.user is None:
            return set()
        return set(Entry.objects.filter(author=person.user).values_list("trajectory_id", flat=True))

    def erase(self, person: Person, removal: Removal, *, scope: Scope) -> None:
        if person.user is not None and scope.takes(ConsentKind.LOGBOOK):
            entries = scope.within(Entry.objects.filter(author=person.user))
            count = 0
            for entry in entries.prefetch_related("audio_clips"):
                count += 1
                for clip in entry.audio_clips.all():
                    removal.file(clip.file)
            removal.add("logbook_entries", count)
            entries.delete()
        if not scope.takes(ConsentKind.NOTES):
            return
        emails = scope.within(EmailDataPoint.objects.filter(pk__in=emails_sent_by(person.emails)))
        count = 0
        for email in emails.prefetch_related("attachments"):
            count += 1
            removal.file(email.raw)
            for attachment in email.attachments.all():
                removal.file(attachment.file)
        removal.add("emails", count)
        emails.delete()
        # Observation and conversation notes about the person were collected under the same
        # consent: they go too (their name in other notes is replaced by research).
        notes = scope.within(ResearchNote.objects.filter(pk__in=notes_about(person.user)))
        removal.add("research_notes", notes.delete()[0])
