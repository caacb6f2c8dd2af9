"""The main navigation: each item is shown to the roles that can use it.

Apps add their own entries to NAV_ITEMS; an item whose roles are None is for
every logged-in person.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from trajectories import access
from trajectories.access import CAPABILITIES, Capability


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    roles: frozenset[str] | None = None


NAV_ITEMS: list[NavItem] = [
    NavItem("home", _("Home")),
    NavItem("trajectories:list", _("Trajectories"), CAPABILITIES[Capability.VIEW_TRAJECTORY]),
    NavItem(
        "trajectories:calendar",
        _("Calendar"),
        CAPABILITIES[Capability.VIEW_PLAN] - {access.STAFF},
    ),
    NavItem(
        "dialogues:index",
        _("Dialogues"),
        CAPABILITIES[Capability.VIEW_TRAJECTORY] - {access.STAFF} | {"participant"},
    ),
    NavItem(
        "reports:list",
        _("Reports"),
        CAPABILITIES[Capability.READ_RESEARCH_DATA] | CAPABILITIES[Capability.VIEW_PROGRESS],
    ),
    NavItem(
        "logbooks:index",
        _("Logbook"),
        CAPABILITIES[Capability.WRITE_LOGBOOK] | CAPABILITIES[Capability.READ_RESEARCH_DATA],
    ),
    NavItem(
        "dashboards:manager",
        _("Dashboard"),
        frozenset({"manager", "coach", "researcher", access.STUDY_RESEARCHER}),
    ),
    NavItem("coding:index", _("Coding"), CAPABILITIES[Capability.READ_RESEARCH_DATA]),
    NavItem("research:index", _("Research"), CAPABILITIES[Capability.READ_RESEARCH_DATA]),
    NavItem("admin:index", _("Management site"), frozenset({access.STAFF})),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    roles = access.all_roles(user)
    items = []
    for item in NAV_ITEMS:
        if item.roles is not None and not roles & item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        current = request.path == url or (url != "/" and request.path.startswith(url))
        items.append({"url": url, "label": item.label, "current": current})
    return {"nav_items": items}
