"""Who may request, see and download which report.

Built on trajectories.access: research-team reports of a trajectory need
READ_RESEARCH_DATA on it; the manager's version of a summary needs
VIEW_PROGRESS; a cross-case overview needs membership of the study's
research team.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from trajectories import access
from trajectories.access import Capability
from trajectories.models import StudyMembership, StudyRole

from .models import Audience, Report, ReportKind


def is_study_researcher(user, study_id: int) -> bool:
    return (
        user.is_authenticated
        and StudyMembership.objects.filter(
            user=user, study_id=study_id, role=StudyRole.RESEARCHER
        ).exists()
    )


def check_report_target(user, kind: str, object_id: int, audience: str) -> None:
    """Raise 404/403 unless `user` may have this report built and read it."""
    if kind == ReportKind.CROSSCASE:
        if not is_study_researcher(user, object_id):
            raise Http404
        if audience != Audience.RESEARCH_TEAM:
            raise PermissionDenied
        return
    if kind == ReportKind.SUMMARY:
        trajectory = access.get_trajectory(user, object_id, Capability.VIEW_TRAJECTORY)
        capability = (
            Capability.VIEW_PROGRESS if audience == Audience.MANAGER
            else Capability.READ_RESEARCH_DATA
        )
        access.check(user, capability, trajectory)
        return
    raise Http404


def get_report(user, pk) -> Report:
    try:
        report = Report.objects.select_related("requested_by").get(pk=pk)
    except (Report.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    check_report_target(user, report.kind, report.object_id, report.audience)
    return report


def visible_reports(user):
    """Reports this user may read: cross-case ones of their studies and
    summaries of trajectories where their role allows that audience."""
    from django.db.models import Q

    studies = StudyMembership.objects.filter(user=user, role=StudyRole.RESEARCHER).values(
        "study_id"
    )
    research = access.visible_trajectories(user, Capability.READ_RESEARCH_DATA).values("id")
    progress = access.visible_trajectories(user, Capability.VIEW_PROGRESS).values("id")
    return Report.objects.select_related("requested_by").filter(
        Q(kind=ReportKind.CROSSCASE, object_id__in=studies)
        | Q(kind=ReportKind.SUMMARY, audience=Audience.RESEARCH_TEAM, object_id__in=research)
        | Q(kind=ReportKind.SUMMARY, audience=Audience.MANAGER, object_id__in=progress)
    )
