"""Research pages: consent registry, withdrawal, the pseudonym key and the audit log."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lobtraject.actions import perform
from trajectories.models import Membership

from . import access, selectors, services
from .forms import AliasForm, AuditFilterForm, ResearchConsentForm
from .models import OrganisationAlias


@login_required
@require_GET
def index(request):
    access.require_researcher(request.user)
    query = request.GET.get("q", "").strip()[:100]
    trajectories = (
        access.research_trajectories(request.user)
        .select_related("study", "organisation")
        .order_by("study__name", "organisation__name", "pk")
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
    form = ResearchConsentForm(
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
        },
    )


@login_required
@require_POST
def consent_add(request, pk):
    trajectory = access.research_trajectory(request.user, pk)
    members = selectors.consent_members(trajectory)
    form = ResearchConsentForm(request.POST, members=members)
    if not form.is_valid():
        for name, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[name].label}: {error}")
        return redirect("research:registry", pk=trajectory.pk)
    member = members.get(user_id=form.cleaned_data["user"])
    at = timezone.make_aware(datetime.combine(form.cleaned_data["agreed_on"], time(12)))
    perform(
        request,
        lambda: services.research_consent_record(
            user=member.user, trajectory=trajectory, recorded_by=request.user, at=at
        ),
        success=_("Consent recorded."),
    )
    return redirect("research:registry", pk=trajectory.pk)


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
