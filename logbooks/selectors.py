"""Reads of the logbooks app that more than one module needs."""

from __future__ import annotations

import re
from email.utils import getaddresses

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.actions import ActionSource, OpenAction
from accounts.models import NotificationKind
from trajectories import access
from trajectories.models import Membership, Phase, Role, Trajectory

from .models import WRITER_ROLES, EmailDataPoint, Entry, EntryStatus, ResearchNote

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
        if membership.user not in found and _names(membership.user, lowered):
            found.append(membership.user)
    return found


def _names(user, lowered: str) -> bool:
    """Whether the lower-cased, whitespace-normalised `lowered` names `user` in full."""
    names = {
        " ".join(part for part in (user.first_name, user.infix, user.last_name) if part),
        " ".join(part for part in (user.first_name, user.last_name) if part),
    }
    return any(
        " " in name and re.search(rf"(?<!\w){re.escape(name.lower())}(?!\w)", lowered)
        for name in names
    )


def notes_about(user, trajectory_ids=None) -> list[int]:
    """The research notes naming `user` (as `people_mentioned` finds them) in the
    trajectories where they have a role: data collected under their consent for notes."""
    if user is None or not user.pk:
        return []
    roles = Membership.objects.filter(user=user).exclude(role=Role.RESEARCHER)
    notes = ResearchNote.objects.filter(trajectory_id__in=roles.values("trajectory_id"))
    if trajectory_ids is not None:
        notes = notes.filter(trajectory_id__in=list(trajectory_ids))
    return [
        pk
        for pk, title, text in notes.values_list("pk", "title", "text").iterator(chunk_size=500)
        if _names(user, " ".join(f"{title} {text}".lower().split()))
    ]


def open_action_sources(user, *, today) -> list[ActionSource]:
    """This week's logbook, per trajectory in which `user` writes and has not yet submitted."""
    year, week, _day = today.isocalendar()
    # Someone who writes in no trajectory has none: no query (at 500x PostgreSQL
    # walked all 6,000 organisations by name looking for one).
    writes = bool(access.all_roles(user) & set(WRITER_ROLES))
    trajectories = (
        (Trajectory.objects if writes else Trajectory.objects.none())
        .filter(
            pk__in=Membership.objects.filter(user=user, role__in=WRITER_ROLES).values(
                "trajectory_id"
            ),
            phase__in=LOGBOOK_PHASES,
        )
        .exclude(
            Exists(
                Entry.objects.filter(
                    trajectory_id=OuterRef("pk"),
                    author=user,
                    iso_year=year,
                    iso_week=week,
                    status=EntryStatus.SUBMITTED,
                )
            )
        )
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )

    def to_action(trajectory) -> OpenAction:
        return OpenAction(
            kind=NotificationKind.WRITE_LOGBOOK,
            key=f"write_logbook:{trajectory.pk}:{year}-{week}",
            title=_("Write this week's logbook (week %(week)d)") % {"week": week},
            where=trajectory.organisation.name,
            url=reverse("logbooks:write", args=[trajectory.pk, year, week]),
        )

    return [
        ActionSource(
            slug="logboek",
            kind=NotificationKind.WRITE_LOGBOOK,
            label=_("Logbooks to write this week"),
            queryset=trajectories,
            to_action=to_action,
        )
    ]


def open_actions(user, *, today) -> list[OpenAction]:
    return [
        action for source in open_action_sources(user, today=today) for action in source.first()
    ]
