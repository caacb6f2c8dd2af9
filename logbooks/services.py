"""All writes of the logbooks app."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses
from html import unescape

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lobtraject.audio import check_upload
from research.consent import require_consent
from research.models import ConsentKind
from research.selectors import collection_stops
from trajectories.models import Membership, Phase
from transcripts.services import transcript_request

from .models import (
    GOAL_FIELDS,
    TEXT_FIELDS,
    WRITER_ROLES,
    AudioClip,
    EmailAttachment,
    EmailDataPoint,
    Entry,
    EntryRevision,
    EntryStatus,
    LogbookSettings,
    ResearchNote,
)
from .selectors import people_mentioned

ACTIVE_PHASES = (Phase.CUSTOM, Phase.CLOSING)


def stopped_message() -> str:
    """Refusal for someone who withdrew consent (see research)."""
    return _("You have withdrawn your consent for the research: no new logbook data are collected.")


def require_logbook_consent(entry: Entry) -> None:
    """The gate of every logbook intake: the author's current logbook consent."""
    require_consent(trajectory=entry.trajectory_id, kind=ConsentKind.LOGBOOK, user=entry.author)


def settings_for(user) -> LogbookSettings:
    try:
        return user.logbook_settings
    except LogbookSettings.DoesNotExist:
        return LogbookSettings(user=user)


@transaction.atomic
def settings_update(*, user, **values) -> LogbookSettings:
    obj, _created = LogbookSettings.objects.get_or_create(user=user)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj


def entry_for_week(*, author, trajectory, iso_year: int, iso_week: int, role: str) -> Entry:
    """The author's entry for that week, or a new unsaved one with their default sharing."""
    entry = Entry.objects.filter(
        author=author, trajectory=trajectory, iso_year=iso_year, iso_week=iso_week
    ).first()
    if entry is None:
        entry = Entry(
            author=author,
            trajectory=trajectory,
            author_role=role,
            iso_year=iso_year,
            iso_week=iso_week,
            week_start=Entry.monday(iso_year, iso_week),
            shared_with_coach=settings_for(author).share_with_coach_by_default,
        )
    return entry


def _join_concurrent_create(entry: Entry) -> None:
    """Make a new week's entry the stored one if another request created it meanwhile.

    An autosave and the save button (or two tabs) may both start from an
    unsaved entry for the same week. Saves of one author wait for each other
    on the author's row; the later one then continues on the stored entry
    instead of failing on the unique constraint or creating a second entry.
    """
    if entry.pk is not None:
        return
    get_user_model().objects.select_for_update().filter(pk=entry.author_id).exists()
    stored = Entry.objects.filter(
        author_id=entry.author_id,
        trajectory_id=entry.trajectory_id,
        iso_year=entry.iso_year,
        iso_week=entry.iso_week,
    ).first()
    if stored is None:
        return
    keep = {*TEXT_FIELDS, *GOAL_FIELDS.values(), "shared_with_coach"}
    for model_field in Entry._meta.concrete_fields:
        if model_field.name not in keep:
            setattr(entry, model_field.attname, getattr(stored, model_field.attname))
    entry._state.adding = False


@transaction.atomic
def entry_save(
    *, entry: Entry, editor, data: dict, submit: bool = False, draft_only: bool = False
) -> Entry:
    """Store the entry's text; on `submit` a draft becomes submitted.

    Every change to an entry that was already submitted first records the
    previous text as an EntryRevision, so edits keep their history.
    """
    require_logbook_consent(entry)
    _join_concurrent_create(entry)
    # Compare with the stored row: a ModelForm may already have changed `entry`.
    stored = Entry.objects.select_for_update().filter(pk=entry.pk).first() if entry.pk else None
    before = stored.text_snapshot() if stored else None
    was_submitted = stored is not None and stored.status == EntryStatus.SUBMITTED
    if draft_only and was_submitted:
        # An autosave that started before the entry was submitted must not overwrite it.
        raise ValidationError(_("Submitted entries are saved with the save button."))
    for name in TEXT_FIELDS:
        if name in data:
            setattr(entry, name, (data[name] or "").strip())
    if "goals" in data:
        chosen = {int(goal) for goal in data["goals"] or []}
        for goal, name in GOAL_FIELDS.items():
            setattr(entry, name, int(goal) in chosen)
    if "shared_with_coach" in data:
        entry.shared_with_coach = bool(data["shared_with_coach"])
    if submit and entry.status == EntryStatus.DRAFT:
        if not any(getattr(entry, name) for name in TEXT_FIELDS) and not (
            entry.pk and entry.audio_clips.exists()
        ):
            raise ValidationError(_("Write something or add a voice message before submitting."))
        entry.status = EntryStatus.SUBMITTED
        entry.submitted_at = timezone.now()
    entry.week_start = Entry.monday(entry.iso_year, entry.iso_week)
    entry.full_clean()
    if was_submitted and before != entry.text_snapshot():
        EntryRevision.objects.create(entry=entry, edited_by=editor, snapshot=before)
    entry.save()
    return entry


