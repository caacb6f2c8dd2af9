"""Reads of the logbooks app that more than one module needs."""

from __future__ import annotations

import re
from email.utils import getaddresses

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.actions import PER_KIND, OpenAction
from accounts.models import NotificationKind
from trajectories.models import Membership, Phase, Role

from .models import WRITER_ROLES, EmailDataPoint, Entry, EntryStatus

# The phases in which champions, buddies and the coach keep the weekly logbook
# (the same as the reminders' ACTIVE_PHASES in services).
LOGBOOK_PHASES = (Phase.CUSTOM, Phase.CLOSING)


def sender_addresses(sender: str) -> set[str]:
    """The addresses in a From header, lower-cased: "Ans <ans@x.nl>" gives {"ans@x.nl"}."""
    return {address.strip().lower() for _name, address in getaddresses([sender]) if address}


def emails_sent_by(addresses) -> list[int]:
    """Ids of the e-mails sent from one of `addresses`, matched exactly.

    The database narrows by substring; the parsed From header decides, so
    persoon2@school.test is not xpersoon2@school.test.
    """
    wanted = {address.strip().lower() for address in addresses if address}
    if not wanted:
        return []
    candidates = Q(pk__in=[])
    for address in wanted:
        candidates |= Q(sender__icontains=address)
    return [
        pk
        for pk, sender in EmailDataPoint.objects.filter(candidates).values_list("pk", "sender")
        if sender_addresses(sender) & wanted
    ]


def people_mentioned(trajectory, text: str) -> list:
    """The trajectory's members named in `text` by their full name (or first and last name).

    A research note about a person is data about them: their consent decides.
    """
    lowered = " ".join((text or "").lower().split())
    if not lowered:
        return []
    found = []
    members = Membership.objects.filter(trajectory=trajectory).select_related("user")
    for membership in members.exclude(role=Role.RESEARCHER):
        user = membership.user
        names = {
            " ".join(part for part in (user.first_name, user.infix, user.last_name) if part),
            " ".join(part for part in (user.first_name, user.last_name) if part),
        }
        for name in names:
            name = name.lower()
            if " " in name and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", lowered):
                if user not in found:
                    found.append(user)
                break
    return found


def open_actions(user, *, today) -> list[OpenAction]:
    """This week's logbook, per trajectory in which `user` writes and has not yet submitted."""
    year, week, _day = today.isocalendar()
    memberships = (
        Membership.objects.filter(
            user=user, role__in=WRITER_ROLES, trajectory__phase__in=LOGBOOK_PHASES
        )
        .exclude(
            Exists(
                Entry.objects.filter(
                    trajectory_id=OuterRef("trajectory_id"),
                    author=user,
                    iso_year=year,
                    iso_week=week,
                    status=EntryStatus.SUBMITTED,
                )
            )
        )
        .select_related("trajectory__organisation")
        .order_by("trajectory__organisation__name")[:PER_KIND]
    )
    seen, actions = set(), []
    for membership in memberships:
        if membership.trajectory_id in seen:
            continue
        seen.add(membership.trajectory_id)
        actions.append(
            OpenAction(
                kind=NotificationKind.WRITE_LOGBOOK,
                key=f"write_logbook:{membership.trajectory_id}:{year}-{week}",
                title=_("Write this week's logbook (week %(week)d)") % {"week": week},
                where=membership.trajectory.organisation.name,
                url=reverse("logbooks:write", args=[membership.trajectory_id, year, week]),
            )
        )
    return actions
