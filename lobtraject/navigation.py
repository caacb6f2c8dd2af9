"""The main navigation: each item is shown to the roles that can use it.

Apps add their own entries to NAV_ITEMS; an item whose roles are None is for
every logged-in person. Items with a `group` are shown together in one menu
(a researcher would otherwise get ten items in a row), unless the person
sees only one item of the group.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from trajectories import access
from trajectories.access import CAPABILITIES, Capability
from trajectories.models import Role


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    roles: frozenset[str] | None = None
    group: str = ""


# The menus that hold grouped items, in the order they appear.
GROUPS = {"research": _("Research")}


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
        group="research",
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
    NavItem(
        "coding:index", _("Coding"), CAPABILITIES[Capability.READ_RESEARCH_DATA], group="research"
    ),
    NavItem(
        "research:index",
        _("Consent and key"),
        CAPABILITIES[Capability.READ_RESEARCH_DATA],
        group="research",
    ),
    # Everyone who holds a role in a trajectory gives (and withdraws) their own consent.
    NavItem("research:my_consent_index", _("My consent"), frozenset(Role.values), group="research"),
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
        items.append({"url": url, "label": item.label, "current": current, "group": item.group})
    return {"nav_items": _grouped(items)}


def _grouped(items: list[dict]) -> list[dict]:
    """Put the items of a group into one entry with `children`, where the group
    has more than one item for this person; the menu takes the first item's place."""
    counts: dict[str, int] = {}
    for item in items:
        if item["group"]:
            counts[item["group"]] = counts.get(item["group"], 0) + 1
    result, menus = [], {}
    for item in items:
        group = item["group"]
        if not group or counts[group] < 2:
            result.append(item)
            continue
        if group not in menus:
            menus[group] = {
                "label": GROUPS[group],
                "group": group,
                "children": [],
                "current": False,
            }
            result.append(menus[group])
        menus[group]["children"].append(item)
        menus[group]["current"] |= item["current"]
    return result
