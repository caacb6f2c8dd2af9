from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lobtraject.actions import add_errors, perform

from . import access, selectors, services
from .access import Capability
from .forms import (
    BudgetExtensionForm,
    CoachInterviewForm,
    ContactPersonForm,
    DecisionForm,
    FactorForm,
    HalfDayForm,
    HourEntryForm,
    OutcomesForm,
    PersonForm,
    RecruitmentContactForm,
    StartAgreementForm,
)
from .goals import Goal
from .models import (
    CalendarFeed,
    CoachInterview,
    Decision,
    DecisionFactor,
    Duty,
    HalfDay,
    Phase,
    SignatureParty,
)


@login_required
def trajectory_list(request):
    query = request.GET.get("q", "").strip()
    trajectories = access.visible_trajectories(request.user).order_by(
        "organisation__name", "study__name"
    )
    if query:
        trajectories = trajectories.filter(organisation__name__icontains=query)
    page = Paginator(trajectories, 25).get_page(request.GET.get("page"))
    return render(request, "trajectories/trajectory_list.html", {"page": page, "query": query})


@login_required
def trajectory_detail(request, pk):
    """The trajectory page: where it stands, the next step, the plan and actions per role."""
    trajectory = access.get_trajectory(request.user, pk, Capability.VIEW_TRAJECTORY)
    user = request.user
    can_edit = access.can(user, Capability.EDIT_TRAJECTORY, trajectory)
    next_phases = []
    if can_edit:
        candidates = [selectors.NEXT_PHASE.get(trajectory.phase)]
        if trajectory.phase == Phase.RECRUITMENT:
            candidates.append(Phase.DECLINED)
        for phase in filter(None, candidates):
            next_phases.append(
                {
                    "value": phase,
                    "label": Phase(phase).label,
                    "problems": selectors.transition_problems(trajectory, phase),
                }
            )
    return render(
        request,
        "trajectories/trajectory_detail.html",
        {
            "trajectory": trajectory,
            "my_roles": sorted(access.roles_for(user, trajectory)),
            "can_edit": can_edit,
            "can_edit_plan": access.can(user, Capability.EDIT_PLAN, trajectory),
            "can_view_plan": access.can(user, Capability.VIEW_PLAN, trajectory),
            "can_view_agreement": access.can(user, Capability.VIEW_START_AGREEMENT, trajectory),
            "next_step": selectors.next_step(trajectory),
            "next_phases": next_phases,
            "phases": selectors.phase_steps(trajectory),
            "half_days": selectors.half_days(trajectory),
            "decision": Decision.objects.filter(trajectory=trajectory).first(),
            "agreement": selectors.current_agreement(trajectory),
            "transitions": trajectory.transitions.select_related("by"),
            "people": selectors.champions_and_buddies(trajectory),
            "goal_tracks": (
                selectors.goal_progress(trajectory)
                if access.can(user, Capability.VIEW_PROGRESS, trajectory)
                else None
            ),
            "show_closing": trajectory.phase in selectors.CLOSING_OPEN_PHASES,
        },
    )


@login_required
@require_POST
def trajectory_phase(request, pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.EDIT_TRAJECTORY)
    to_phase = request.POST.get("to_phase", "")
    perform(
        request,
        lambda: services.trajectory_change_phase(
            trajectory=trajectory, to_phase=to_phase, by=request.user
        ),
        success=_("The phase has been changed."),
    )
    return redirect("trajectories:detail", pk=trajectory.pk)


# --- recruitment, decision, interview -------------------------------------------