@transaction.atomic
def audio_add(*, entry: Entry, uploaded) -> AudioClip:
    """Attach a voice message after checking its size and its real content."""
    require_logbook_consent(entry)
    content_type, suffix = check_upload(uploaded)
    _join_concurrent_create(entry)
    if entry.pk is None:
        entry.full_clean()
        entry.save()
    clip = AudioClip(
        entry=entry,
        content_type=content_type,
        size=uploaded.size,
        original_name=(getattr(uploaded, "name", "") or "")[:200],
    )
    clip.file.save(f"audio{suffix}", uploaded, save=False)
    clip.save()
    # Turned into a draft text on this server, for the author to correct.
    transcript_request(kind="logbook_clip", audio_id=clip.pk)
    return clip


# --- e-mails ---------------------------------------------------------------------------------


@dataclass
class ParsedEmail:
    sender: str = ""
    recipients: str = ""
    sent_at: datetime | None = None
    subject: str = ""
    body: str = ""
    attachments: list = field(default_factory=list)  # (filename, content_type, bytes)


def _html_to_text(html: str) -> str:
    html = re.sub(r"(?is)<(script|style).*?</\1>", "", html)
    html = re.sub(r"(?i)<br\s*/?>|</p>|</div>", "\n", html)
    return unescape(re.sub(r"<[^>]+>", "", html)).strip()


