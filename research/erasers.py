"""What a withdrawal erases outside the research apps: the login-attempt log.

django-axes keeps every login attempt (and every failure) with the e-mail
address typed as the username, the IP address and the browser. That is no
research data, but it names the person: after a withdrawal, inside or after
the window, none of it may keep their address.
"""

from __future__ import annotations

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db.models import Q

from .registry import DataOwner, Person, Removal, Scope


def _login_rows(person: Person):
    condition = Q(pk__in=[])
    for address in person.emails:
        condition |= Q(username__iexact=address)
    return [
        model.objects.filter(condition) for model in (AccessAttempt, AccessLog, AccessFailureLog)
    ]


class LoginRecords(DataOwner):
    def erase(self, person: Person, removal: Removal, *, scope: Scope) -> None:
        if scope.kind:
            return  # one kind withdrawn: the person keeps their account and logs in as before
        removal.add("login_records", sum(rows.delete()[0] for rows in _login_rows(person)))

    def stop(self, person: Person) -> None:
        for rows in _login_rows(person):
            rows.delete()