@login_required
def recruitment(request, pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.EDIT_TRAJECTORY)
    is_person = request.method == "POST" and "person-name" in request.POST
    form = RecruitmentContactForm(
        request.POST if request.method == "POST" and not is_person else None
    )
    person_form = ContactPersonForm(request.POST if is_person else None, prefix="person")
    if is_person and person_form.is_valid():
        person = person_form.save(commit=False)
        person.organisation = trajectory.organisation
        services.contact_person_add(person=person)
        messages.success(request, _("The contact person has been added."))
        return redirect("trajectories:recruitment", pk=trajectory.pk)
    if request.method == "POST" and not is_person and form.is_valid():
        contact = form.save(commit=False)
        contact.trajectory = trajectory
        contact.created_by = request.user
        services.recruitment_contact_add(contact=contact)
        messages.success(request, _("The contact has been added to the recruitment log."))
        return redirect("trajectories:recruitment", pk=trajectory.pk)
    return render(
        request,
        "trajectories/recruitment.html",
        {
            "trajectory": trajectory,
            "form": form,
            "person_form": person_form,
            "contacts": trajectory.recruitment_contacts.all(),
            "organisation_contacts": trajectory.organisation.contacts.all(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def decision(request, pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.EDIT_TRAJECTORY)
    current = Decision.objects.filter(trajectory=trajectory).first()
    initial = (
        {"is_yes": "1" if current.is_yes else "0", "decided_on": current.decided_on}
        if (current)
        else {}
    )
    form = DecisionForm(request.POST or None, initial=initial, prefix="decision")
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(
                trajectory=trajectory,
                is_yes=form.cleaned_data["is_yes"],
                decided_on=form.cleaned_data["decided_on"],
                by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The decision has been saved."))
            return redirect("trajectories:decision", pk=trajectory.pk)
    factors = (
        DecisionFactor.objects.filter(decision=current).select_related("option")
        if current
        else DecisionFactor.objects.none()
    )
    return render(
        request,
        "trajectories/decision.html",
        {
            "trajectory": trajectory,
            "form": form,
            "decision": current,
            "factors": factors,
            "factor_form": FactorForm(prefix="factor"),
        },
    )


@login_required
@require_POST
def decision_factor_add(request, pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.EDIT_TRAJECTORY)
    current = Decision.objects.filter(trajectory=trajectory).first()
    if current is None:
        messages.error(request, _("Record the decision before adding factors."))
        return redirect("trajectories:decision", pk=trajectory.pk)
    form = FactorForm(request.POST, prefix="factor")
    if form.is_valid():
        services.decision_factor_add(decision=current, **form.cleaned_data)
        messages.success(request, _("The factor has been added."))
        return redirect("trajectories:decision", pk=trajectory.pk)
    return render(
        request,
        "trajectories/decision.html",
        {
            "trajectory": trajectory,
            "form": DecisionForm(prefix="decision"),
            "decision": current,
            "factors": current.factors.select_related("option"),
            "factor_form": form,
        },
        status=400,
    )


@login_required
def interview(request, pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.EDIT_PLAN)
    instance = CoachInterview.objects.filter(trajectory=trajectory).first() or CoachInterview(
        trajectory=trajectory
    )
    form = CoachInterviewForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The interview has been saved."))
        return redirect("trajectories:detail", pk=trajectory.pk)
    return render(request, "trajectories/interview.html", {"trajectory": trajectory, "form": form})


# --- start agreement --------------------------------------------------------------


@login_required
def agreement(request, pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.VIEW_START_AGREEMENT)
    current = selectors.current_agreement(trajectory)
    signatures = {s.party: s for s in current.signatures.all()} if current else {}
    signable = []
    if current and not current.is_locked:
        signable = [
            SignatureParty(party)
            for party in access.signable_parties(request.user, trajectory)
            if party not in signatures
        ]
    return render(
        request,
        "trajectories/agreement.html",
        {
            "trajectory": trajectory,
            "agreement": current,
            "signature_rows": [
                {"label": party.label, "signature": signatures.get(party.value)}
                for party in SignatureParty
            ],
            "duty_labels": [
                Duty(d).label for d in (current.duties if current else []) if d in Duty.values
            ],
            "goals": [goal.label for goal in Goal],
            "signable": signable,
            "can_edit": access.can(request.user, Capability.EDIT_PLAN, trajectory),
            "print": request.GET.get("afdruk") == "1",
        },
    )


@login_required
def agreement_edit(request, pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.EDIT_PLAN)
    current = selectors.current_agreement(trajectory)
    form = StartAgreementForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_save(
                trajectory=trajectory,
                **{name: form.cleaned_data[name] for name in StartAgreementForm.Meta.fields},
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The start agreement has been saved."))
            return redirect("trajectories:agreement", pk=trajectory.pk)
    return render(
        request,
        "trajectories/agreement_form.html",
        {"trajectory": trajectory, "form": form, "agreement": current},
    )


@login_required
@require_POST
def agreement_sign(request, pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.VIEW_START_AGREEMENT)
    party = request.POST.get("party", "")
    if party not in access.signable_parties(request.user, trajectory):
        raise PermissionDenied
    current = selectors.current_agreement(trajectory)
    if current is None:
        raise Http404
    perform(
        request,
        lambda: services.agreement_sign(agreement=current, party=party, user=request.user),
        success=_("You have signed the start agreement."),
    )
    return redirect("trajectories:agreement", pk=trajectory.pk)


# --- people -------------------------------------------------------------------------


@login_required
def people(request, pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.EDIT_PLAN)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.person_assign(trajectory=trajectory, **form.cleaned_data)
        messages.success(request, _("The person has been added to the trajectory."))
        return redirect("trajectories:people", pk=trajectory.pk)
    return render(
        request,
        "trajectories/people.html",
        {
            "trajectory": trajectory,
            "form": form,
            "people": selectors.champions_and_buddies(trajectory),
        },
    )


# --- planning -----------------------------------------------------------------------


@login_required
def plan(request, pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.VIEW_PLAN)
    return render(
        request,
        "trajectories/plan.html",
        {
            "trajectory": trajectory,
            "half_days": selectors.half_days(trajectory),
            "can_edit_plan": access.can(request.user, Capability.EDIT_PLAN, trajectory),
            "can_add_outcomes": access.can(
                request.user, Capability.ADD_LEARNING_OUTCOMES, trajectory
            ),
        },
    )


@login_required
def half_day_form(request, pk, half_day_pk=None):
    trajectory = access.get_trajectory(request.user, pk, Capability.EDIT_PLAN)
    instance = (
        get_object_or_404(HalfDay, pk=half_day_pk, trajectory=trajectory)
        if half_day_pk
        else HalfDay(trajectory=trajectory)
    )
    form = HalfDayForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.half_day_save(half_day=form.instance)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The half-day has been saved."))
            return redirect("trajectories:plan", pk=trajectory.pk)
    return render(
        request,
        "trajectories/half_day_form.html",
        {"trajectory": trajectory, "form": form, "half_day": instance},
        status=400 if form.errors else 200,
    )


@login_required
def half_day_outcomes(request, pk, half_day_pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.ADD_LEARNING_OUTCOMES)
    half_day = get_object_or_404(HalfDay, pk=half_day_pk, trajectory=trajectory)
    form = OutcomesForm(
        request.POST or None, initial={"learning_outcomes": half_day.learning_outcomes}
    )
    if request.method == "POST" and form.is_valid():
        services.half_day_add_outcomes(
            half_day=half_day, learning_outcomes=form.cleaned_data["learning_outcomes"]
        )
        messages.success(request, _("The learning outcomes have been saved."))
        return redirect("trajectories:plan", pk=trajectory.pk)
    return render(
        request,
        "trajectories/outcomes_form.html",
        {"trajectory": trajectory, "form": form, "half_day": half_day},
    )


@login_required
def calendar(request):
    """Timeline of the half-days across all trajectories the user plans or follows."""
    ids = access.calendar_trajectory_ids(request.user)
    months = selectors.calendar_months(ids, today=date.today())
    feed = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).first()
    feed_url = (
        request.build_absolute_uri(reverse("trajectories:feed", args=[feed.token]))
        if feed
        else None
    )
    return render(request, "trajectories/calendar.html", {"months": months, "feed_url": feed_url})


# --- hours --------------------------------------------------------------------------


@login_required
def hours(request, pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.EDIT_PLAN)
    form = HourEntryForm(request.POST or None, prefix="entry")
    extension_form = BudgetExtensionForm(prefix="extra")
    status = 200
    if request.method == "POST" and "extra-hours" in request.POST:
        form = HourEntryForm(prefix="entry")
        extension_form = BudgetExtensionForm(request.POST, prefix="extra")
        if extension_form.is_valid():
            try:
                services.budget_extend(
                    trajectory=trajectory, by=request.user, **extension_form.cleaned_data
                )
            except ValidationError as error:
                add_errors(extension_form, error)
            else:
                messages.success(request, _("The budget has been extended."))
                return redirect("trajectories:hours", pk=trajectory.pk)
        status = 400
    elif request.method == "POST":
        if form.is_valid():
            try:
                services.hours_log(trajectory=trajectory, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The hours have been logged."))
                return redirect("trajectories:hours", pk=trajectory.pk)
        status = 400
    return render(
        request,
        "trajectories/hours.html",
        {
            "trajectory": trajectory,
            "form": form,
            "extension_form": extension_form,
            "summary": selectors.hours_summary(trajectory),
            "entries": trajectory.hour_entries.select_related("user"),
            "extensions": trajectory.budget_extensions.select_related("added_by"),
        },
        status=status,
    )


# --- calendar feed ------------------------------------------------------------------


@login_required
@require_POST
def feed_create(request):
    services.feed_get_or_create(user=request.user)
    messages.success(request, _("Your private calendar link is ready."))
    return redirect("trajectories:calendar")


@login_required
@require_POST
def feed_revoke(request):
    services.feed_revoke(user=request.user)
    messages.success(request, _("Your calendar link no longer works."))
    return redirect("trajectories:calendar")


def feed(request, token):
    """The .ics feed; no login, the token is the key. Revoked or unknown → 404."""
    feed = (
        CalendarFeed.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if feed is None or not feed.user.is_active:
        raise Http404
    body = selectors.ics_for(feed.user, host=request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="lob-traject.ics"'
    return response
