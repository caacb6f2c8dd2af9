"""What a withdrawal of consent erases in the logbooks: entries and e-mails of the person."""

from __future__ import annotations

from django.db.models import Max
from django.db.models.functions import Coalesce

from research.registry import DataOwner, Person, Removal, Scope

from .models import EmailDataPoint, Entry
from .selectors import emails_sent_by


class LogbookData(DataOwner):
    scrub_app_label = "logbooks"

    def contributions(self, person: Person, at):
        # Each entry is a moment of giving data, like an interview.
        if person.user is None:
            return []
        latest = Entry.objects.filter(author=person.user).aggregate(
            latest=Max(Coalesce("submitted_at", "created_at"))
        )["latest"]
        return [(latest, "logbook")] if latest and latest <= at else []

    def trajectory_ids(self, person: Person) -> set[int]:
        if person.user is None:
            return set()
        return set(
            Entry.objects.filter(author=person.user).values_list("trajectory_id", flat=True)
        )

    def erase(self, person: Person, removal: Removal, *, scope: Scope) -> None:
        if person.user is not None:
            entries = Entry.objects.filter(author=person.user)
            count = 0
            for entry in entries.prefetch_related("audio_clips"):
                count += 1
                for clip in entry.audio_clips.all():
                    removal.file(clip.file)
            removal.add("logbook_entries", count)
            entries.delete()
        emails = EmailDataPoint.objects.filter(pk__in=emails_sent_by(person.emails))
        count = 0
        for email in emails.prefetch_related("attachments"):
            count += 1
            removal.file(email.raw)
            for attachment in email.attachments.all():
                removal.file(attachment.file)
        removal.add("emails", count)
        emails.delete()
