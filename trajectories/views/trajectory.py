"""The list of trajectories, a trajectory's page, its phase and its people."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lobtraject.actions import perform_on_form
from lobtraject.paging import Paginator

from .. import access, selectors, services
from ..access import Capability
from ..forms import PhaseReasonForm
from ..models import (
    Decision,
    Phase,
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
    return render(
        request,
        "trajectories/trajectory_list.html",
        {
            "page": page,
            "query": query,
            "can_open": request.user.is_staff or access.setup_studies(request.user).exists(),
            "can_manage_studies": request.user.is_staff,
        },
    )


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
            "can_plan_half_days": access.can(user, Capability.PLAN_HALF_DAYS, trajectory),
            "can_manage_people": access.can(user, Capability.MANAGE_PEOPLE, trajectory),
            "can_view_plan": access.can(user, Capability.VIEW_PLAN, trajectory),
            "can_view_agreement": access.can(user, Capability.VIEW_START_AGREEMENT, trajectory),
            "next_step": selectors.next_step(trajectory),
            "next_phases": next_phases,
            "phases": selectors.phase_steps(trajectory),
            "can_step_back": access.can(user, Capability.STEP_BACK_PHASE, trajectory)
            and selectors.previous_phase(trajectory) is not None,
            "half_days": selectors.half_days(trajectory),
            "decision": Decision.objects.filter(trajectory=trajectory).first(),
            "agreement": selectors.current_agreement(trajectory),
            "history": selectors.history(trajectory) if can_edit else [],
            "people": selectors.champions_and_buddies(trajectory),
            "goal_tracks": (
                selectors.goal_progress(trajectory)
                if access.can(user, Capability.VIEW_PROGRESS, trajectory)
                else None
            ),
            "show_closing": trajectory.phase in selectors.CLOSING_OPEN_PHASES,
        },
    )


def _phase_options(trajectory) -> list[str]:
    candidates = [selectors.NEXT_PHASE.get(trajectory.phase)]
    if trajectory.phase == Phase.RECRUITMENT:
        candidates.append(Phase.DECLINED)
    return [phase for phase in candidates if phase]


@login_required
def trajectory_phase(request, pk):
    """Ask to confirm a phase change (GET ?naar=phase), then make it (POST).

    The page says what the change means, why it is not possible yet, and what
    is unusual about it; an unusual change needs a reason, kept in the history.
    """
    trajectory = access.get_trajectory(request.user, pk, Capability.EDIT_TRAJECTORY)
    to_phase = request.POST.get("to_phase") or request.GET.get("naar", "")
    if to_phase not in _phase_options(trajectory):
        if request.method == "POST":
            messages.error(request, _("This phase change is not possible from the current phase."))
        return redirect("trajectories:detail", pk=trajectory.pk)
    form = PhaseReasonForm(request.POST or None, initial={"to_phase": to_phase})
    if request.method == "POST" and form.is_valid():
        done = perform_on_form(
            request,
            form,
            lambda: services.trajectory_change_phase(
                trajectory=trajectory,
                to_phase=to_phase,
                by=request.user,
                reason=form.cleaned_data["reason"],
            ),
            success=_("The phase has been changed."),
        )
        if done:
            return redirect("trajectories:detail", pk=trajectory.pk)
    return render(
        request,
        "trajectories/phase_confirm.html",
        {
            "trajectory": trajectory,
            "form": form,
            "to_phase": Phase(to_phase),
            "meaning": selectors.PHASE_MEANING.get(to_phase, ""),
            "problems": selectors.transition_problems(trajectory, to_phase),
            "warnings": selectors.transition_warnings(trajectory, to_phase),
            "step_back": False,
        },
        status=400 if form.errors else 200,
    )


@login_required
def trajectory_step_back(request, pk):
    """The team coach takes the trajectory back one phase, with a reason."""
    trajectory = access.get_trajectory(request.user, pk, Capability.STEP_BACK_PHASE)
    to_phase = selectors.previous_phase(trajectory)
    form = PhaseReasonForm(request.POST or None, initial={"to_phase": to_phase or ""})
    if request.method == "POST" and form.is_valid():
        done = perform_on_form(
            request,
            form,
            lambda: services.trajectory_step_back(
                trajectory=trajectory, by=request.user, reason=form.cleaned_data["reason"]
            ),
            success=_("The trajectory is back in the previous phase."),
        )
        if done:
            return redirect("trajectories:detail", pk=trajectory.pk)
    return render(
        request,
        "trajectories/phase_confirm.html",
        {
            "trajectory": trajectory,
            "form": form,
            "to_phase": Phase(to_phase) if to_phase else None,
            "meaning": _(
                "The trajectory goes back to the previous phase. Nothing that was recorded is "
                "deleted; the step back and its reason are kept in the phase history."
            ),
            "problems": []
            if to_phase
            else [_("Recruitment is the first phase; there is no step back.")],
            "warnings": [],
            "step_back": True,
        },
        status=400 if form.errors else 200,
    )
    return redirect("trajectories:detail", pk=trajectory.pk)
