"""Reads of the dialogues that more than one module needs: consent as the
latest answer of each invitation, the rendered invitation, who still has to
approve a report."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    Approval,
    Consent,
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
    return Subquery(
        Consent.objects.filter(invitee=OuterRef("pk")).order_by("-at", "-id").values("agreed")[:1]
    )


def consented_invitees(session: DialogueSession):
    return session.invitees.annotate(consent_agreed=latest_consent_subquery()).filter(
        consent_agreed=True
    )


def has_consented(invitee: Invitee) -> bool:
    latest = invitee.consents.order_by("-at", "-id").first()
    return bool(latest and latest.agreed)


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


def visible_items(session: DialogueSession):
    """The harvest without the items the facilitator hid."""
    return session.harvest_items.filter(hidden_at__isnull=True).select_related("invitee")


def report_responses(report: HarvestReport) -> list[ReportVersion]:
    """Every version, newest first, with its answers and what became of them.

    Each version gets `.responses` (the answers, with the invitee), `.waiting`
    (how many consented participants have not answered a submitted version) and
    `.next_version` (the version that followed, which answers its change
    requests). Four queries, whatever the number of versions and answers.
    """
    versions = list(
        report.versions.order_by("-number").prefetch_related(
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
