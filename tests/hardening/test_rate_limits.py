"""Short codes and personal links cannot be guessed from one address: after
20 misses within 15 minutes that address gets 429 there (before any lookup),
and the refusals are logged. Hits are never counted: a class behind one
school address opening the right code is not limited."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from dialogues.tokens import make_token
from tests.dialogues.factories import DialogueSessionFactory, InviteeFactory

pytestmark = pytest.mark.django_db

GUESSES = 20


@pytest.fixture
def session(world):
    return DialogueSessionFactory(
        trajectory=world.trajectory, facilitator=world.coach, researcher=world.researcher
    )


def _guess_codes(client, ip, count=GUESSES):
    return [client.get(f"/dialogen/o/ZZ{n:04d}/", REMOTE_ADDR=ip).status_code for n in range(count)]


def test_guessing_session_codes_is_blocked_and_logged(client, session, caplog):
    with caplog.at_level(logging.WARNING, logger="lobtraject.security"):
        assert set(_guess_codes(client, "10.1.1.1")) == {404}
        blocked = client.get(f"/dialogen/o/{session.code}/", REMOTE_ADDR="10.1.1.1")
    assert blocked.status_code == 429, "the right code after 20 wrong ones must wait"
    assert "Te veel pogingen" in blocked.content.decode()
    assert session.theme not in blocked.content.decode()
    lines = [r.getMessage() for r in caplog.records]
    assert any("short-code" in line and "blocked after 20" in line for line in lines), lines
    assert any("short-code: refused address 10.1.1.1" in line for line in lines), lines
    assert not any(r.exc_info for r in caplog.records), "a refusal is one line, not a traceback"
    # Another address is not affected.
    assert client.get(f"/dialogen/o/{session.code}/", REMOTE_ADDR="10.1.1.2").status_code == 200


def test_a_class_on_one_address_opening_the_right_code_is_not_limited(client, session):
    for _phone in range(60):
        response = client.get(f"/dialogen/o/{session.code.lower()}/", REMOTE_ADDR="10.2.2.2")
        assert response.status_code == 200


def test_guessing_personal_links_is_blocked(client, session):
    invitee = InviteeFactory(session=session)
    good = reverse("dialogues:personal", args=[make_token(invitee)])
    for n in range(GUESSES):
        bad = f"/dialogen/p/eyJpIjo{n}fQ:1xYTZF:{'x' * 43}/"
        assert client.get(bad, REMOTE_ADDR="10.3.3.3").status_code == 403
    assert client.get(good, REMOTE_ADDR="10.3.3.3").status_code == 429
    assert client.post(good + "oogst/", {"text": "x"}, REMOTE_ADDR="10.3.3.3").status_code == 429
    assert client.get(good, REMOTE_ADDR="10.3.3.4").status_code == 200


def test_the_counters_hold_in_redis_as_in_production(client, session, redis_cache):
    _guess_codes(client, "10.4.4.4")
    assert client.get(f"/dialogen/o/{session.code}/", REMOTE_ADDR="10.4.4.4").status_code == 429
    assert redis_cache._cache.get_client().keys("*")
