"""F7/F8: odd values in a URL give a 404, never a 500.

Every route's parameters are bounded by the project's converters
(lobtraject/converters.py). The fuzz part puts over-long ids, ids just past
the database's range, huge strings, encoded traversal and control characters
into every parameter of every route, as the roles that may open it, by GET
and by POST.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from lobtraject.converters import BOUNDED, MAX_ID
from tests.demo_world import rolled_back
from tests.role_matrix import LOGINS, ROLES, ROWS_BY_NAME, walk_urls

ODD_VALUES = [
    "99999999999999999999",  # F7
    str(MAX_ID + 1),
    str(MAX_ID),
    "0",
    "00000000000000000001",
    "1" * 400,
    "A" * 5000,
    "u-99999999999999999999",
    "i-" + str(MAX_ID),
    "%00",
    "..%2f..%2fdb.sqlite3",
    "%2e%2e",
    "%E2%80%AEabc",
    "%F0%9F%98%80",
    "-1",
    "1e10",
    "ABCDEF",
    "eyJpIjoxfQ:1xYTZF:" + "x" * 43,
]
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
# Django's admin (beheer/) has its own <path:object_id> and checks it itself.
ADMIN_PREFIX = "beheer/"


def _routes(patterns=None, prefix=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern


def test_every_route_parameter_has_a_bounded_converter():
    unbounded = []
    checked = 0
    for route, pattern in _routes():
        if route.startswith(ADMIN_PREFIX):
            continue
        for name, converter in getattr(pattern.pattern, "converters", {}).items():
            checked += 1
            if type(converter) not in BOUNDED.values():
                unbounded.append(f"{route}: <{name}> uses {type(converter).__name__}")
    assert checked >= 100, checked
    advice = "use <id:…>, <token:…>, <code:…>, <person:…> or <word:…>:\n"
    assert not unbounded, advice + "\n".join(unbounded)


def _odd_urls(entry):
    """The route with one parameter at a time replaced by each odd value (others by 1)."""
    names = [m.group("name") for m in PARAMETER.finditer(entry.route)]
    for target in names:
        for odd in ODD_VALUES:

            def fill(match, target=target, odd=odd):
                return odd if match.group("name") == target else "1"

            yield "/" + PARAMETER.sub(fill, entry.route)


def _clients(world):
    clients = {}
    for role in ROLES:
        client = Client(raise_request_exception=False)
        if LOGINS[role]:
            client.force_login(
                world.users[role], backend="django.contrib.auth.backends.ModelBackend"
            )
        clients[role] = client
    return clients


@pytest.mark.slow
def test_odd_values_in_every_url_parameter_give_no_server_error(demo_world):
    clients = _clients(demo_world)
    failures, requests = [], 0
    for entry in walk_urls():
        if not entry.kwargs:
            continue
        row = ROWS_BY_NAME.get(entry.name)
        statuses = row.statuses() if row and row.expected != "?" else {}
        # The roles that may open the page get past the access check; one that
        # may not and the anonymous visitor show the refusals don't crash either.
        allowed = [r for r in ROLES if statuses.get(r) in ("200", "302", "405")][:1]
        roles = list(dict.fromkeys([*allowed, "an"]))
        for url in _odd_urls(entry):
            # A value the converters refuse never reaches a view: one request shows
            # the 404; a value that resolves goes to every role and method.
            try:
                resolve(unquote(url))
                tries = [(role, method) for role in roles for method in ("get", "post")]
            except Resolver404:
                tries = [("an", "get")]
            for role, method in tries:
                with rolled_back():
                    response = getattr(clients[role], method)(url)
                requests += 1
                if response.status_code >= 500:
                    error = getattr(response, "exc_info", None)
                    cause = f"{error[1]!r:.200}" if error else ""
                    failures.append(
                        f"{method.upper()} {url[:120]} as {role}: {response.status_code} {cause}"
                    )
                elif (
                    response.status_code == 200
                    and role == "an"
                    and method == "get"
                    and not tries[1:]
                ):
                    failures.append(f"GET {url[:120]}: 200 for a value no converter accepts")
    assert requests > 2000, requests
    assert not failures, f"{len(failures)} of {requests} requests:\n" + "\n".join(failures[:30])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/static/..%2fdb.sqlite3", "/static/%2e%2e/%2e%2e/db.sqlite3", "/static/..%5c..%5cmanage.py"],
)
def test_crafted_static_paths_are_not_found(client, path):
    response = client.get(path)
    assert response.status_code == 404
