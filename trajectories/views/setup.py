"""Setting up in the browser: studies and their teams, organisations and trajectories,
and the people who take part."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lobtraject.actions import perform, perform_on_form

from .. import access, selectors, services
from ..access import Capability
from ..forms import OrganisationForm, PersonForm, StudyForm, StudyMemberForm, TrajectoryOpenForm
from ..models import Membership, Role, Study, StudyMembership

# --- studies (the application administrator) ---------------------------------


@login_required
def study_list(request):
    access.require_staff(request.user)
    page = Paginator(Study.objects.order_by("name"), 25).get_page(request.GET.get("page"))
    form = StudyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = {}
        if perform_on_form(
            request,
            form,
            lambda: result.setdefault("study", services.study_create(**form.cleaned_data)),
            success=_("The study has been created. Now add its research team."),
        ):
            return redirect("trajectories:study", study_pk=result["study"].pk)
    return render(request, "trajectories/study_list.html", {"page": page, "form": form})


def _study(request, study_pk):
    access.require_staff(request.user)
    return access.object_or_404(Study.objects.all(), study_pk)


@login_required
def study_detail(request, study_pk):
    study = _study(request, study_pk)
    form = StudyMemberForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and perform_on_form(
            request,
            form,
            lambda: services.study_member_add(study=study, by=request.user, **form.cleaned_data),
            success=_("The person has been added to the team and gets an e-mail."),
        )
    ):
        return redirect("trajectories:study", study_pk=study.pk)
    return render(
        request,
        "trajectories/study_detail.html",
        {
            "study": study,
            "form": form,
            "members": study.memberships.select_related("user").order_by("role", "user__last_name"),
            "trajectories": study.trajectories.select_related("organisation").order_by(
                "organisation__name"
            ),
        },
    )


@login_required
@require_POST
def study_member_remove(request, study_pk, member_pk):
    study = _study(request, study_pk)
    member = access.object_or_404(StudyMembership.objects.filter(study=study), member_pk)
    services.study_member_remove(member=member)
    messages.success(request, _("The person has been removed from the team."))
    return redirect("trajectories:study", study_pk=study.pk)


# --- organisations and trajectories (team coach and administrator) ------------


@login_required
def trajectory_open(request):
    access.require_setup(request.user)
    studies = access.setup_studies(request.user).order_by("name")
    form = TrajectoryOpenForm(request.POST or None, studies=studies)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        result = {}
        if perform_on_form(
            request,
            form,
            lambda: result.setdefault(
                "trajectory", services.trajectory_open(by=request.user, **data)
            ),
            success=_("The organisation is registered and its trajectory is open in phase 1."),
        ):
            return redirect("trajectories:detail", pk=result["trajectory"].pk)
    return render(request, "trajectories/trajectory_open.html", {"form": form, "studies": studies})


@login_required
def organisation_edit(request, pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.EDIT_TRAJECTORY)
    organisation = trajectory.organisation
    initial = {
        "name": organisation.name,
        "short_name": organisation.short_name,
        "kind": organisation.kind,
        "sector": organisation.sector,
    }
    form = OrganisationForm(request.POST or None, initial=initial, exclude_pk=organisation.pk)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["new_locations"] = data.pop("locations")
        if perform_on_form(
            request,
            form,
            lambda: services.organisation_update(trajectory=trajectory, by=request.user, **data),
            success=_("The organisation has been saved."),
        ):
            return redirect("trajectories:detail", pk=trajectory.pk)
    return render(
        request,
        "trajectories/organisation_form.html",
        {"trajectory": trajectory, "form": form, "locations": organisation.locations.all()},
    )


# --- people ---------------------------------------------------------------------


@login_required
def people(request, pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.MANAGE_PEOPLE)
    roles = access.addable_roles(request.user, trajectory)
    form = PersonForm(request.POST or None, roles=roles)
    if (
        request.method == "POST"
        and form.is_valid()
        and perform_on_form(
            request,
            form,
            lambda: services.person_assign(
                trajectory=trajectory, by=request.user, **form.cleaned_data
            ),
            success=_("The person has been added to the trajectory and gets an e-mail."),
        )
    ):
        return redirect("trajectories:people", pk=trajectory.pk)
    members = selectors.people_of(trajectory)
    for membership in members:
        membership.can_manage = membership.role in roles and membership.user_id != request.user.pk
        membership.awaits_password = not membership.user.has_usable_password()
    return render(
        request,
        "trajectories/people.html",
        {
            "trajectory": trajectory,
            "form": form,
            "people": members,
            "removed": [e for e in selectors.removed_people(trajectory) if e.role in roles],
            "only_participants": roles == [Role.PARTICIPANT],
        },
    )


def _membership(request, pk, membership_pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.MANAGE_PEOPLE)
    membership = access.object_or_404(
        Membership.objects.filter(trajectory=trajectory).select_related("user", "trajectory"),
        membership_pk,
    )
    if membership.role not in access.addable_roles(request.user, trajectory):
        raise PermissionDenied
    return trajectory, membership


@login_required
def person_remove(request, pk, membership_pk):
    """GET asks for confirmation; POST removes the role (the data stay)."""
    trajectory, membership = _membership(request, pk, membership_pk)
    if request.method == "POST":
        ok, _result = perform(
            request,
            lambda: services.person_remove(membership=membership, by=request.user),
            success=_("%(name)s has been removed from the trajectory.")
            % {"name": membership.user.get_full_name() or membership.user.email},
        )
        return redirect("trajectories:people", pk=trajectory.pk)
    return render(
        request,
        "trajectories/person_remove.html",
        {"trajectory": trajectory, "membership": membership},
    )


@login_required
@require_POST
def person_readd(request, pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.MANAGE_PEOPLE)
    try:
        user_id = int(request.POST.get("user", ""))
    except ValueError:
        user_id = 0
    perform(
        request,
        lambda: services.person_readd(
            trajectory=trajectory,
            user_id=user_id,
            role=request.POST.get("role", ""),
            by=request.user,
        ),
        success=_("The person has been added again and gets an e-mail."),
    )
    return redirect("trajectories:people", pk=trajectory.pk)


@login_required
@require_POST
def invitation_resend(request, pk, membership_pk):
    trajectory, membership = _membership(request, pk, membership_pk)
    perform(
        request,
        lambda: services.invitation_resend(membership=membership, by=request.user),
        success=_("The invitation is being sent again, with a new link."),
    )
    return redirect("trajectories:people", pk=trajectory.pk)
