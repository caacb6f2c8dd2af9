"""Reads of the dialogues that more than one module needs: consent as the
latest answer of each invitation, the rendered invitation, who still has to
approve a report."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actions import ActionSource, OpenAction
from accounts.models import NotificationKind
from research.consent import has_agreed, latest_consent
from research.models import Consent, ConsentKind
from trajectories import access as trajectory_access
from trajectories.models import Membership, Role, StudyRole

from .models import (
    Approval,
    Decision,
    DialogueSession,
    HarvestReport,
    Invitee,
    ReportStatus,
    ReportVersion,
)
from .tokens import make_token


def session_facilitators(trajectory):
    """Who may lead a session: the trajectory's team coaches."""
    return (
        get_user_model()
        .objects.filter(
            memberships__trajectory=trajectory, memberships__role=Role.COACH, is_active=True
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


def session_researchers(trajectory):
    """Who may write the harvest report: the trajectory's researchers and the study's
    research team (seed 003: the research team does the dialogues)."""
    return (
        get_user_model()
        .objects.filter(
            Q(memberships__trajectory=trajectory, memberships__role=Role.RESEARCHER)
            | Q(
                study_memberships__study_id=trajectory.study_id,
                study_memberships__role=StudyRole.RESEARCHER,
            ),
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


def personal_url(invitee: Invitee, name: str = "dialogues:personal") -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=[make_token(invitee)])


def invitation_render(session: DialogueSession, invitee: Invitee | None = None) -> tuple[str, str]:
    """Subject and body of the invitation, placeholders filled."""
    facilitators = [session.facilitator.get_full_name(), session.researcher.get_full_name()]
    context = {
        "session": session,
        "term": session.lob_term,
        "theme": session.theme,
        "organisation": session.trajectory.organisation.name,
        "starts_at": timezone.localtime(session.starts_at),
        "facilitators": " en ".join(name for name in facilitators if name),
        "invitee": invitee,
        "link": personal_url(invitee) if invitee else "[persoonlijke link]",
    }
    subject = _("Invitation: dialogue on “%(theme)s”") % {"theme": session.theme}
    # A plain-text mail, not HTML: render_to_string marks its result safe, and the
    # template runs with autoescape off (a mail shows "&" as "&"), so the result must
    # lose that mark or a page printing it would insert the theme, place or agenda
    # as markup (F3). str.__str__ returns a plain str copy of a SafeString.
    body = str.__str__(render_to_string("dialogues/email/invitation.txt", context))
    return subject, body


def latest_consent_subquery():
    """The invitee's latest dialogue-consent answer in the session's trajectory."""
    return Subquery(
        Consent.objects.filter(
            Q(email=OuterRef("email")) | Q(user_id=OuterRef("user_id")),
            trajectory_id=OuterRef("session__trajectory_id"),
            kind=ConsentKind.DIALOGUE,
        )
        .order_by("-at", "-id")
        .values("agreed")[:1]
    )


def consented_invitees(session: DialogueSession):
    """Invitees who agreed to take part, without the trajectory's managers: they read
    no harvest or report, so they neither approve it nor count as participants."""
    managers = Membership.objects.filter(
        trajectory_id=session.trajectory_id, role=Role.MANAGER
    ).values("user_id")
    return (
        session.invitees.annotate(consent_agreed=latest_consent_subquery())
        .filter(consent_agreed=True)
        .exclude(user_id__in=managers)
    )


def has_consented(invitee: Invitee) -> bool:
    return has_agreed(
        trajectory=invitee.session.trajectory_id,
        kind=ConsentKind.DIALOGUE,
        user=invitee.user,
        email=invitee.email,
    )


def invitee_consent(invitee: Invitee):
    """The invitee's latest dialogue-consent answer (with its text), or None."""
    return latest_consent(
        trajectory=invitee.session.trajectory_id,
        kind=ConsentKind.DIALOGUE,
        user=invitee.user,
        email=invitee.email,
    )


def visible_versions(report: HarvestReport, *, drafts: bool):
    """The report's versions a reader may see: drafts for the research team only."""
    versions = report.versions.all()
    return versions if drafts else versions.filter(submitted_at__isnull=False)


def pending_invitees(version: ReportVersion):
    """Consented participants who have not yet answered this version."""
    return consented_invitees(version.report.session).exclude(
        Exists(Approval.objects.filter(version=version, invitee=OuterRef("pk")))
    )


def report_is_approved_by_all(report: HarvestReport) -> bool:
    current = report.versions.order_by("-number").first()
    if current is None or current.submitted_at is None:
        return False
    consented = consented_invitees(report.session)
    approved = current.answers.filter(decision=Decision.APPROVE).values("invitee_id")
    return consented.exists() and not consented.exclude(id__in=approved).exists()


def _approve_action(invitee) -> OpenAction:
    return OpenAction(
        kind=NotificationKind.APPROVE_REPORT,
        key=f"approve_report:{invitee.pk}:{invitee.version_id}",
        title=_("Approve the harvest report"),
        where=invitee.session.trajectory.organisation.name,
        url=reverse("dialogues:personal", args=[make_token(invitee)]),
    )


def _review_action(session) -> OpenAction:
    return OpenAction(
        kind=NotificationKind.REVIEW_INVITATION,
        key=f"review_invitation:{session.pk}:{int(session.invitation_review_requested_at.timestamp())}",
        title=_("Look at the champion's dialogue invitation"),
        where=session.trajectory.organisation.name,
        url=reverse("dialogues:invitation_preview", args=[session.pk]),
    )


def _change_action(session) -> OpenAction:
    return OpenAction(
        kind=NotificationKind.CHANGE_REQUEST,
        key=f"change_request:{session.version_id}",
        title=_("Answer a change request on the harvest report"),
        where=session.trajectory.organisation.name,
        url=reverse("dialogues:report_edit", args=[session.pk]),
    )


def open_action_sources(user) -> list[ActionSource]:
    """Harvest reports waiting for this person's approval, invitations the coach
    reviews and change requests their researcher has to answer: each a query
    whose cost does not depend on how many trajectories the person is in."""
    current_version = (
        ReportVersion.objects.filter(report=OuterRef("session__report"), submitted_at__isnull=False)
        .order_by("-number")
        .values("pk")[:1]
    )
    to_approve = (
        Invitee.objects.filter(user=user, session__report__status=ReportStatus.PENDING)
        .annotate(version_id=Subquery(current_version), consent_agreed=latest_consent_subquery())
        .filter(consent_agreed=True, version_id__isnull=False)
        .exclude(
            Exists(
                Approval.objects.filter(invitee=OuterRef("pk"), version_id=OuterRef("version_id"))
            )
        )
        .select_related("session__trajectory__organisation")
        .order_by("session__starts_at", "pk")
    )
    sources = [
        ActionSource(
            slug="verslagen-goedkeuren",
            kind=NotificationKind.APPROVE_REPORT,
            label=_("Harvest reports to approve"),
            queryset=to_approve,
            to_action=_approve_action,
        )
    ]
    if Role.COACH in trajectory_access.all_roles(user):
        to_review = (
            DialogueSession.objects.filter(
                trajectory_id__in=Membership.objects.filter(user=user, role=Role.COACH).values(
                    "trajectory_id"
                ),
                invitation_review_requested_at__isnull=False,
            )
            .filter(
                Q(invitation_reviewed_at__isnull=True)
                | Q(invitation_reviewed_at__lt=F("invitation_review_requested_at"))
            )
            .select_related("trajectory__organisation")
            .order_by("starts_at", "pk")
        )
        sources.append(
            ActionSource(
                slug="uitnodigingen-bekijken",
                kind=NotificationKind.REVIEW_INVITATION,
                label=_("Dialogue invitations to look at"),
                queryset=to_review,
                to_action=_review_action,
            )
        )
    # A change request is answered by a newer version of the report: one row per
    # session whose latest version has a change request, oldest request first.
    latest_version = ReportVersion.objects.filter(report=OuterRef("report__id")).order_by("-number")
    first_request = Approval.objects.filter(
        version_id=OuterRef("version_id"), decision=Decision.CHANGE
    ).order_by("at")
    changes = (
        DialogueSession.objects.filter(researcher=user, report__status=ReportStatus.PENDING)
        .annotate(version_id=Subquery(latest_version.values("pk")[:1]))
        .annotate(requested_at=Subquery(first_request.values("at")[:1]))
        .filter(requested_at__isnull=False)
        .select_related("trajectory__organisation")
        .order_by("requested_at", "pk")
    )
    sources.append(
        ActionSource(
            slug="wijzigingsverzoeken",
            kind=NotificationKind.CHANGE_REQUEST,
            label=_("Change requests to answer"),
            queryset=changes,
            to_action=_change_action,
        )
    )
    return sources


def open_actions(user) -> list[OpenAction]:
    return [action for source in open_action_sources(user) for action in source.first()]


def visible_items(session: DialogueSession):
    """The harvest without the items the facilitator hid."""
    return session.harvest_items.filter(hidden_at__isnull=True).select_related("invitee")


def report_responses(report: HarvestReport, *, drafts: bool = False) -> list[ReportVersion]:
    """Every version, newest first, with its answers and what became of them.

    Each version gets `.responses` (the answers, with the invitee), `.waiting`
    (how many consented participants have not answered a submitted version) and
    `.next_version` (the version that followed, which answers its change
    requests). Drafts only with `drafts` (the research team). Four queries,
    whatever the number of versions and answers.
    """
    versions = list(
        visible_versions(report, drafts=drafts)
        .order_by("-number")
        .prefetch_related(
            Prefetch("answers", queryset=Approval.objects.select_related("invitee").order_by("at"))
        )
    )
    consented = set(consented_invitees(report.session).values_list("pk", flat=True))
    following = None
    for version in versions:
        version.responses = list(version.answers.all())
        answered = {answer.invitee_id for answer in version.responses}
        version.waiting = len(consented - answered) if version.submitted_at else 0
        version.change_requests = [a for a in version.responses if a.decision == Decision.CHANGE]
        version.next_version = following
        following = version
    return versions
