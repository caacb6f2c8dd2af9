"""Every URL as every demo role, compared with the reviewed table in tests/role_matrix.py."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.demo_world import rolled_back
from tests.role_matrix import (
    BEARER_OBJECTS,
    LOGINS,
    OBJECTS,
    ROLES,
    ROWS,
    ROWS_BY_NAME,
    SESSION_RESEARCHER,
    SESSION_RESEARCHER_STATUSES,
    STUDY_OBJECTS,
    UrlEntry,
    url_for,
    walk_urls,
)

# django_db: demo_world (tests/conftest.py) is the shared seeded demo; each test is rolled back.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

LOGIN_PATH = "/account/inloggen/"
# Used only to print a suggested row for a URL that has none yet.
GUESSED_OBJECTS = {
    "trajectory_pk": "trajectory",
    "half_day_pk": "half_day",
    "session_pk": "session",
    "invitee_pk": "invitee",
    "entry_pk": "entry",
    "report_pk": "report",
    "iso_year": "iso_year",
    "iso_week": "iso_week",
    "code": "session_code",
}
GUESSED_PK = {
    "trajectories": "trajectory",
    "dashboards": "trajectory",
    "dialogues": "session",
    "logbooks": "entry",
    "reports": "report",
}


def clients(world) -> dict[str, Client]:
    made = {}
    for role in ROLES:
        client = Client(raise_request_exception=False)
        if LOGINS[role]:
            client.force_login(world.users[role], backend="django.contrib.auth.backends.ModelBackend")
        made[role] = client
    return made


def status_of(response) -> str:
    if response.status_code == 302 and response["Location"].startswith(LOGIN_PATH):
        return "login"
    if response.status_code >= 500 and getattr(response, "exc_info", None):
        return f"{response.status_code}({response.exc_info[1]!r:.80})"
    return str(response.status_code)


def get(client, url) -> str:
    with rolled_back():
        return status_of(client.get(url))


def suggested_row(entry: UrlEntry, world, by_role, spec: dict | None = None) -> str:
    namespace = entry.name.split(":")[0]
    spec = spec or {
        name: GUESSED_OBJECTS.get(name) or (GUESSED_PK.get(namespace) if name == "pk" else None)
        for name in entry.kwargs
    }
    url, why = url_for(entry, spec, world.main)
    kwargs = "".join(f", {k}={v!r}" for k, v in spec.items())
    if url is None:
        return f'    R("{entry.name}", "?"{kwargs}),  # {entry.route}: {why}'
    statuses = " ".join(f"{get(by_role[r], url):<5}" for r in ROLES).rstrip()
    return f'    R("{entry.name}", "{statuses}"{kwargs}),  # {entry.route}'


def test_every_url_has_a_row_and_every_row_a_url():
    names = {entry.name for entry in walk_urls()}
    missing = sorted(names - set(ROWS_BY_NAME))
    stale = sorted(set(ROWS_BY_NAME) - names)
    duplicates = sorted({row.name for row in ROWS if [r.name for r in ROWS].count(row.name) > 1})
    assert not missing, f"add a row to tests/role_matrix.py for: {', '.join(missing)}"
    assert not stale, f"rows for URLs that no longer exist: {', '.join(stale)}"
    assert not duplicates, f"URLs with two rows: {', '.join(duplicates)}"


def test_every_url_answers_every_role_as_the_table_says(demo_world):
    by_role = clients(demo_world)
    mismatches, suggestions = [], []
    for entry in walk_urls():
        row = ROWS_BY_NAME.get(entry.name)
        if row is None or row.expected == "?":
            spec = row.kwargs if row else None
            suggestions.append(suggested_row(entry, demo_world, by_role, spec))
            continue
        url, why = url_for(entry, row.kwargs, demo_world.main)
        if url is None:
            mismatches.append(f"{entry.name}: {why}")
            continue
        for role, expected in row.statuses().items():
            got = get(by_role[role], url)
            if got != expected:
                mismatches.append(f"{entry.name} {url} as {role}: expected {expected}, got {got}")
    message = "\n".join(mismatches)
    if suggestions:
        message += (
            "\n\nURLs without a row in tests/role_matrix.py (observed statuses; review before adding):\n"
            + "\n".join(suggestions)
        )
    assert not mismatches and not suggestions, message


def test_champion_of_one_organisation_gets_404_on_every_object_of_another(demo_world):
    client = clients(demo_world)["aj"]
    checked, failures = 0, []
    for entry in walk_urls():
        row = ROWS_BY_NAME.get(entry.name)
        if row is None or row.expected == "?":
            continue
        objects = {row.kwargs.get(name) for name in entry.kwargs} & set(OBJECTS)
        if not objects - {"iso_year", "iso_week"} or objects & (BEARER_OBJECTS | STUDY_OBJECTS):
            continue
        url, why = url_for(entry, row.kwargs, demo_world.other)
        if url is None:
            failures.append(f"{entry.name}: {why}")
            continue
        got = get(client, url)
        if got == "405":
            # POST-only: ask with a POST (empty form) instead.
            with rolled_back():
                got = status_of(client.post(url, {}))
        checked += 1
        if got != "404":
            failures.append(f"{entry.name} {url}: aanjager of organisation A got {got}, expected 404")
    assert not failures, "\n".join(failures)
    assert checked >= 20, f"only {checked} object URLs were checked"


def test_the_sessions_own_researcher_from_the_study_team(demo_world):
    """Every URL of the main session as `oa` once `oa` is that session's researcher."""
    from dialogues.models import DialogueSession

    client = clients(demo_world)[SESSION_RESEARCHER]
    session_id = OBJECTS["session"](demo_world.main)
    checked, mismatches = 0, []
    for entry in walk_urls():
        row = ROWS_BY_NAME.get(entry.name)
        if row is None or "session" not in row.kwargs.values():
            continue
        url, why = url_for(entry, row.kwargs, demo_world.main)
        assert url is not None, why
        expected = SESSION_RESEARCHER_STATUSES.get(entry.name, row.statuses()[SESSION_RESEARCHER])
        with rolled_back():
            DialogueSession.objects.filter(pk=session_id).update(
                researcher=demo_world.users[SESSION_RESEARCHER]
            )
            got = status_of(client.get(url))
        checked += 1
        if got != expected:
            mismatches.append(f"{entry.name} {url}: expected {expected}, got {got}")
    assert not mismatches, "\n".join(mismatches)
    assert checked >= 20 and set(SESSION_RESEARCHER_STATUSES) <= set(ROWS_BY_NAME)
