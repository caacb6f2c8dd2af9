import difflib

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lobtraject import throttle
from lobtraject.actions import perform
from lobtraject.paging import Paginator
from research.consent import current_text, shown_paragraphs
from research.models import ConsentKind, ConsentVia
from research.selectors import collection_stopped, person_for, withdrawal_window
from research.services import consent_give
from trajectories import access as trajectory_access

from . import selectors, services
from .access import (
    Need,
    allowed,
    check_trajectory,
    get_session,
    may,
    sees_drafts,
    summary_sessions,
)
from .forms import (
    AnswerForm,
    CloseForm,
    GroupForm,
    HarvestItemForm,
    HideForm,
    InvitationTextForm,
    InviteeForm,
    ReportForm,
    SessionForm,
)
from .models import (
    Approval,
    DialogueSession,
    HarvestItem,
    HarvestReport,
    Invitee,
)
from .tokens import TokenError, read_token


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _report_status(session) -> str:
    report = getattr(session, "report", None) if _has_report(session) else None
    return report.get_status_display() if report else _("No report yet")


def consent_window(invitee):
    """What a withdrawal would do now, from the person's real last contribution: of the
    dialogue in this trajectory for someone with an account (their other kinds stay),
    of anything for someone known only by the invitation (who then leaves the research)."""
    person = person_for(invitee=invitee)
    if person.user is None:
        return withdrawal_window(person)
    return withdrawal_window(
        person, kind=ConsentKind.DIALOGUE, trajectory=invitee.session.trajectory_id
    )


def _has_report(session) -> bool:
    try:
        session.report  # noqa: B018
    except HarvestReport.DoesNotExist:
        return False
    return True


# --- team pages -----------------------------------------------------------------


@login_required
def session_index(request):
    """All sessions this person may see: per trajectory role, or as an invitee."""
    # EXISTS and a correlated count instead of a join, DISTINCT and GROUP BY: the
    # paginator's count is then a plain `SELECT id ... LIMIT n`, the invitees are
    # counted for the rows of the page only.
    invitees = Invitee.objects.filter(session=OuterRef("pk")).order_by()
    sessions = (
        DialogueSession.objects.filter(
            summary_sessions(request.user) | Exists(invitees.filter(user=request.user))
        )
        .select_related("report", "trajectory__organisation")
        .annotate(
            invitee_count=Coalesce(
                Subquery(
                    invitees.values("session").annotate(n=Count("pk")).values("n"),
                    output_field=IntegerField(),
                ),
                0,
            )
        )
        .order_by("-starts_at", "pk")
    )
    page = Paginator(sessions, 25).get_page(request.GET.get("page"))
    return render(
        request, "dialogues/session_index.html", {"sessions": page.object_list, "page": page}
    )


@login_required
def session_list(request, trajectory_pk):
    trajectory = trajectory_access.get_trajectory(request.user, trajectory_pk)
    check_trajectory(request.user, trajectory, Need.SUMMARY)
    sessions = (
        DialogueSession.objects.filter(trajectory=trajectory)
        .select_related("report")
        .annotate(invitee_count=Count("invitees", distinct=True))
    )
    return render(
        request,
        "dialogues/session_list.html",
        {
            "trajectory": trajectory,
            "sessions": sessions,
            "can_create": may(request.user, Need.INVITE, trajectory),
        },
    )


