"""The list of trajectories, a trajectory's page, its phase and its people."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lobtraject.actions import perform

from .. import access, selectors, services
from ..access import Capability
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
