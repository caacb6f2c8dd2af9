"""Phase 1: recruitment contacts, the decision and the coach interview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lobtraject.actions import add_errors

from .. import access, services
from ..access import Capability
from ..forms import (
    CoachInterviewForm,
    ContactPersonForm,
    DecisionForm,
    FactorForm,
    RecruitmentContactForm,
)
from ..models import (
    CoachInterview,
    Decision,
    DecisionFactor,
)

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
