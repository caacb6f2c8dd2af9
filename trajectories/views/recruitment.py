"""Phase 1: recruitment contacts, the decision and the coach interview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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
    RecruitmentContact,
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
        try:
            services.recruitment_contact_add(contact=contact)
        except ValidationError as error:
            add_errors(form, error)
        else:
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


def _contact(request, pk, contact_pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.EDIT_TRAJECTORY)
    contact = get_object_or_404(RecruitmentContact, pk=contact_pk, trajectory=trajectory)
    return trajectory, contact


@login_required
def recruitment_contact_edit(request, pk, contact_pk):
    trajectory, contact = _contact(request, pk, contact_pk)
    form = RecruitmentContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.recruitment_contact_change(contact=form.save(commit=False))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The contact has been changed."))
            return redirect("trajectories:recruitment", pk=trajectory.pk)
    return render(
        request,
        "trajectories/recruitment_contact_form.html",
        {"trajectory": trajectory, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def recruitment_contact_delete(request, pk, contact_pk):
    trajectory, contact = _contact(request, pk, contact_pk)
    back = reverse("trajectories:recruitment", args=[trajectory.pk])
    if request.method == "POST":
        services.recruitment_contact_delete(contact=contact)
        messages.success(request, _("The contact has been deleted from the recruitment log."))
        return redirect(back)
    what = f"{date_format(contact.date, 'j F Y')}, {contact.get_kind_display()}: {contact.people}"
    return render(
        request,
        "includes/confirm_delete.html",
        {"title": _("Delete a contact"), "what": what, "cancel_url": back},
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
            "factors_locked": current is not None and services.factors_locked(current),
        },
    )


def _factor(request, pk, factor_pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.EDIT_TRAJECTORY)
    factor = get_object_or_404(
        DecisionFactor.objects.select_related("option", "decision__trajectory"),
        pk=factor_pk,
        decision__trajectory=trajectory,
    )
    return trajectory, factor


LOCKED_FACTOR = gettext_lazy(
    "The factors belong to the decision, and the trajectory has left recruitment. If the "
    "decision itself was wrong, the team coach takes the trajectory back to recruitment first."
)


@login_required
def decision_factor_edit(request, pk, factor_pk):
    trajectory, factor = _factor(request, pk, factor_pk)
    initial = {
        "category": factor.category,
        "is_helping": "1" if factor.is_helping else "0",
        "option": factor.option_id,
        "free_text": factor.free_text,
    }
    form = FactorForm(request.POST or None, initial=initial, prefix="factor")
    locked = services.factors_locked(factor.decision)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_factor_change(factor=factor, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The factor has been changed."))
            return redirect("trajectories:decision", pk=trajectory.pk)
    return render(
        request,
        "trajectories/factor_form.html",
        {
            "trajectory": trajectory,
            "factor": factor,
            "form": form,
            "locked_reason": LOCKED_FACTOR if locked else "",
        },
        status=400 if form.errors else 200,
    )


@login_required
def decision_factor_delete(request, pk, factor_pk):
    trajectory, factor = _factor(request, pk, factor_pk)
    back = reverse("trajectories:decision", args=[trajectory.pk])
    locked = services.factors_locked(factor.decision)
    if request.method == "POST" and not locked:
        services.decision_factor_delete(factor=factor)
        messages.success(request, _("The factor has been deleted."))
        return redirect(back)
    return render(
        request,
        "includes/confirm_delete.html",
        {
            "title": _("Delete a decision factor"),
            "what": f"{factor.get_category_display()}: {factor.label}",
            "cancel_url": back,
            "locked_reason": LOCKED_FACTOR if locked else "",
        },
        status=403 if request.method == "POST" and locked else 200,
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
        try:
            services.decision_factor_add(decision=current, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
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
