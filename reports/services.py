"""Requesting and building reports. The web view, the Celery task and the
`build_report` command all use these functions."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lobtraject import outbox
from lobtraject.files import save_generated

from . import pdf
from .builders import builder_for
from .classification import PublicationType
from .models import Audience, Portrait, Report, ReportKind, ReportStatus

logger = logging.getLogger(__name__)


def report_render(*, kind: str, object_id: int, audience: str = Audience.RESEARCH_TEAM,
                  report: Report | None = None) -> bytes:
    """Build the PDF for one object and return its bytes."""
    return pdf.html_to_pdf(
        report_html(kind=kind, object_id=object_id, audience=audience, report=report)
    )


def report_html(*, kind: str, object_id: int, audience: str = Audience.RESEARCH_TEAM,
                report: Report | None = None) -> str:
    """The final HTML of a report, as WeasyPrint gets it (also used by the benchmark)."""
    builder = builder_for(kind)
    target = builder.load(object_id)
    with translation.override(settings.LANGUAGE_CODE):
        context = builder.context(target, audience)
        context.update(
            {
                # A builder may give its own cover title (pseudonymised for its audience).
                "title": context.pop("cover_title", None) or builder.title(target),
                "report": report,
                "classification": classification_for(builder, target, report),
                "audience": audience,
                "generated_at": timezone.localtime(),
            }
        )
        return pdf.render_html(builder.template, context)


def classification_for(builder, target, report: Report | None) -> dict:
    """Sector, theme, year and publication type: the report's own, or the
    defaults a new report would get (for `build_report` without a stored report)."""
    if report is None:
        report = Report(
            kind=builder.kind,
            sector=builder.sector(target),
            year=timezone.localdate().year,
            publication_type=(
                PublicationType.REPORT_SUMMARY
                if builder.kind == ReportKind.SUMMARY else PublicationType.RESEARCH_REPORT
            ),
        )
    return {
        "sector": report.get_sector_display() if report.sector else "",
        "theme": str(report.get_theme_display()),
        "year": report.year,
        "year_band": str(report.year_band),
        "publication_type": str(report.get_publication_type_display()),
    }


@transaction.atomic
def report_request(*, user, kind: str, object_id: int, audience: str = Audience.RESEARCH_TEAM,
                   theme: str | None = None, publication_type: str | None = None) -> Report:
    """Record a report request and queue its build after the transaction commits."""
    builder = builder_for(kind)
    target = builder.model.objects.select_related(*builder.related).filter(pk=object_id).first()
    if target is None:
        raise ValidationError(_("This report cannot be made: the object does not exist."))
    if audience not in builder.audiences:
        raise ValidationError(_("This kind of report is not made for that audience."))
    builder.check(target)
    report = Report(
        kind=kind,
        object_id=object_id,
        audience=audience,
        title=builder.title(target),
        requested_by=user,
        sector=builder.sector(target),
        year=timezone.localdate().year,
    )
    if theme:
        report.theme = theme
    if publication_type:
        report.publication_type = publication_type
    report.full_clean()
    report.save()
    _enqueue(report)
    return report


def _enqueue(report: Report) -> None:
    outbox.enqueue("reports.tasks.build_report", report.pk)


@transaction.atomic
def report_retry(*, report: Report) -> Report:
    if report.status != ReportStatus.FAILED:
        raise ValidationError(_("Only a failed report can be tried again."))
    report.status = ReportStatus.QUEUED
    report.progress = 0
    report.error = ""
    report.save(update_fields=["status", "progress", "error"])
    _enqueue(report)
    return report


@transaction.atomic
def report_reclassify(*, report: Report, sector: str, theme: str, year: int,
                      publication_type: str) -> Report:
    """Change the classification and rebuild the PDF, whose cover and metadata show it."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status in (ReportStatus.QUEUED, ReportStatus.RUNNING):
        raise ValidationError(_("Wait until the report is ready before changing it."))
    if not 1990 <= year <= 2100:
        raise ValidationError(_("Give a year between 1990 and 2100."))
    report.sector, report.theme, report.year = sector, theme, year
    report.publication_type = publication_type
    report.status = ReportStatus.QUEUED
    report.progress = 0
    report.error = ""
    report.full_clean()
    report.save()
    _enqueue(report)
    return report


def _set(report_id: int, **fields) -> None:
    Report.objects.filter(pk=report_id).update(**fields)


def report_build(*, report_id: int) -> Report | None:
    """Build the stored file for a report; idempotent (a finished report is left alone).

    The PDF reaches the storage only complete (`save_generated`), so a worker killed
    halfway leaves no half-written report behind.
    """
    report = Report.objects.filter(pk=report_id).first()
    if report is None or report.status == ReportStatus.DONE:
        return report
    _set(report_id, status=ReportStatus.RUNNING, progress=10, attempts=report.attempts + 1)
    content = report_render(
        kind=report.kind, object_id=report.object_id, audience=report.audience, report=report
    )
    _set(report_id, progress=80)
    storage = report.file.storage
    name, _size, _ = save_generated(
        storage,
        report.file.field.generate_filename(report, "report.pdf"),
        key=f"report-{report_id}",
        write=lambda output: output.write(content),
    )
    old_file = report.file.name
    _set(report_id, status=ReportStatus.DONE, progress=100, file=name, error="",
         finished_at=timezone.now())
    if old_file and old_file != name:
        storage.delete(old_file)
    report.refresh_from_db()
    return report


def report_mark_failed(*, report_id: int, error: Exception) -> None:
    logger.exception("report %s failed", report_id, exc_info=error)
    _set(
        report_id,
        status=ReportStatus.FAILED,
        error=_("The report could not be made. Try again; if it fails again, tell the team coach."),
        finished_at=timezone.now(),
    )


def report_build_to_file(*, kind: str, object_id: int, out: Path,
                         audience: str = Audience.RESEARCH_TEAM) -> int:
    """For the management command: render straight to a file, return its size."""
    content = report_render(kind=kind, object_id=object_id, audience=audience)
    out.write_bytes(content)
    return len(content)


@transaction.atomic
def portrait_save(*, organisation, user, **fields) -> Portrait:
    """Create or update the organisation's portrait sections and student figures."""
    portrait = (
        Portrait.objects.select_for_update().filter(organisation=organisation).first()
        or Portrait(organisation=organisation)
    )
    allowed = {"student_count", "student_note", *Portrait.SECTION_FIELDS}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown portrait fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(portrait, name, value.strip() if isinstance(value, str) else value)
    portrait.updated_by = user
    portrait.full_clean()
    portrait.save()
    return portrait
