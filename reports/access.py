"""Who may request, see and download which report.

Built on trajectories.access (and dialogues.access for harvest reports):

- summary: the research team's version needs READ_RESEARCH_DATA on the
  trajectory; the manager's version (figures only) needs VIEW_PROGRESS;
- harvest report: the research team's version (who approved, the harvest
  items) needs READ_RESEARCH_DATA; the participants' version (pseudonymised,
  approval as counts) is for whoever may read the session's content (team
  coach and research team);
- portrait: the research team of any trajectory of the organisation; the
  same people edit the portrait's sections;
- cross-case overview: membership of the study's research team.

No role at all → 404; a role without the right → 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from dialogues.models import DialogueSession
from trajectories import access
from trajectories.access import CAPABILITIES, Capability
from trajectories.models import Organisation, StudyMembership, StudyRole

from .models import Audience, Report, ReportKind

RESEARCH_ROLES = CAPABILITIES[Capability.READ_RESEARCH_DATA]
CONTENT_ROLES = CAPABILITIES[Capability.READ_DIALOGUE_CONTENT]


def get_portrait_organisation(user, pk) -> Organisation:
    """The organisation whose portrait `user` may write and build (research team)."""
    organisation = access.object_or_404(Organisation.objects, pk)
    access.deny_unless(access.organisation_roles(user, organisation.pk), RESEARCH_ROLES)
    return organisation


# The reports about a whole study, for its research team only.
STUDY_KINDS = (ReportKind.CROSSCASE, ReportKind.SYNTHESIS)


def check_report_target(user, kind: str, object_id: int, audience: str) -> None:
    """Raise 404/403 unless `user` may have this report built and read it."""
    if kind in STUDY_KINDS:
        if not access.is_study_researcher(user, object_id):
            raise Http404
        if audience != Audience.RESEARCH_TEAM:
            raise PermissionDenied
        return
    if kind == ReportKind.SUMMARY:
        trajectory = access.get_trajectory(user, object_id, Capability.VIEW_TRAJECTORY)
        if audience == Audience.MANAGER:
            access.check(user, Capability.VIEW_PROGRESS, trajectory)
        elif audience == Audience.RESEARCH_TEAM:
            access.check(user, Capability.READ_RESEARCH_DATA, trajectory)
        else:
            raise PermissionDenied
        return
    if kind == ReportKind.HARVEST:
        trajectory_id = (
            DialogueSession.objects.filter(pk=object_id)
            .values_list("trajectory_id", flat=True)
            .first()
        )
        if trajectory_id is None:
            raise Http404
        roles = access.roles_for(user, trajectory_id)
        if audience == Audience.RESEARCH_TEAM:
            access.deny_unless(roles, RESEARCH_ROLES)
        elif audience == Audience.PARTICIPANTS:
            access.deny_unless(roles, CONTENT_ROLES)
        else:
            access.deny_unless(roles, frozenset())
        return
    if kind == ReportKind.PORTRAIT:
        get_portrait_organisation(user, object_id)
        if audience != Audience.RESEARCH_TEAM:
            raise PermissionDenied
        return
    raise Http404


def get_report(user, pk) -> Report:
    report = access.object_or_404(Report.objects.select_related("requested_by"), pk)
    check_report_target(user, report.kind, report.object_id, report.audience)
    return report


def content_trajectory_ids(user):
    """Trajectories whose dialogue content (harvest reports) `user` may read, as a
    subquery of ids: a research team member can see a thousand trajectories."""
    return access.trajectories_holding(user, CONTENT_ROLES).values("id")


def visible_reports(user):
    """Reports this user may read: cross-case ones of their studies, summaries,
    harvest reports and portraits where their role allows that audience.

    Each kind is a correlated EXISTS on the report's own `object_id`, answered
    by primary-key and membership index look-ups. An `object_id IN (subquery)`
    per kind instead made PostgreSQL build every subquery in full (all the
    trajectories, sessions and organisations a programme's researcher sees)
    before it looked at one report, however few reports there were.
    """
    research = access.visible_trajectories(user, Capability.READ_RESEARCH_DATA)
    progress = access.visible_trajectories(user, Capability.VIEW_PROGRESS)
    content = access.trajectories_holding(user, CONTENT_ROLES)

    def session_in(trajectories):
        return Exists(
            DialogueSession.objects.filter(pk=OuterRef("object_id")).filter(
                Exists(trajectories.filter(pk=OuterRef("trajectory_id")))
            )
        )

    own_study = StudyMembership.objects.filter(
        user=user, role=StudyRole.RESEARCHER, study_id=OuterRef("object_id")
    )
    return Report.objects.select_related("requested_by").filter(
        Q(kind__in=STUDY_KINDS) & Exists(own_study)
        | Q(kind=ReportKind.SUMMARY, audience=Audience.RESEARCH_TEAM)
        & Exists(research.filter(pk=OuterRef("object_id")))
        | Q(kind=ReportKind.SUMMARY, audience=Audience.MANAGER)
        & Exists(progress.filter(pk=OuterRef("object_id")))
        | Q(kind=ReportKind.HARVEST, audience=Audience.RESEARCH_TEAM) & session_in(research)
        | Q(kind=ReportKind.HARVEST, audience=Audience.PARTICIPANTS) & session_in(content)
        | Q(kind=ReportKind.PORTRAIT)
        & Exists(research.filter(organisation_id=OuterRef("object_id")))
    )


def may_request_reports(*, studies, research, progress) -> bool:
    """Whether the reports page is for this user: in a study's research team (`studies`,
    the list of those studies), or reading research data or progress somewhere
    (`research`, `progress`: the visible trajectories for those capabilities)."""
    return bool(studies) or research.exists() or progress.exists()
