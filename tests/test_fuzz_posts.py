"""Generated input to every POST endpoint, as a user who may post there.

The endpoints are found, not listed: every page of the role matrix is opened
as the first role allowed to see it and its POST forms are collected (action,
fields, offered choices). POST-only URLs that no page shows a form for (the
JavaScript endpoints) get the field names seen anywhere. For each endpoint
hypothesis builds payloads of nasty values, some fields missing, and the test
demands: never a 500; a clean answer (2xx/3xx/4xx); when the answer is a
refusal (a form with errors, a 4xx, an error message after a redirect) no row
anywhere changed; and a refusal is in Dutch.
"""

from __future__ import annotations

import json
import os
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.messages import constants as message_levels
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests import fuzzing
from tests.demo_world import rolled_back
from tests.role_matrix import LOGINS, ROWS_BY_NAME, url_for, walk_urls

pytestmark = [pytest.mark.postgres, pytest.mark.django_db, pytest.mark.slow]

EXAMPLES = int(os.environ.get("LOB_FUZZ_EXAMPLES", "6"))
# Who we try first when several roles may open a page: the roles with the most forms.
POSTER_ORDER = ["tc", "oz", "aj", "oa", "mt", "mg", "dn", "bh", "aj2", "an"]
CLEAN = {200, 201, 204, 301, 302, 303, 400, 403, 404, 405, 409, 413, 415, 422}
REFUSALS = {400, 409, 413, 415, 422}
# Endpoints whose successful POST ends the session or the test's premise.
NOT_FUZZED = {"logout"}


def client_as(world, role) -> Client:
    client = Client(raise_request_exception=False)
    if LOGINS[role]:
        client.force_login(world.users[role], backend="django.contrib.auth.backends.ModelBackend")
    return client


def discover_endpoints(world) -> dict[str, dict]:
    """URL path → {name, role, fields, multipart}, from the forms on every page."""
    entries = {entry.name: entry for entry in walk_urls()}
    clients = {role: client_as(world, role) for role in POSTER_ORDER}
    endpoints: dict[str, dict] = {}
    all_fields: dict[str, dict] = {}
    post_only = []
    for name, entry in entries.items():
        row = ROWS_BY_NAME.get(name)
        if row is None or row.expected == "?":
            continue
        url, _why = url_for(entry, row.kwargs, world.main)
        if url is None:
            continue
        statuses = row.statuses()
        if all(statuses[r] in ("405", "login") for r in POSTER_ORDER):
            post_only.append((name, url))
            continue
        role = next((r for r in POSTER_ORDER if statuses[r] == "200"), None)
        if role is None:
            continue
        with rolled_back():
            response = clients[role].get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for form in fuzzing.post_forms(response.content.decode()):
            action = urlsplit(urljoin(url, form["action"])).path
            try:
                target = resolve(action)
            except Resolver404:
                continue
            all_fields.update(form["fields"])
            endpoints.setdefault(
                action,
                {"name": target.view_name, "role": role, "fields": form["fields"],
                 "multipart": form["multipart"]},
            )
    generic = dict(list(all_fields.items())[:25])
    for name, url in post_only:
        if url in endpoints:
            continue
        role = find_poster(clients, url)
        if role:
            endpoints[url] = {"name": name, "role": role, "fields": generic, "multipart": False}
    return endpoints


def find_poster(clients, url) -> str | None:
    """The first role whose empty POST is not refused outright."""
    for role in POSTER_ORDER:
        with rolled_back():
            status = clients[role].post(url, {}).status_code
        if status not in (302, 403, 404, 405) or (status == 302 and role != "an"):
            return role
    return None


def payloads(fields: dict, multipart: bool):
    def build(draw):
        data = {}
        for name, field in fields.items():
            choice = draw(st.integers(0, 9))
            if choice == 0:
                continue  # missing field
            if field["type"] == "file":
                content = draw(st.sampled_from([b"", b"\x00" * 64, b"RIFF\x00\x00WAVE", b"<html>", b"x" * 4096]))
                filename = draw(st.sampled_from(["a.wav", "../../x.eml", "\u202egpj.exe", "leeg", "a" * 300]))
                data[name] = SimpleUploadedFile(filename, content, content_type="application/octet-stream")
            else:
                data[name] = draw(fuzzing.value_for(field))
        if draw(st.booleans()):
            data[draw(st.sampled_from(["extra", "id", "pk", "user", "trajectory"]))] = draw(fuzzing.text_values())
        return data

    return st.composite(lambda draw: build(draw))()


def check_answer(path, payload, response, before, after) -> list[str]:
    problems = []
    status = response.status_code
    if status >= 500:
        error = getattr(response, "exc_info", None)
        return [f"{status} {error[1]!r:.300}" if error else str(status)]
    if status not in CLEAN:
        problems.append(f"unexpected status {status}")
    content_type = response.get("Content-Type", "")
    body = "" if getattr(response, "streaming", False) else response.content.decode(errors="replace")
    refused = status in REFUSALS
    if status == 200 and "html" in content_type and fuzzing.ERROR_MARKERS.search(body):
        refused = True
        if 'lang="nl"' not in body:
            problems.append("refusal page is not Dutch (no lang=\"nl\")")
    if status in (301, 302, 303):
        # Only what this request said, not messages left in the cookie by an earlier one.
        stored = list(getattr(response.wsgi_request._messages, "_queued_messages", []))
        if any(m.level == message_levels.ERROR for m in stored):
            refused = True
            english = [m.message for m in stored if fuzzing.english_in(str(m.message))]
            if english:
                problems.append(f"English error message: {english[:2]}")
    if refused:
        english = fuzzing.english_in(body)
        if english:
            problems.append(f"English validation message in a refusal: {english}")
        writes = fuzzing.changed(before, after)
        if writes:
            problems.append(f"partial write despite the refusal: {writes}")
    return problems


def shorten(payload: dict) -> str:
    def short(value):
        text = repr(value.name if hasattr(value, "name") else value)
        return text if len(text) < 60 else text[:57] + "..."

    return json.dumps({k: short(v) for k, v in payload.items()}, ensure_ascii=True)


def fuzz_one(path: str, endpoint: dict, client: Client, found: list[str]):
    label = f"{endpoint['name']}, as {endpoint['role']}"

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(payload=payloads(endpoint["fields"], endpoint["multipart"]))
    def post_once(payload):
        if found:
            return  # one problem per endpoint is enough to report
        client.cookies.pop("messages", None)
        with rolled_back():
            before = fuzzing.row_counts()
            response = client.post(path, payload)
            after = fuzzing.row_counts()
        problems = check_answer(path, payload, response, before, after)
        if problems:
            found.append(f"{path} ({label}): {'; '.join(problems)}\n    payload: {shorten(payload)}")

    return post_once


def test_every_post_endpoint_survives_generated_input(demo_world):
    endpoints = discover_endpoints(demo_world)
    assert len(endpoints) >= 25, f"only {len(endpoints)} POST endpoints found: {sorted(endpoints)}"
    clients = {}
    failures: list[str] = []

    for path, endpoint in sorted(endpoints.items()):
        if endpoint["name"] in NOT_FUZZED:
            continue
        role = endpoint["role"]
        client = clients.setdefault(role, client_as(demo_world, role))
        found: list[str] = []

        post_once = fuzz_one(path, endpoint, client, found)
        post_once()
        failures.extend(found)
    assert not failures, f"{len(failures)} of {len(endpoints)} POST endpoints:\n" + "\n".join(failures)
