"""Reads of the reports app for other pages: reports that are ready for the person who asked."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actions import ActionSource, OpenAction
from accounts.models import NotificationKind

from .access import visible_reports
from .models import ReportStatus

# A ready report stays in "Wat wacht op mij" this long.
READY_FOR = timedelta(days=14)


def _ready_action(report) -> OpenAction:
    return OpenAction(
        kind=NotificationKind.REPORT_READY,
        key=f"report_ready:{report.pk}",
        title=_("Your report is ready"),
        where=report.title,
        url=reverse("reports:detail", args=[report.pk]),
    )


def open_action_sources(user) -> list[ActionSource]:
    # The person's own recent reports first (index on requested_by), then for
    # each of those few whether they may still read it.
    reports = (
        visible_reports(user)
        .filter(
            requested_by=user, status=ReportStatus.DONE, finished_at__gte=timezone.now() - READY_FOR
        )
        .order_by("-finished_at", "-pk")
    )
    return [
        ActionSource(
            slug="rapporten",
            kind=NotificationKind.REPORT_READY,
            label=_("Reports that are ready"),
            queryset=reports,
            to_action=_ready_action,
        )
    ]


def open_actions(user) -> list[OpenAction]:
    return [action for source in open_action_sources(user) for action in source.first()]