@login_required
def session_create(request, trajectory_pk):
    trajectory = trajectory_access.get_trajectory(request.user, trajectory_pk)
    check_trajectory(request.user, trajectory, Need.INVITE)
    form = SessionForm(request.POST or None, trajectory=trajectory)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(trajectory=trajectory, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The dialogue session has been created."))
            return redirect("dialogues:detail", session.pk)
    return render(request, "dialogues/session_form.html", {"form": form, "trajectory": trajectory})


@login_required
def session_detail(request, pk):
    session = get_session(request.user, pk, Need.SUMMARY)
    user = request.user
    can_content = allowed(user, Need.CONTENT, session)
    can_invite = allowed(user, Need.INVITE, session)
    invitees = []
    can_facilitate = allowed(user, Need.FACILITATE, session)
    if can_invite or can_facilitate:
        # Who was invited and who consented is for the organisers, not for participants.
        invitees = list(
            session.invitees.annotate(
                consent_agreed=selectors.latest_consent_subquery(),
                send_count=Count("sends"),
            ).order_by("name")
        )
    report = session.report if _has_report(session) else None
    context = {
        "session": session,
        "participant_count": selectors.consented_invitees(session).count(),
        "invitee_count": session.invitees.count(),
        "report_status": _report_status(session),
        "report": report,
        "can_content": can_content,
        "can_invite": can_invite,
        "can_facilitate": can_facilitate,
        "show_invitees": can_invite or can_facilitate,
        # Champions see how many agreed, not who refused: per person only for the facilitators.
        "show_consent": can_facilitate,
        "can_write": allowed(user, Need.WRITE_REPORT, session),
        "invitees": invitees,
        "invitee_form": InviteeForm(),
    }
    if can_content:
        context["items"] = selectors.visible_items(session)
        if can_facilitate:
            context["hidden_items"] = session.harvest_items.filter(
                hidden_at__isnull=False
            ).select_related("hidden_by")
        if report:
            context["versions"] = selectors.report_responses(
                report, drafts=sees_drafts(user, session)
            )
            context["can_redact"] = context["can_write"]
    return render(request, "dialogues/session_detail.html", context)


@login_required
def session_status_json(request, pk):
    """Counts and status only: what every role that may see the session may know."""
    session = get_session(request.user, pk, Need.SUMMARY)
    return JsonResponse(
        {
            "session": session.pk,
            "date": session.starts_at.isoformat(),
            "participants": selectors.consented_invitees(session).count(),
            "report_status": session.report.status if _has_report(session) else None,
        }
    )


@login_required
@require_POST
def invitee_add(request, pk):
    session = get_session(request.user, pk, Need.INVITE)
    form = InviteeForm(request.POST)
    if form.is_valid():
        try:
            services.invitee_add(session=session, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("The invitee has been added."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("dialogues:detail", session.pk)


@login_required
def invitation_preview(request, pk):
    session = get_session(request.user, pk, Need.INVITE)
    subject, body = selectors.invitation_render(session)
    return render(
        request,
        "dialogues/invitation_preview.html",
        {
            "session": session,
            "subject": subject,
            # The body is a plain-text e-mail (rendered with autoescape off, so marked
            # safe); as a plain str the page escapes it, the champion's own words too.
            "body": str.__str__(body),
            "can_review": allowed(request.user, Need.FACILITATE, session),
        },
    )


@login_required
def invitation_text(request, pk):
    """The champion (or coach) writes the invitation's opening and signature."""
    session = get_session(request.user, pk, Need.INVITE)
    form = InvitationTextForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in InvitationTextForm.Meta.fields}
        services.invitation_text_save(
            session=session, ask_review=form.cleaned_data["ask_review"], **data
        )
        messages.success(request, _("The invitation text has been saved."))
        return redirect("dialogues:invitation_preview", session.pk)
    return render(request, "dialogues/invitation_text.html", {"session": session, "form": form})


@login_required
@require_POST
def invitation_approve(request, pk):
    session = get_session(request.user, pk, Need.FACILITATE)
    perform(
        request,
        lambda: services.invitation_approve(session=session, by=request.user),
        success=_("You have looked at the invitation; it can be sent."),
    )
    return redirect("dialogues:invitation_preview", session.pk)


@login_required
@require_POST
def invitation_send(request, pk):
    session = get_session(request.user, pk, Need.INVITE)
    ok, count = perform(
        request, lambda: services.invitations_send(session=session, by=request.user)
    )
    if ok:
        messages.success(request, _("Invitations queued: %(count)d.") % {"count": count})
    return redirect("dialogues:detail", session.pk)


@login_required
@require_POST
def invitation_resend(request, pk, invitee_pk):
    session = get_session(request.user, pk, Need.INVITE)
    invitee = get_object_or_404(Invitee, pk=invitee_pk, session=session)
    perform(
        request,
        lambda: services.invitations_send(
            session=session, by=request.user, invitee_ids=[invitee.pk]
        ),
        success=_("The invitation is sent again to %(name)s.") % {"name": invitee.name},
    )
    return redirect("dialogues:detail", session.pk)


@login_required
def harvest_board(request, pk):
    session = get_session(request.user, pk, Need.FACILITATE)
    short_url = request.build_absolute_uri(reverse("dialogues:short", args=[session.code]))
    qr = segno.make(short_url, error="m")
    svg = qr.svg_inline(scale=5, title=_("QR code to the harvest of this session"))
    return render(
        request,
        "dialogues/harvest_board.html",
        {
            "session": session,
            "short_url": short_url,
            "qr_svg": mark_safe(svg),  # generated by segno from our own URL, no user input
            "items": selectors.visible_items(session),
        },
    )


@login_required
def harvest_items(request, pk):
    """The live list on the facilitator's screen (htmx polls this every 2 s)."""
    session = get_session(request.user, pk, Need.CONTENT)
    return render(
        request,
        "dialogues/_harvest_items.html",
        {"session": session, "items": selectors.visible_items(session)},
    )


@login_required
def harvest_json(request, pk):
    session = get_session(request.user, pk, Need.CONTENT)
    items = [
        {"id": item.pk, "text": item.text, "goal": item.goal, "group": item.group}
        for item in selectors.visible_items(session)
    ]
    return JsonResponse({"session": session.pk, "items": items})


@login_required
def harvest_groups(request, pk):
    session = get_session(request.user, pk, Need.FACILITATE)
    if request.method == "POST":
        item_id = request.POST.get("item", "")
        # A tampered id is a missing item, not a server error.
        item_id = int(item_id) if item_id.isascii() and item_id.isdigit() else None
        item = get_object_or_404(HarvestItem, pk=item_id, session=session)
        form = GroupForm(request.POST)
        if form.is_valid():
            services.harvest_item_group(item=item, group=form.cleaned_data["group"])
            messages.success(request, _("The group has been saved."))
        return redirect("dialogues:groups", session.pk)
    items = selectors.visible_items(session).order_by("group", "created_at")
    return render(request, "dialogues/harvest_groups.html", {"session": session, "items": items})


@login_required
def harvest_item_hide(request, pk, item_pk):
    """Hide a duplicate or stray item, with a reason its author reads."""
    session = get_session(request.user, pk, Need.FACILITATE)
    item = get_object_or_404(HarvestItem, pk=item_pk, session=session)
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.harvest_item_hide(item=item, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The item is hidden. Its author sees why."))
        return redirect("dialogues:detail", session.pk)
    return render(
        request,
        "dialogues/harvest_item_hide.html",
        {"session": session, "item": item, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def harvest_item_unhide(request, pk, item_pk):
    session = get_session(request.user, pk, Need.FACILITATE)
    item = get_object_or_404(HarvestItem, pk=item_pk, session=session)
    services.harvest_item_unhide(item=item)
    messages.success(request, _("The item is shown again."))
    return redirect("dialogues:detail", session.pk)


@login_required
@require_POST
def harvest_close(request, pk):
    session = get_session(request.user, pk, Need.FACILITATE)
    services.harvest_close(session=session)
    messages.success(request, _("The harvest is closed."))
    return redirect("dialogues:detail", session.pk)


@login_required
def report_edit(request, pk):
    session = get_session(request.user, pk, Need.WRITE_REPORT)
    report = session.report if _has_report(session) else None
    current = report.current_version() if report else None
    initial = {
        "body": current.body if current else "",
        "deadline": report.deadline if report else None,
        "reply": current.reply if current and not current.submitted_at else "",
    }
    # The change requests the next version answers: those on the last submitted one.
    answered = (
        report.versions.filter(submitted_at__isnull=False).order_by("-number").first()
        if report
        else None
    )
    change_requests = (
        list(answered.answers.filter(decision="change").select_related("invitee"))
        if answered
        else []
    )
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_save_draft(session=session, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The draft has been saved."))
            return redirect("dialogues:detail", session.pk)
    return render(
        request,
        "dialogues/report_form.html",
        {
            "session": session,
            "form": form,
            "items": selectors.visible_items(session).order_by("group", "id"),
            "current": current,
            "change_requests": change_requests,
        },
    )


@login_required
@require_POST
def report_submit(request, pk):
    session = get_session(request.user, pk, Need.WRITE_REPORT)
    report = get_object_or_404(HarvestReport, session=session)
    try:
        services.report_submit(report=report)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("The report has been submitted to the participants."))
    return redirect("dialogues:detail", session.pk)


@login_required
@require_POST
def report_close(request, pk):
    session = get_session(request.user, pk, Need.WRITE_REPORT)
    report = get_object_or_404(HarvestReport, session=session)
    form = CloseForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the reason for closing the report."))
        services.report_close(report=report, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("The report has been closed."))
    return redirect("dialogues:detail", session.pk)


@login_required
@require_POST
def report_version_redact(request, pk, number):
    session = get_session(request.user, pk, Need.WRITE_REPORT)
    report = get_object_or_404(HarvestReport, session=session)
    version = get_object_or_404(report.versions, number=number)
    try:
        services.report_version_redact(version=version, by=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request,
            _("The text of version %(number)d has been removed.") % {"number": version.number},
        )
    return redirect("dialogues:detail", session.pk)


@login_required
def report_compare(request, pk):
    session = get_session(request.user, pk, Need.CONTENT)
    report = get_object_or_404(HarvestReport, session=session)
    visible = selectors.visible_versions(report, drafts=sees_drafts(request.user, session))
    versions = {v.number: v for v in visible}
    if not versions:
        raise Http404
    try:
        old = versions[int(request.GET.get("a", 1))]
        new = versions[int(request.GET.get("b", max(versions)))]
    except (KeyError, ValueError) as error:
        raise Http404 from error
    lines = []
    for line in difflib.ndiff(old.body.splitlines(), new.body.splitlines()):
        kind = {"+": "added", "-": "removed", "?": None}.get(line[:1], "same")
        if kind:
            lines.append((kind, line[2:]))
    return render(
        request,
        "dialogues/report_compare.html",
        {"session": session, "old": old, "new": new, "lines": lines},
    )


# --- participants' pages (personal link, no account needed) ----------------------

SESSION_KEY = "dialogue_invitees"


def _invitee_from_token(request, token):
    if throttle.blocked(request, "personal-link"):
        return None, throttle.refusal(request, "personal-link")
    try:
        data = read_token(token)
    except TokenError as error:
        throttle.miss(request, "personal-link")
        message = (
            _("This personal link has expired. Ask the team coach for a new invitation.")
            if error.expired
            else _("This personal link is not valid. Check that you copied the whole link.")
        )
        return None, render(
            request, "dialogues/link_refused.html", {"message": message}, status=403
        )
    invitee = (
        Invitee.objects.select_related("session__trajectory__organisation", "session__researcher")
        .filter(pk=data.get("i"), session_id=data.get("s"))
        .first()
    )
    if invitee is None:
        throttle.miss(request, "personal-link")
        message = _("This personal link is not valid. Check that you copied the whole link.")
        return None, render(
            request, "dialogues/link_refused.html", {"message": message}, status=403
        )
    remembered = request.session.get(SESSION_KEY, {})
    remembered[invitee.session.code] = token
    request.session[SESSION_KEY] = remembered
    return invitee, None


def _personal_context(invitee, **extra):
    session = invitee.session
    report = session.report if _has_report(session) else None
    version = report.versions.filter(submitted_at__isnull=False).first() if report else None
    latest = selectors.invitee_consent(invitee)
    reads = selectors.consented_invitees(session).filter(pk=invitee.pk).exists()
    if not reads:
        # Who has not agreed (or manages the organisation) reads no report text.
        version = None
    answer = None
    if version is not None:
        answer = version.answers.filter(invitee=invitee).first()
    consent_text = current_text(ConsentKind.DIALOGUE)
    # What became of this person's change requests: the version that followed and its reply.
    my_requests = []
    if report is not None and reads:
        versions = {v.number: v for v in report.versions.filter(submitted_at__isnull=False)}
        for request_answer in (
            Approval.objects.filter(invitee=invitee, version__report=report, decision="change")
            .select_related("version")
            .order_by("version__number")
        ):
            request_answer.next_version = versions.get(request_answer.version.number + 1)
            my_requests.append(request_answer)
    context = {
        "my_requests": my_requests,
        "invitee": invitee,
        "session": session,
        "consent": latest,
        "consent_text": consent_text,
        "consent_paragraphs": shown_paragraphs(consent_text),
        "window": consent_window(invitee),
        "stopped": collection_stopped(
            user=invitee.user,
            email=invitee.email,
            kind=ConsentKind.DIALOGUE,
            trajectory=session.trajectory_id,
        ),
        "report": report,
        "version": version,
        "answer": answer,
        "my_items": invitee.harvest_items.select_related("session"),
        "item_form": HarvestItemForm(),
        "answer_form": AnswerForm(initial={"version": version.pk if version else None}),
    }
    context.update(extra)
    return context


def personal(request, token):
    invitee, refused = _invitee_from_token(request, token)
    if refused:
        return refused
    return render(request, "dialogues/personal.html", _personal_context(invitee, token=token))


@require_POST
def personal_consent(request, token):
    invitee, refused = _invitee_from_token(request, token)
    if refused:
        return refused
    choice = request.POST.get("agreed")
    if choice not in ("yes", "no"):
        messages.error(request, _("Choose whether you agree or not."))
        return redirect("dialogues:personal", token)
    try:
        answer = consent_give(
            trajectory=invitee.session.trajectory,
            kind=ConsentKind.DIALOGUE,
            agreed=choice == "yes",
            invitee=invitee,
            name=request.POST.get("name", ""),
            via=ConsentVia.LINK,
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("dialogues:personal", token)
    if answer.withdrawal is not None and answer.withdrawal.within_window:
        if answer.withdrawal.kind:
            # Someone with an account: only the dialogue goes, their other consents stay.
            message = _(
                "Your consent for the dialogue is withdrawn and everything you gave in it has "
                "been deleted. This personal link no longer works. Your consent for other parts "
                "of the research stays as it was. Thank you for letting us know."
            )
        else:
            message = _(
                "Your consent is withdrawn and everything you gave has been deleted. "
                "This personal link no longer works. Thank you for letting us know."
            )
        return render(request, "dialogues/link_refused.html", {"message": message})
    if answer.withdrawal is not None and answer.withdrawal.kind:
        messages.success(
            request,
            _(
                "Your consent for the dialogue is withdrawn: nothing new of it is collected from "
                "you. What you gave until now stays in the research, protected as promised."
            ),
        )
    elif answer.withdrawal is not None:
        messages.success(
            request,
            _(
                "Your consent is withdrawn: nothing new is collected from you. What you gave "
                "until now stays in the research, protected as promised."
            ),
        )
    elif answer.consent.agreed:
        messages.success(
            request,
            _("Thank you, your consent has been recorded. A copy has been sent to your e-mail."),
        )
    else:
        messages.success(request, _("Thank you, your answer has been recorded."))
    return redirect("dialogues:personal", token)


@require_POST
def personal_item(request, token):
    invitee, refused = _invitee_from_token(request, token)
    if refused:
        return refused
    form = HarvestItemForm(request.POST)
    if form.is_valid():
        try:
            services.harvest_item_add(invitee=invitee, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("text", error)
        else:
            messages.success(request, _("Your item has been added to the harvest."))
            return redirect("dialogues:personal", token)
    context = _personal_context(invitee, token=token, item_form=form)
    return render(request, "dialogues/personal.html", context, status=400)


@require_POST
def personal_answer(request, token):
    invitee, refused = _invitee_from_token(request, token)
    if refused:
        return refused
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.report_answer(
                invitee=invitee,
                version_id=form.cleaned_data["version"],
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you, your answer has been recorded."))
            return redirect("dialogues:personal", token)
    context = _personal_context(invitee, token=token, answer_form=form)
    return render(request, "dialogues/personal.html", context, status=400)


def _own_item(request, token, item_pk):
    invitee, refused = _invitee_from_token(request, token)
    if refused:
        return None, None, refused
    item = invitee.harvest_items.filter(pk=item_pk).first()
    if item is None:
        raise Http404
    return invitee, item, None


LOCKED_ITEM = gettext_lazy(
    "The harvest of this session is closed, so your items can no longer be changed. "
    "If something is wrong, tell the team coach."
)


def personal_item_edit(request, token, item_pk):
    """The participant corrects their own harvest item while the harvest is open."""
    invitee, item, refused = _own_item(request, token, item_pk)
    if refused:
        return refused
    form = HarvestItemForm(request.POST or None, initial={"text": item.text, "goal": item.goal})
    if request.method == "POST" and form.is_valid():
        try:
            services.harvest_item_change(invitee=invitee, item=item, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("text", error)
        else:
            messages.success(request, _("Your item has been changed."))
            return redirect("dialogues:personal", token)
    return render(
        request,
        "dialogues/personal_item_form.html",
        {
            "invitee": invitee,
            "session": invitee.session,
            "item": item,
            "form": form,
            "token": token,
            "locked_reason": "" if invitee.session.harvest_open else LOCKED_ITEM,
        },
        status=400 if form.errors else 200,
    )


def personal_item_delete(request, token, item_pk):
    invitee, item, refused = _own_item(request, token, item_pk)
    if refused:
        return refused
    back = reverse("dialogues:personal", args=[token])
    locked = "" if invitee.session.harvest_open else LOCKED_ITEM
    if request.method == "POST" and not locked:
        services.harvest_item_delete(invitee=invitee, item=item)
        messages.success(request, _("Your item has been deleted."))
        return redirect(back)
    return render(
        request,
        "includes/confirm_delete.html",
        {
            "title": _("Delete your harvest item"),
            "what": item.text,
            "cancel_url": back,
            "locked_reason": locked,
        },
        status=403 if request.method == "POST" and locked else 200,
    )


def short(request, code):
    """The short URL / QR code: continues with the personal link opened on this device."""
    if throttle.blocked(request, "short-code"):
        return throttle.refusal(request, "short-code")
    session = DialogueSession.objects.filter(code=code.upper()).first()
    if session is None:
        throttle.miss(request, "short-code")
        raise Http404
    token = request.session.get(SESSION_KEY, {}).get(session.code)
    if token:
        return redirect("dialogues:personal", token)
    return render(request, "dialogues/short.html", {"session": session})
