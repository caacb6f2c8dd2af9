"""Reads of the logbooks app that more than one module needs."""

from __future__ import annotations

import re
from email.utils import getaddresses

from django.db.models import Q

from trajectories.models import Membership, Role

from .models import EmailDataPoint


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
