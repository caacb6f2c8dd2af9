"""Writes for dialogue sessions: one function per domain action."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from lobtraject import outbox
from research.audit import audit_record
from research.consent import require_consent
from research.models import AuditAction, ConsentKind, ConsentVia
from research.selectors import collection_stopped, collection_stops
from research.services import consent_give

from .models import (
    MAX_ITEM_LENGTH,
    Approval,
    Decision,
    DialogueSession,
    HarvestItem,
    HarvestReport,
    InvitationSend,
    Invitee,
    ReportStatus,
    ReportVersion,
)
from .selectors import (
    consented_invitees,
    invitation_render,
    pending_invitees,
    personal_url,
    session_facilitators,
    session_researchers,
)

# --- sessions and invitees ---------------------------------------------------


@transaction.atomic
def session_create(*, trajectory, **fields) -> DialogueSession:
    """A dialogue session, led by one of the trajectory's team coaches; its harvest
    report is written by a researcher of the trajectory or of the study's research team."""
    facilitator, researcher = fields.get("facilitator"), fields.get("researcher")
    errors = {}
    if facilitator and not session_facilitators(trajectory).filter(pk=facilitator.pk).exists():
        errors["facilitator"] = _("Choose a team coach of this trajectory.")
    if researcher and not session_researchers(trajectory).filter(pk=researcher.pk).exists():
        errors["researcher"] = _("Choose a researcher of this trajectory or of the study's team.")
    if errors:
        raise ValidationError(errors)
    session = DialogueSession(trajectory=trajectory, **fields)
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def invitee_add(*, session: DialogueSession, name: str, email: str, user=None) -> Invitee:
    email = email.strip().lower()
    if user is None:
        # Someone with an account sees the session in their overview as well.
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(email__iexact=email).first()
    if collection_stopped(
        user=user, email=email, kind=ConsentKind.DIALOGUE, trajectory=session.trajectory_id
    ):
        raise ValidationError(
            _("This person has withdrawn consent for the research and cannot be invited again.")
        )
    invitee = Invitee(session=session, name=name, email=email, user=user)
    invitee.full_clean()
    invitee.save()
    return invitee


@transaction.atomic
def invitation_text_save(
    *,
    session: DialogueSession,
    lob_term: str,
    theme: str,
    invitation_opening: str,
    invitation_signature: str,
    ask_review: bool = False,
) -> DialogueSession:
    """The champion's own opening and signature on top of the model invitation.

    Asking for a review makes sending wait until the team coach has looked at it;
    a change after that review asks again, so the coach sees what goes out.
    """
    session.lob_term = lob_term
    session.theme = theme.strip()
    session.invitation_opening = invitation_opening.strip()
    session.invitation_signature = invitation_signature.strip()
    if ask_review or session.invitation_review_requested_at is not None:
        session.invitation_review_requested_at = timezone.now()
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def invitation_approve(*, session: DialogueSession, by) -> DialogueSession:
    """The team coach has read the champion's invitation and agrees it can go out."""
    if session.invitation_review_requested_at is None:
        raise ValidationError(_("Nobody asked for a review of this invitation."))
    session.invitation_reviewed_at = timezone.now()
    session.invitation_reviewed_by = by
    session.save(update_fields=["invitation_reviewed_at", "invitation_reviewed_by"])
    return session


def invitations_send(*, session: DialogueSession, by, invitee_ids=None) -> int:
    """Queue the invitation for the given (default: not yet sent) invitees."""
    if session.invitation_awaits_review:
        raise ValidationError(
            _("The team coach has not yet looked at this invitation; it is sent after that.")
        )
    invitees = session.invitees.all()
    if invitee_ids is not None:
        invitees = invitees.filter(id__in=invitee_ids)
    else:
        invitees = invitees.filter(sends__isnull=True)
    ids = list(invitees.values_list("id", flat=True))
    by_id = by.pk if by else None
    for invitee_id in ids:
        outbox.enqueue("dialogues.tasks.send_invitation", invitee_id, by_id)
    return len(ids)


