"""The manager dashboard, one trajectory's dashboard and the team coach /
researcher overview. Figures only; see `dashboards/selectors.py` for why."""

from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from lobtraject.paging import Paginator
from trajectories import access
from trajectories.access import Capability

from . import access as dashboard_access
from . import selectors as dashboards
from . import services as overview_rows

OVERVIEW_PAGE_SIZE = 50

# Column headers of the overview, in order: (sort key, label); every column sorts.
OVERVIEW_COLUMNS = [
    ("organisation", _("Organisation")),
    ("phase", _("Phase")),
    ("hours", _("Hours used")),
    ("half_days", _("Half-days held")),
    ("missing", _("Missing logbook weeks")),
    ("approvals", _("Pending approvals")),
    ("interviews", _("Interviews to plan")),
    ("action", _("Needs action")),
]


@login_required
@require_GET
def manager_dashboard(request):
    """Progress of the trajectories of the manager's own organisation(s)."""
    user = request.user
    if not dashboard_access.is_manager(user) and dashboard_access.may_see_overview(user):
        return redirect("dashboards:overview")
    dashboard_access.require_manager(user)
    items = dashboards.figures_for(dashboards.managed_trajectories(user))
    dashboards.add_charts(items)
    return render(request, "dashboards/manager.html", {"items": items})


@login_required
@require_GET
def trajectory_dashboard(request, pk):
    """What the manager sees of one trajectory; also for the team and the champions."""
    trajectory = access.get_trajectory(request.user, pk, Capability.VIEW_PROGRESS)
    items = dashboards.figures_for([trajectory])
    dashboards.add_charts(items)
    return render(
        request,
        "dashboards/trajectory.html",
        {"item": items[0], "trajectory": trajectory},
    )


def _sort_link(request, value: str) -> str:
    params = QueryDict(mutable=True)
    query = request.GET.get("q", "").strip()
    if query:
        params["q"] = query
    params["sort"] = value
    return "?" + params.urlencode()


@login_required
@require_GET
def overview(request):
    """All trajectories of a team coach or researcher side by side, sortable."""
    user = request.user
    dashboard_access.require_overview(user)
    key, descending = dashboards.parse_sort(request.GET.get("sort"))
    query = request.GET.get("q", "").strip()
    trajectories = dashboards.overview_trajectories(user)
    if query:
        trajectories = trajectories.filter(organisation__name__icontains=query)
    # What changed a moment ago shows in the order at once (a bounded number of rows).
    overview_rows.refresh_for_request()
    page = Paginator(
        dashboards.sorted_overview(trajectories, key, descending), OVERVIEW_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    page.object_list = dashboards.figures_for(page.object_list, goals=False)
    columns = []
    for column_key, label in OVERVIEW_COLUMNS:
        is_current = column_key == key
        # A first click sorts A to Z / low to high, except "needs action", whose
        # useful order is most first; a second click reverses.
        if is_current:
            next_value = column_key if descending else f"-{column_key}"
        else:
            next_value = f"-{column_key}" if column_key == "action" else column_key
        columns.append(
            {
                "key": column_key,
                "label": label,
                "href": _sort_link(request, next_value),
                "aria_sort": ("descending" if descending else "ascending") if is_current else "",
            }
        )
    current_sort = f"-{key}" if descending else key
    return render(
        request,
        "dashboards/overview.html",
        {
            "page": page,
            "columns": columns,
            "query": query,
            "sort": current_sort,
            "missing_window": dashboards.MISSING_WINDOW_WEEKS,
        },
    )
