"""The researchers' timeline: logbook entries, e-mails and notes merged by date.

One UNION query selects (source, id, date) for the page, then each source is
fetched by id, so the number of queries does not depend on the page size.
"""

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import CharField, DateField, F, IntegerField, Q, Value

from .access import readable_entries_filter
from .models import GOAL_FIELDS, TEXT_FIELDS, EmailDataPoint, Entry, ResearchNote

PAGE_SIZE = 20


def _search(qs, fields, query):
    if connection.vendor == "postgresql":
        return qs.annotate(search=SearchVector(*fields, config="dutch")).filter(
            search=SearchQuery(query, config="dutch", search_type="websearch")
        )
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": query})
    return qs.filter(condition)


def _rows(qs, source, day_field):
    return (
        qs.annotate(
            src=source if not isinstance(source, str) else Value(source, output_field=CharField()),
            oid=F("id") + Value(0, output_field=IntegerField()),
            day=F(day_field) if day_field else Value(None, output_field=DateField()),
        )
        .order_by()
        .values_list("src", "oid", "day")
    )


def timeline_page(*, user, trajectory, filters: dict, page_number, per_page=PAGE_SIZE):
    entries = Entry.objects.filter(trajectory=trajectory).filter(
        readable_entries_filter(user, trajectory)
    )
    emails = EmailDataPoint.objects.filter(trajectory=trajectory)
    notes = ResearchNote.objects.filter(trajectory=trajectory)

    source = filters.get("source") or ""
    role = filters.get("role") or ""
    goal = filters.get("goal")
    query = (filters.get("q") or "").strip()

    include_entries = source in ("", "entry")
    include_emails = source in ("", "email") and not role and not goal
    include_notes = source in ("", "observation", "conversation") and role in ("", "researcher")
    include_notes = include_notes and not goal
    if role == "researcher":
        include_entries = False
    if role:
        entries = entries.filter(author_role=role)
    if goal:
        entries = entries.filter(**{GOAL_FIELDS[goal]: True})
    if source in ("observation", "conversation"):
        notes = notes.filter(kind=source)
    if query:
        entries = _search(entries, TEXT_FIELDS, query)
        emails = _search(emails, ("subject", "body", "sender"), query)
        notes = _search(notes, ("title", "text"), query)

    parts = []
    if include_entries:
        parts.append(_rows(entries, "entry", "week_start"))
    if include_emails:
        parts.append(_rows(emails, "email", "occurred_on"))
    if include_notes:
        parts.append(_rows(notes, F("kind"), "occurred_on"))
    if not parts:
        combined = _rows(Entry.objects.none(), "entry", "week_start")
    elif len(parts) == 1:
        combined = parts[0]
    else:
        combined = parts[0].union(*parts[1:], all=True)
    combined = combined.order_by("-day", "src", "-oid")

    page = Paginator(combined, per_page).get_page(page_number)
    rows = list(page.object_list)
    wanted = {"entry": [], "email": [], "note": []}
    for src, oid, _day in rows:
        wanted["entry" if src == "entry" else "email" if src == "email" else "note"].append(oid)
    objects = {}
    if wanted["entry"]:
        for obj in (
            Entry.objects.filter(pk__in=wanted["entry"])
            .select_related("author")
            .prefetch_related("audio_clips")
        ):
            objects[("entry", obj.pk)] = obj
    if wanted["email"]:
        for obj in (
            EmailDataPoint.objects.filter(pk__in=wanted["email"])
            .select_related("half_day")
            .prefetch_related("attachments")
        ):
            objects[("email", obj.pk)] = obj
    if wanted["note"]:
        for obj in ResearchNote.objects.filter(pk__in=wanted["note"]).select_related(
            "created_by", "half_day"
        ):
            objects[(obj.kind, obj.pk)] = obj
    page.items = [
        {"source": src, "date": day, "object": objects[(src, oid)]}
        for src, oid, day in rows
        if (src, oid) in objects
    ]
    return page