@transaction.atomic
def invitation_deliver(*, invitee_id: int, by_id: int | None) -> None:
    invitee = Invitee.objects.select_related(
        "session__trajectory__organisation", "session__facilitator", "session__researcher"
    ).get(pk=invitee_id)
    if collection_stopped(
        user=invitee.user,
        email=invitee.email,
        kind=ConsentKind.DIALOGUE,
        trajectory=invitee.session.trajectory_id,
    ):
        return
    subject, body = invitation_render(invitee.session, invitee)
    send_mail(subject, body, None, [invitee.email])
    InvitationSend.objects.create(invitee=invitee, sent_by_id=by_id)


# --- consent ------------------------------------------------------------------


def consent_record(*, invitee: Invitee, agreed: bool):
    """An invitee's answer to the dialogue consent, through research (`consent_give`):
    a "no" after a "yes" is a withdrawal. No copy is mailed (the personal page mails one)."""
    return consent_give(
        trajectory=invitee.session.trajectory,
        kind=ConsentKind.DIALOGUE,
        agreed=agreed,
        invitee=invitee,
        via=ConsentVia.LINK,
        copy=False,
    )


def require_dialogue_consent(invitee: Invitee) -> None:
    """The gate of every dialogue intake: the invitee's current dialogue consent.

    The refusal links to the invitee's personal page, where consent is given.
    """
    require_consent(
        trajectory=invitee.session.trajectory_id,
        kind=ConsentKind.DIALOGUE,
        user=invitee.user,
        email=invitee.email,
        link=personal_url(invitee) + "#consent",
    )


# --- harvest ------------------------------------------------------------------


@transaction.atomic
def harvest_item_add(*, invitee: Invitee, text: str, goal: int | None = None) -> HarvestItem:
    session = DialogueSession.objects.select_for_update().get(pk=invitee.session_id)
    text = (text or "").strip()
    require_dialogue_consent(invitee)
    if session.harvest_closed_at is not None:
        raise ValidationError(_("The harvest of this session is closed; no items can be added."))
    _check_session_started(session)
    if not text:
        raise ValidationError(_("Write something before you add it to the harvest."))
    if len(text) > MAX_ITEM_LENGTH:
        raise ValidationError(
            _("An item may be at most %(max)d characters; yours has %(length)d.")
            % {"max": MAX_ITEM_LENGTH, "length": len(text)}
        )
    item = HarvestItem(session=session, invitee=invitee, text=text, goal=goal or None)
    item.full_clean()
    item.save()
    return item


def _check_session_started(session: DialogueSession) -> None:
    """Nothing is harvested or approved for a session that has not taken place yet."""
    if session.starts_at > timezone.now():
        raise ValidationError(
            _("This session has not taken place yet; the harvest opens when it starts.")
        )


def _own_open_item(invitee: Invitee, item: HarvestItem) -> DialogueSession:
    session = DialogueSession.objects.select_for_update().get(pk=item.session_id)
    if item.invitee_id != invitee.pk:
        raise ValidationError(_("You can only change your own items."))
    if session.harvest_closed_at is not None:
        raise ValidationError(
            _("The harvest of this session is closed; ask the team coach if something is wrong.")
        )
    return session


@transaction.atomic
def harvest_item_change(*, invitee: Invitee, item: HarvestItem, text: str, goal=None):
    """The participant corrects their own item while the harvest is open."""
    _own_open_item(invitee, item)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write something, or delete the item."))
    if len(text) > MAX_ITEM_LENGTH:
        raise ValidationError(
            _("An item may be at most %(max)d characters; yours has %(length)d.")
            % {"max": MAX_ITEM_LENGTH, "length": len(text)}
        )
    item.text, item.goal, item.edited_at = text, goal or None, timezone.now()
    item.full_clean()
    item.save(update_fields=["text", "goal", "edited_at"])
    return item