def parse_eml(raw: bytes) -> ParsedEmail:
    """Sender, recipients, date, subject, text and attachments of an RFC 5322 message."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    parsed = ParsedEmail()
    parsed.sender = str(message.get("From", "") or "")[:300]
    addresses = getaddresses([str(message.get(header, "") or "") for header in ("To", "Cc")])
    parsed.recipients = ", ".join(
        f"{name} <{addr}>" if name else addr for name, addr in addresses if addr
    )
    parsed.subject = str(message.get("Subject", "") or "")[:500]
    date_header = message.get("Date")
    if date_header is not None:
        try:
            parsed.sent_at = date_header.datetime
        except (AttributeError, TypeError, ValueError):
            parsed.sent_at = None
        if parsed.sent_at is not None and timezone.is_naive(parsed.sent_at):
            parsed.sent_at = timezone.make_aware(parsed.sent_at)
    body_part = message.get_body(preferencelist=("plain", "html"))
    if body_part is not None:
        try:
            content = body_part.get_content()
        except (LookupError, UnicodeDecodeError):
            content = body_part.get_payload(decode=True).decode("latin-1", "replace")
        if body_part.get_content_subtype() == "html":
            content = _html_to_text(content)
        parsed.body = content.strip()
    for name in ("sender", "recipients", "subject", "body"):
        setattr(parsed, name, getattr(parsed, name).replace("\x00", ""))
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True) or b""
        parsed.attachments.append(
            (part.get_filename() or "bijlage", part.get_content_type(), payload)
        )
    return parsed


MAX_EML_BYTES = 25 * 1024 * 1024


@transaction.atomic
def email_import(*, trajectory, uploaded, created_by, half_day=None) -> EmailDataPoint:
    if uploaded.size > MAX_EML_BYTES:
        raise ValidationError(_("The e-mail file is too large: at most 25 MB."))
    raw = uploaded.read()
    parsed = parse_eml(raw)
    if not (parsed.sender or parsed.subject or parsed.recipients):
        raise ValidationError(_("This file does not look like an e-mail (.eml)."))
    senders = [address for _name, address in getaddresses([parsed.sender]) if address]
    if not senders:
        raise ValidationError(_("This e-mail has no sender; it is not added to the research."))
    for address in senders:
        # The words are the sender's: their consent for e-mails and notes decides.
        require_consent(
            trajectory=trajectory, kind=ConsentKind.NOTES, email=address, about_self=False
        )
    occurred_on = timezone.localdate(parsed.sent_at) if parsed.sent_at else timezone.localdate()
    email = EmailDataPoint(
        trajectory=trajectory,
        half_day=half_day,
        occurred_on=occurred_on,
        created_by=created_by,
        sender=parsed.sender,
        recipients=parsed.recipients,
        sent_at=parsed.sent_at,
        subject=parsed.subject,
        body=parsed.body,
    )
    email.raw.save("message.eml", ContentFile(raw), save=False)
    email.full_clean()
    email.save()
    for filename, content_type, payload in parsed.attachments:
        attachment = EmailAttachment(
            email=email,
            filename=filename[:255],
            content_type=content_type[:100],
            size=len(payload),
        )
        attachment.file.save(filename, ContentFile(payload), save=False)
        attachment.save()
    return email


@transaction.atomic
def note_create(*, trajectory, author, kind, title, text, occurred_on, half_day=None):
    for person in people_mentioned(trajectory, f"{title}\n{text}"):
        # An observation about a person needs that person's consent for notes.
        require_consent(
            trajectory=trajectory, kind=ConsentKind.NOTES, user=person, about_self=False
        )
    note = ResearchNote(
        trajectory=trajectory,
        created_by=author,
        kind=kind,
        title=title,
        text=text,
        occurred_on=occurred_on,
        half_day=half_day,
    )
    note.full_clean()
    note.save()
    return note


# --- weekly reminders ---------------------------------------------------------------------------


def reminder_due(prefs: LogbookSettings, now: datetime) -> bool:
    local = timezone.localtime(now)
    if not prefs.reminders_enabled:
        return False
    year, week, weekday = local.isocalendar()
    if prefs.last_reminded_on is not None:
        last_year, last_week, _day = prefs.last_reminded_on.isocalendar()
        if (last_year, last_week) == (year, week):
            return False
    if weekday != prefs.reminder_weekday:
        return weekday > prefs.reminder_weekday
    return local.hour >= prefs.reminder_hour


def send_due_reminders(now: datetime | None = None) -> int:
    """E-mail everyone whose reminder moment has come and who has not written this week."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    year, week, _day = local.isocalendar()
    writer_ids = set(
        Membership.objects.filter(
            role__in=WRITER_ROLES, trajectory__phase__in=ACTIVE_PHASES, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    written = set(
        Entry.objects.filter(
            iso_year=year, iso_week=week, status=EntryStatus.SUBMITTED
        ).values_list("author_id", flat=True)
    )
    users = (
        get_user_model()
        .objects.filter(pk__in=writer_ids - written)
        .select_related("logbook_settings")
    )
    sent = 0
    stops = collection_stops(ConsentKind.LOGBOOK)
    for user in users:
        if stops.covers(user=user):
            continue
        prefs = settings_for(user)
        if not reminder_due(prefs, now):
            continue
        reminder_send(user=user, iso_year=year, iso_week=week, today=local.date())
        sent += 1
    return sent


@transaction.atomic
def reminder_send(*, user, iso_year: int, iso_week: int, today) -> None:
    prefs, _created = LogbookSettings.objects.select_for_update().get_or_create(user=user)
    if prefs.last_reminded_on and prefs.last_reminded_on.isocalendar()[:2] == (
        iso_year,
        iso_week,
    ):
        return
    prefs.last_reminded_on = today
    prefs.save(update_fields=["last_reminded_on"])
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "iso_week": iso_week,
            "url": getattr(settings, "SITE_URL", "") + reverse("logbooks:index"),
        }
        subject = _("Your logbook for week %(week)d") % {"week": iso_week}
        body = render_to_string("logbooks/reminder_email.txt", context)
    send_mail(subject, body, None, [user.email])
