"""The harvest report of a dialogue session."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dialogues.models import Decision as ApprovalDecision
from dialogues.models import DialogueSession, HarvestItem
from dialogues.models import ReportStatus as HarvestStatus
from dialogues.selectors import consented_invitees
from research.pseudonymise import organisation_code
from trajectories.goals import Goal

from ..models import Audience
from .base import _pseudonymiser, _public_text

# --- harvest report --------------------------------------------------------------

FINAL_HARVEST = (HarvestStatus.FINAL, HarvestStatus.CLOSED)


def _harvest_report_of(session: DialogueSession):
    try:
        return session.report
    except DialogueSession.report.RelatedObjectDoesNotExist:
        return None


def harvest_check(session: DialogueSession) -> None:
    report = _harvest_report_of(session)
    if report is None or report.status not in FINAL_HARVEST:
        raise ValidationError(
            _("The harvest report of this session has not been approved yet: "
              "it can be put in a PDF once it is final.")
        )


def harvest_context(session: DialogueSession, audience: str) -> dict:
    research_team = audience == Audience.RESEARCH_TEAM
    pseudonymiser = _pseudonymiser(audience)
    harvest_check(session)
    report = session.report
    version = report.versions.filter(submitted_at__isnull=False).order_by("-number").first()
    if version is None:
        raise ValidationError(_("The harvest report has no submitted version."))
    consented = list(consented_invitees(session).order_by("name"))
    answers = {answer.invitee_id: answer for answer in version.answers.all()}
    rows = [{"invitee": invitee, "answer": answers.get(invitee.pk)} for invitee in consented]
    approved = sum(
        1 for row in rows if row["answer"] and row["answer"].decision == ApprovalDecision.APPROVE
    )
    changes = sum(
        1 for row in rows if row["answer"] and row["answer"].decision == ApprovalDecision.CHANGE
    )
    items_by_goal = []
    if research_team:
        items = list(
            HarvestItem.objects.filter(session=session)
            .select_related("invitee")
            .order_by("goal", "group", "created_at", "id")
        )
        for goal in [*Goal, None]:
            goal_items = [item for item in items if item.goal == (goal and int(goal))]
            if goal_items:
                items_by_goal.append(
                    {"label": goal.label if goal else _("Not linked to a goal"),
                     "items": goal_items}
                )
    organisation = session.trajectory.organisation
    # The participants' copy is pseudonymised: its cover names the organisation's code.
    organisation_label = organisation.name if research_team else organisation_code(organisation)
    return {
        "session": session,
        "trajectory": session.trajectory,
        "organisation": organisation,
        "organisation_label": organisation_label,
        "theme": _public_text(session.theme, audience, pseudonymiser),
        "place": _public_text(session.place, audience, pseudonymiser),
        "cover_title": _("Harvest report — %(organisation)s, %(date)s")
        % {
            "organisation": organisation_label,
            "date": date_format(timezone.localtime(session.starts_at), "j F Y"),
        },
        "harvest_report": report,
        "version": version,
        "body": _public_text(version.body, audience, pseudonymiser),
        "closed_reason": _public_text(report.closed_reason, audience, pseudonymiser),
        "invited_count": session.invitees.count(),
        "consented_count": len(consented),
        "approved_count": approved,
        "change_count": changes,
        "unanswered_count": len(consented) - approved - changes,
        # Names of who approved are for the research team; others get counts.
        "approval_rows": rows if research_team else [],
        "items_by_goal": items_by_goal,
        "item_count": sum(len(group["items"]) for group in items_by_goal),
    }


def _harvest_title(session: DialogueSession) -> str:
    return _("Harvest report — %(organisation)s, %(date)s") % {
        "organisation": session.trajectory.organisation.name,
        "date": date_format(timezone.localtime(session.starts_at), "j F Y"),
    }
