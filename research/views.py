"""Research pages: consent registry, withdrawal, the pseudonym key and the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lobtraject.actions import perform
from lobtraject.paging import Paginator
from trajectories.models import Membership, Trajectory

from . import access, selectors, services
from . import consent as consent_reads
from .consent import TEXT_VERSIONS, current_text, shown_paragraphs
from .forms import AliasForm, AuditFilterForm, ConsentAnswerForm, PaperConsentForm
from .models import ConsentKind, ConsentVia, OrganisationAlias, Withdrawal


@login_required
@require_GET
def index(request):
    access.require_researcher(request.user)
    query = request.GET.get("q", "").strip()[:100]
    trajectories = (
        access.research_trajectories(request.user)
        .select_related("study", "organisation")
        .order_by("study_name", "organisation_name", "pk")  # one index (trajectory_list_order)
    )
    if query:
        trajectories = trajectories.filter(organisation__name__icontains=query)
    page = Paginator(trajectories, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "research/index.html",
        {"trajectories": page.object_list, "page": page, "query": query},
    )


@login_required
@require_GET
def registry(request, pk):
    trajectory = access.research_trajectory(request.user, pk)
    rows = selectors.consent_registry(trajectory)
    form = PaperConsentForm(
        members=selectors.consent_members(trajectory), initial={"agreed_on": timezone.localdate()}
    )
    return render(
        request,
        "research/registry.html",
        {
            "trajectory": trajectory,
            "rows": rows,
            "form": form,
            "withdrawals": selectors.trajectory_withdrawals(trajectory),
            "versions": TEXT_VERSIONS,
        },
    )


@login_required
@require_POST
def consent_add(request, pk):
    """A consent signed on paper: only with the upload of the signed form, audited."""
    trajectory = access.research_trajectory(request.user, pk)
    members = selectors.consent_members(trajectory)
    form = PaperConsentForm(request.POST, request.FILES, members=members)
    if not form.is_valid():
        for name, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[name].label}: {error}")
        return redirect("research:registry", pk=trajectory.pk)
    member = members.filter(user_id=form.cleaned_data["user"]).first()
    perform(
        request,
        lambda: services.consent_record_paper(
            trajectory=trajectory,
            kind=form.cleaned_data["kind"],
            user=member.user,
            recorded_by=request.user,
            signed_form=form.cleaned_data["signed_form"],
            agreed_on=form.cleaned_data["agreed_on"],
        ),
        success=_("The paper consent and its signed form are recorded."),
    )
    return redirect("research:registry", pk=trajectory.pk)


@login_required
@require_POST
def reopen(request, pk, withdrawal_pk):
    """Re-open participation after a withdrawal: the person may give consent again."""
    trajectory = access.research_trajectory(request.user, pk)
    withdrawal = get_object_or_404(Withdrawal, pk=withdrawal_pk, trajectory=trajectory)
    perform(
        request,
        lambda: services.participation_reopen(withdrawal=withdrawal, by=request.user),
        success=_("Participation re-opened: %(label)s can give consent again.")
        % {"label": withdrawal.pseudonym_label},
    )
    return redirect("research:registry", pk=trajectory.pk)


# --- the person's own consent page ---------------------------------------------------------


def _own_trajectory(user, pk):
    """A trajectory in which `user` has a role or was invited; 404 otherwise."""
    trajectory = get_object_or_404(Trajectory.objects.select_related("organisation"), pk=pk)
    if Membership.objects.filter(trajectory=trajectory, user=user).exists():
        return trajectory
    if any(p.user_id == user.pk for p in selectors.trajectory_participants(trajectory)):
        return trajectory
    raise Http404


def _kind_rows(user, trajectory):
    person = selectors.person_for(user=user)
    windows = selectors.windows_by_kind(person, trajectory=trajectory)
    withdrawn = selectors.kind_withdrawals(user=user, trajectory=trajectory)
    rows = []
    for kind, label in ConsentKind.choices:
        latest = consent_reads.latest_consent(trajectory=trajectory, kind=kind, user=user)
        text = current_text(kind)
        rows.append(
            {
                "kind": kind,
                "label": label,
                "consent": latest,
                "text": text,
                "paragraphs": shown_paragraphs(text),
                "outdated": bool(latest and latest.agreed and latest.text.version != text.version),
                "window": windows.get(kind),
                "withdrawal": withdrawn.get(kind),
            }
        )
    return rows


@login_required
@require_GET
def my_consent_index(request):
    """The menu's "Mijn toestemming": straight to the one trajectory, or a choice."""
    trajectories = selectors.own_trajectories(request.user)
    page = Paginator(trajectories, 25).get_page(request.GET.get("page"))
    if page.paginator.count == 1:
        return redirect("research:my_consent", pk=page.object_list[0].pk)
    return render(request, "research/my_consent_index.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def my_consent(request, pk):
    """Your own consent per kind of data collection: give it, see it, withdraw it."""
    trajectory = _own_trajectory(request.user, pk)
    if request.method == "POST":
        form = ConsentAnswerForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose whether you agree or not."))
            return redirect("research:my_consent", pk=trajectory.pk)
        kind = form.cleaned_data["kind"]
        agreed = form.cleaned_data["agreed"] == "yes"
        previous = consent_reads.latest_consent(trajectory=trajectory, kind=kind, user=request.user)
        if (
            not agreed
            and previous is not None
            and previous.agreed
            and not form.cleaned_data["confirmed"]
        ):
            # A "no" after a "yes" is a withdrawal: say what it does before doing it.
            person = selectors.person_for(user=request.user)
            return render(
                request,
                "research/my_withdraw_kind.html",
                {
                    "trajectory": trajectory,
                    "kind": kind,
                    "label": ConsentKind(kind).label,
                    "window": selectors.withdrawal_window(person, kind=kind, trajectory=trajectory),
                },
            )
        ok, answer = perform(
            request,
            lambda: services.consent_give(
                trajectory=trajectory,
                kind=kind,
                agreed=agreed,
                user=request.user,
                name=form.cleaned_data["name"],
                via=ConsentVia.APP,
            ),
        )
        if ok:
            _answer_message(request, answer, kind)
        return redirect(reverse("research:my_consent", args=[trajectory.pk]) + f"#{kind}")
    person = selectors.person_for(user=request.user)
    return render(
        request,
        "research/my_consent.html",
        {
            "trajectory": trajectory,
            "rows": _kind_rows(request.user, trajectory),
            "window": selectors.withdrawal_window(person),
            "agreed_any": consent_reads.has_agreed_any(user=request.user, trajectory=trajectory),
            "stopped": selectors.collection_stopped(user=request.user),
        },
    )


def _answer_message(request, answer, kind: str) -> None:
    noun = consent_reads.KIND_NOUNS[ConsentKind(kind)]
    withdrawal = answer.withdrawal
    if withdrawal is not None and withdrawal.within_window:
        messages.success(
            request,
            _(
                "Your consent for %(kind)s is withdrawn within the cooling-off period: everything "
                "you gave for it has been removed and destroyed. What you gave for the other "
                "parts stays as it was."
            )
            % {"kind": noun},
        )
    elif withdrawal is not None:
        messages.success(
            request,
            _(
                "Your consent for %(kind)s is withdrawn: nothing new of it is collected from you. "
                "What you gave until now stays in the research, protected as promised."
            )
            % {"kind": noun},
        )
    elif answer.consent.agreed:
        messages.success(
            request,
            _("Thank you, your consent has been recorded. A copy has been sent to your e-mail."),
        )
    else:
        messages.success(request, _("Thank you, your answer has been recorded."))


@login_required
@require_http_methods(["GET", "POST"])
def my_withdraw(request, pk):
    """Leave the whole research yourself: every kind, in every trajectory, at once."""
    trajectory = _own_trajectory(request.user, pk)
    if request.method == "POST":
        user = request.user
        ok, withdrawal = perform(
            request,
            lambda: services.consent_withdraw(user=user, requested_by=user, trajectory=trajectory),
        )
        if ok and withdrawal.within_window:
            # The account is gone with everything else: end the session with it.
            logout(request)
            return render(request, "research/withdrawn.html", {"withdrawal": withdrawal})
        if ok:
            messages.success(
                request,
                _(
                    "Your consent is withdrawn: nothing new is collected from you. What you "
                    "gave until now stays in the research, protected as promised."
                ),
            )
        return redirect("research:my_consent", pk=trajectory.pk)
    return render(
        request,
        "research/my_withdraw.html",
        {
            "trajectory": trajectory,
            "window": selectors.withdrawal_window(selectors.person_for(user=request.user)),
            "stopped": selectors.collection_stopped(user=request.user),
        },
    )


def _person_in(trajectory, reference: str):
    """(user, invitee) for "u<id>" or "i<id>", if that person belongs to `trajectory`."""
    kind, _sep, number = (reference or "").partition("-")
    if not number.isdigit():
        raise Http404
    if kind == "u":
        membership = (
            Membership.objects.filter(trajectory=trajectory, user_id=int(number))
            .select_related("user")
            .first()
        )
        if membership is None:
            raise Http404
        return membership.user, None
    participant = selectors.participant_in(trajectory, reference)
    if participant is None:
        raise Http404
    return None, participant


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, pk, person):
    trajectory = access.research_trajectory(request.user, pk)
    user, invitee = _person_in(trajectory, person)
    if request.method == "POST":
        ok, withdrawal = perform(
            request,
            lambda: services.consent_withdraw(
                user=user, invitee=invitee, requested_by=request.user, trajectory=trajectory
            ),
        )
        if ok:
            if withdrawal.within_window:
                messages.success(
                    request,
                    _("Consent withdrawn within the window: all data of %(label)s are deleted.")
                    % {"label": withdrawal.pseudonym_label},
                )
            else:
                messages.success(
                    request,
                    _("Consent withdrawn: no new data are collected from %(label)s.")
                    % {"label": withdrawal.pseudonym_label},
                )
        return redirect("research:registry", pk=trajectory.pk)
    found = selectors.person_for(user=user, invitee=invitee)
    window = selectors.withdrawal_window(found)
    stopped = selectors.collection_stopped(
        user=found.user, email=invitee.email if invitee else None
    )
    name = user.get_full_name() if user else invitee.name
    return render(
        request,
        "research/withdraw_confirm.html",
        {
            "trajectory": trajectory,
            "person": person,
            "name": name or (user.email if user else invitee.email),
            "window": window,
            "already": stopped,
        },
    )


