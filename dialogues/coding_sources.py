"""The dialogues' research texts: harvest reports approved by all, and harvest items."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from research.consent import covered_people
from research.models import ConsentKind
from research.registry import Person
from research.sources import CHUNK, CodingSource, SourceKind, SourceText

from .models import HarvestItem, HarvestReport, ReportStatus, ReportVersion


def harvest_reports(trajectory_ids=None) -> Iterator[SourceText]:
    latest = ReportVersion.objects.filter(report=OuterRef("pk")).order_by("-number")
    qs = (
        HarvestReport.objects.filter(status=ReportStatus.FINAL)
        .annotate(body=Subquery(latest.values("body")[:1]))
        .select_related("session")
        .only(
            "id",
            "session__trajectory_id",
            "session__researcher_id",
            "session__starts_at",
            "session__theme",
        )
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
    # Hidden items (duplicates, stray input) are no research text.
    qs = (
        HarvestItem.objects.filter(hidden_at__isnull=True)
        .select_related("session", "invitee")
        .only(
            "id",
            "text",
            "invitee_id",
            "invitee__email",
            "invitee__user_id",
            "session__trajectory_id",
            "session__starts_at",
        )
    )
    if trajectory_ids is not None:
        qs = qs.filter(session__trajectory_id__in=trajectory_ids)
    covered = covered_people(ConsentKind.DIALOGUE, trajectory_ids)
    for item in qs.order_by("id").iterator(chunk_size=CHUNK):
        if not covered.covers(
            item.session.trajectory_id, user_id=item.invitee.user_id, email=item.invitee.email
        ):
            continue  # only what consent covers reaches coding and the exports
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


def harvest_items_of(person: Person) -> list[int]:
    return list(
        HarvestItem.objects.filter(invitee_id__in=person.invitee_ids).values_list("id", flat=True)
    )


SOURCES = [
    CodingSource(SourceKind.HARVEST_REPORT, harvest_reports, consent_kind=ConsentKind.DIALOGUE),
    CodingSource(
        SourceKind.HARVEST_ITEM,
        harvest_items,
        rows_of=harvest_items_of,
        consent_kind=ConsentKind.DIALOGUE,
    ),
]
