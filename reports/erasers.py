"""What a withdrawal of consent erases in reports: the PDFs that may hold the person's words.

Summaries, harvest reports, portraits and cross-case overviews built before the
withdrawal copied their data into files; those are deleted (rows now, files
after commit) and can simply be built again.
"""

from __future__ import annotations

from django.db.models import Q

from dialogues.models import DialogueSession
from research.models import ConsentKind
from research.registry import DataOwner, Person, Removal, Scope, Stage

from .models import Report, ReportKind


class ReportFiles(DataOwner):
    stage = Stage.DERIVED
    scrub_app_label = "reports"

    def erase(self, person: Person, removal: Removal, *, scope: Scope) -> None:
        # Any kind of data may be in a summary, portrait or cross-case overview; a harvest
        # report holds only dialogue contributions.
        session_ids = set()
        if scope.takes(ConsentKind.DIALOGUE):
            session_ids = set(
                scope.within(
                    DialogueSession.objects.filter(invitees__id__in=person.invitee_ids)
                ).values_list("id", flat=True)
            )
        reports = Report.objects.filter(
            Q(kind=ReportKind.HARVEST, object_id__in=session_ids)
            | Q(kind=ReportKind.SUMMARY, object_id__in=scope.trajectory_ids)
            | Q(kind=ReportKind.PORTRAIT, object_id__in=scope.organisation_ids)
            | Q(
                kind__in=(ReportKind.CROSSCASE, ReportKind.SYNTHESIS), object_id__in=scope.study_ids
            )
        )
        for report in reports:
            removal.file(report.file)
        removal.add("reports", reports.delete()[0])
