"""Limits on guessing: a client address that gets too many refusals from one kind
of route is refused there for a while (429), and every refusal is logged.

Only misses count (an unknown session code, a personal link with a bad
signature or of nobody): a room full of phones behind a school's one address
opening the right code is never limited. While an address is blocked, the
route answers 429 before it looks anything up, so the block also stops the
guessing. The counters are django-ratelimit's, in the default cache (Redis in
production, see accounts/checks.py); the rates are settings.THROTTLE_RATES.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage

log = logging.getLogger("lobtraject.security")


def _usage(request, group: str, *, increment: bool):
    return get_usage(
        request, group=group, key="ip", rate=settings.THROTTLE_RATES[group], increment=increment
    )


def blocked(request, group: str) -> bool:
    usage = _usage(request, group, increment=False)
    return bool(usage) and usage["count"] >= usage["limit"]


def miss(request, group: str) -> None:
    """Count one refusal of `group` for this address; log when that blocks it."""
    usage = _usage(request, group, increment=True)
    if usage and usage["count"] == usage["limit"]:
        log.warning(
            "%s: address %s blocked after %s refusals within %s",
            group,
            request.META.get("REMOTE_ADDR", "?"),
            usage["count"],
            settings.THROTTLE_RATES[group],
        )


def refusal(request, group: str):
    log.warning("%s: refused address %s (blocked)", group, request.META.get("REMOTE_ADDR", "?"))
    return render(request, "throttled.html", status=429)
