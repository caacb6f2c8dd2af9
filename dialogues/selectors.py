"""Reads of the dialogues that more than one module needs: consent as the
latest answer of each invitation, the rendered invitation, who still has to
approve a report."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from research.consent import has_agreed, latest_consent
from research.models import Consent, ConsentKind
from trajectories.models import Membership, Role

from .models import (
    Approval,
    Decision,
    DialogueSession,
    HarvestReport,
    Invitee,
    ReportVersion,
)
from .tokens import make_token


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
