from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from . import access
from .access import Capability


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
    trajectory = access.get_trajectory(request.user, pk, Capability.VIEW_TRAJECTORY)
    return render(
        request,
        "trajectories/trajectory_detail.html",
        {
            "trajectory": trajectory,
            "my_roles": sorted(access.roles_for(request.user, trajectory)),
            "can_edit": access.can(request.user, Capability.EDIT_TRAJECTORY, trajectory),
        },
    )