@transaction.atomic
def harvest_item_delete(*, invitee: Invitee, item: HarvestItem) -> None:
    """The participant removes their own item (a double entry) while the harvest is open."""
    _own_open_item(invitee, item)
    item.delete()


@transaction.atomic
def harvest_item_hide(*, item: HarvestItem, by, reason: str) -> HarvestItem:
    """The facilitator hides a duplicate or stray item: kept, shown to its author
    with the reason, left out of the board, the report and the coding."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the item is hidden; its author sees this.")})
    item.hidden_at, item.hidden_by, item.hidden_reason = timezone.now(), by, reason[:300]
    item.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    return item


@transaction.atomic
def harvest_item_unhide(*, item: HarvestItem) -> HarvestItem:
    item.hidden_at, item.hidden_by, item.hidden_reason = None, None, ""
    item.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    return item


@transaction.atomic
def harvest_item_group(*, item: HarvestItem, group: str) -> HarvestItem:
    item.group = group.strip()[:100]
    item.full_clean()
    item.save(update_fields=["group"])
    return item


@transaction.atomic
def harvest_close(*, session: DialogueSession) -> None:
    if session.harvest_closed_at is None:
        session.harvest_closed_at = timezone.now()
        session.save(update_fields=["harvest_closed_at"])


# --- harvest report -------------------------------------------------------------


@transaction.atomic
def report_save_draft(
    *, session: DialogueSession, body: str, deadline=None, reply: str = ""
) -> ReportVersion:
    """Save the draft; after a submission, saving makes a new version (old kept).

    `reply` is the researcher's answer to the change requests on the previous
    version; the participants who asked read it beside the new version."""
    body = (body or "").strip()
    reply = (reply or "").strip()
    if not body:
        raise ValidationError(_("The report cannot be empty."))
    report, _created = HarvestReport.objects.select_for_update().get_or_create(session=session)
    if report.status in (ReportStatus.FINAL, ReportStatus.CLOSED):
        raise ValidationError(_("This report is final and can no longer be changed."))
    if deadline is not None:
        report.deadline = deadline
    current = report.versions.order_by("-number").first()
    if current is not None and current.submitted_at is None:
        current.body, current.reply = body, reply
        current.save(update_fields=["body", "reply"])
        version = current
    else:
        version = ReportVersion.objects.create(
            report=report, number=(current.number + 1) if current else 1, body=body, reply=reply
        )
    report.status = ReportStatus.DRAFT
    report.save()
    return version


@transaction.atomic
def report_submit(*, report: HarvestReport, notify: bool = True) -> ReportVersion:
    report = HarvestReport.objects.select_for_update().get(pk=report.pk)
    version = report.versions.order_by("-number").first()
    if version is None or report.status != ReportStatus.DRAFT:
        raise ValidationError(_("There is no draft to submit."))
    _check_session_started(report.session)
    if not consented_invitees(report.session).exists():
        raise ValidationError(_("No participant has given consent; there is nobody to approve."))
    version.submitted_at = timezone.now()
    version.save(update_fields=["submitted_at"])
    report.status = ReportStatus.PENDING
    report.save(update_fields=["status"])
    if notify:
        outbox.enqueue("dialogues.tasks.send_report_request", version.pk)
    return version


@transaction.atomic
def report_answer(
    *, invitee: Invitee, version_id: int, decision: str, comment: str = ""
) -> Approval:
    require_dialogue_consent(invitee)
    report = HarvestReport.objects.select_for_update().get(session_id=invitee.session_id)
    current = report.versions.order_by("-number").first()
    if report.status != ReportStatus.PENDING or current is None or current.pk != int(version_id):
        raise ValidationError(
            _("This version of the report is no longer open for approval; open the latest one.")
        )
    if not consented_invitees(invitee.session).filter(pk=invitee.pk).exists():
        raise ValidationError(_("Only participants who gave consent approve the report."))
    _check_session_started(invitee.session)
    comment = (comment or "").strip()
    if decision == Decision.CHANGE and not comment:
        raise ValidationError(_("Say which change you would like."))
    if Approval.objects.filter(version=current, invitee=invitee).exists():
        raise ValidationError(_("You have already answered this version."))
    approval = Approval(version=current, invitee=invitee, decision=decision, comment=comment)
    approval.full_clean()
    approval.save()
    if (
        not pending_invitees(current).exists()
        and not current.answers.filter(decision=Decision.CHANGE).exists()
    ):
        report.status = ReportStatus.FINAL
        report.save(update_fields=["status"])
    return approval


@transaction.atomic
def report_close(*, report: HarvestReport, reason: str) -> HarvestReport:
    report = HarvestReport.objects.select_for_update().get(pk=report.pk)
    reason = (reason or "").strip()
    if report.status != ReportStatus.PENDING:
        raise ValidationError(_("Only a report awaiting approval can be closed."))
    if report.deadline is None or report.deadline >= timezone.localdate():
        raise ValidationError(_("The report can only be closed after its deadline has passed."))
    if not reason:
        raise ValidationError(_("Give the reason for closing the report."))
    report.status = ReportStatus.CLOSED
    report.closed_reason = reason
    report.closed_at = timezone.now()
    report.full_clean()
    report.save()
    return report


def report_mail(*, invitee: Invitee, version: ReportVersion, reminder: bool) -> None:
    context = {
        "invitee": invitee,
        "session": invitee.session,
        "version": version,
        "reminder": reminder,
        "link": personal_url(invitee),
        "deadline": version.report.deadline,
    }
    if reminder:
        subject = _("Reminder: please answer the harvest report")
    else:
        subject = _("Harvest report for your approval")
    body = render_to_string("dialogues/email/report_request.txt", context)
    send_mail(subject, body, None, [invitee.email])


def report_request_deliver(*, version_id: int) -> int:
    version = ReportVersion.objects.select_related("report__session").get(pk=version_id)
    count = 0
    stops = collection_stops(ConsentKind.DIALOGUE)
    for invitee in pending_invitees(version).select_related("session", "user"):
        if stops.covers(
            user=invitee.user, email=invitee.email, trajectory_id=invitee.session.trajectory_id
        ):
            continue
        report_mail(invitee=invitee, version=version, reminder=False)
        count += 1
    return count


def report_reminders_send() -> int:
    """Remind every consented participant who has not answered a pending report."""
    count = 0
    stops = collection_stops(ConsentKind.DIALOGUE)
    reports = HarvestReport.objects.filter(status=ReportStatus.PENDING).select_related("session")
    for report in reports:
        version = report.versions.order_by("-number").first()
        if version is None:
            continue
        for invitee in pending_invitees(version).select_related("session", "user"):
            if stops.covers(
                user=invitee.user, email=invitee.email, trajectory_id=invitee.session.trajectory_id
            ):
                continue
            report_mail(invitee=invitee, version=version, reminder=True)
            count += 1
    return count


@transaction.atomic
def report_version_redact(*, version: ReportVersion, by) -> ReportVersion:
    """The researcher removes the text of a superseded version; the row and its answers stay."""
    version = (
        ReportVersion.objects.select_for_update()
        .select_related("report__session")
        .get(pk=version.pk)
    )
    current = version.report.versions.order_by("-number").first()
    if current is None or current.pk == version.pk:
        raise ValidationError(_("Only a superseded version can be redacted; edit the current one."))
    if version.redacted_at is not None:
        raise ValidationError(_("This version has already been redacted."))
    version.body = ""
    version.redacted_at = timezone.now()
    version.save(update_fields=["body", "redacted_at"])
    audit_record(
        by,
        AuditAction.REDACT,
        target=f"report-version:{version.pk}",
        detail={"number": version.number},
        trajectory=version.report.session.trajectory,
    )
    return version