@login_required
@require_GET
def key(request, pk):
    """The pseudonym key of one trajectory. Every viewing is written to the audit log."""
    trajectory = access.research_trajectory(request.user, pk)
    opened = services.key_open(trajectory=trajectory, by=request.user)
    organisation = trajectory.organisation
    return render(
        request,
        "research/key.html",
        {
            "trajectory": trajectory,
            "organisation": organisation,
            "code": opened.code,
            "people": opened.people,
            "locations": opened.locations,
            "aliases": OrganisationAlias.objects.filter(organisation=organisation),
            "alias_form": AliasForm(),
        },
    )


@login_required
@require_POST
def alias_add(request, pk):
    trajectory = access.research_trajectory(request.user, pk)
    form = AliasForm(request.POST)
    if form.is_valid():
        perform(
            request,
            lambda: services.organisation_alias_add(
                organisation=trajectory.organisation,
                alias=form.cleaned_data["alias"],
                by=request.user,
            ),
            success=_("Alias added: it is replaced in every export from now on."),
        )
    else:
        messages.error(request, _("Fill in the other name."))
    return redirect(reverse("research:key", args=[trajectory.pk]) + "#aliases")


@login_required
@require_POST
def alias_remove(request, pk, alias_pk):
    trajectory = access.research_trajectory(request.user, pk)
    alias = get_object_or_404(
        OrganisationAlias, pk=alias_pk, organisation_id=trajectory.organisation_id
    )
    perform(
        request,
        lambda: services.organisation_alias_remove(alias=alias, by=request.user),
        success=_("Alias removed."),
    )
    return redirect(reverse("research:key", args=[trajectory.pk]) + "#aliases")


@login_required
@require_GET
def audit_log(request):
    access.require_researcher(request.user)
    study_ids = set(access.research_trajectories(request.user).values_list("study_id", flat=True))
    actors = selectors.audit_actors(study_ids=study_ids)
    form = AuditFilterForm(request.GET or None, actors=actors)
    valid = form.is_valid()
    events = selectors.audit_events(
        study_ids=study_ids,
        action=form.cleaned_data["action"] if valid else "",
        actor_id=form.cleaned_data["actor"] if valid else None,
    )
    page = Paginator(events, 25).get_page(request.GET.get("page"))
    return render(request, "research/audit_log.html", {"page": page, "form": form})
