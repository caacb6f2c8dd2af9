"""What the login lockout counts: one account however its address is typed,
and one client address over all accounts.

Login finds the account case-insensitively (`UserManager.get_by_natural_key`),
so django-axes must count failures against the account, not against the string
typed: otherwise `Sanne@school.test`, `sAnne@school.test`, ... each get their own
five tries (security review F4). `lockout_username` is axes' username callable
(settings.AXES_USERNAME_CALLABLE): the address of the account the login would
reach, in lower case, or the typed address normalised the same way.

Axes locks an account after AXES_FAILURE_LIMIT failures from any address. Many
teachers of one school share one public address, so that address gets a larger
budget of failures over all accounts (LOGIN_IP_FAILURE_RATE), counted in the
cache by django-ratelimit; the login view refuses with 429 while it is spent.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django_ratelimit.core import get_usage

from .models import User

log = logging.getLogger("lobtraject.security")

IP_GROUP = "login-failures-per-address"
MAX_EMAIL_LENGTH = 254


def normalise_email(raw) -> str:
    return str(raw or "").strip().lower()


def lockout_username(request, credentials=None) -> str | None:
    if credentials:
        raw = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        raw = data.get(settings.AXES_USERNAME_FORM_FIELD)
    if raw is None:
        return None
    typed = normalise_email(raw)
    if not typed or len(typed) > MAX_EMAIL_LENGTH or "\x00" in typed:
        return typed
    # The account the login would reach (the database's case rules, not Python's).
    email = User.objects.filter(email__iexact=typed).values_list("email", flat=True).first()
    return normalise_email(email) if email else typed


def _address_usage(request, *, increment: bool):
    return get_usage(
        request,
        group=IP_GROUP,
        key="ip",
        rate=settings.LOGIN_IP_FAILURE_RATE,
        method="POST",
        increment=increment,
    )


def address_locked(request) -> bool:
    """True once this address has used its budget of failed logins (the next try is refused)."""
    usage = _address_usage(request, increment=False)
    return bool(usage) and usage["count"] >= usage["limit"]


@receiver(user_login_failed, dispatch_uid="lobtraject-login-failures-per-address")
def count_failure_per_address(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    usage = _address_usage(request, increment=True)
    if usage and usage["count"] == usage["limit"]:
        log.warning(
            "login blocked for address %s: %s failed logins within %s",
            request.META.get("REMOTE_ADDR", "?"),
            usage["count"],
            settings.LOGIN_IP_FAILURE_RATE,
        )
