"""Reads of the logbooks app that more than one module needs."""

from __future__ import annotations

from email.utils import getaddresses

from django.db.models import Q

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
