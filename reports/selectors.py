"""Reads of the reports app for other pages: reports that are ready for the person who asked."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actions import PER_KIND, OpenAction
from accounts.models import NotificationKind

from .access import visible_reports
from .models import ReportStatus

# A ready report stays in "Wat wacht op mij" this long.
READY_FOR = timedelta(days=14)


def open_actions(user) -> list[OpenAction]:
    reports = (
        visible_reports(user)
        .filter(
            requested_by=user, status=ReportStatus.DONE, finished_at__gte=timezone.now() - READY_FOR
        )
        .order_by("-finished_at")[:PER_KIND]
    )
    return [
        OpenAction(
            kind=NotificationKind.REPORT_READY,
            key=f"report_ready:{report.pk}",
            title=_("Your report is ready"),
            where=report.title,
            url=reverse("reports:detail", args=[report.pk]),
        )
        for report in reports
    ]
