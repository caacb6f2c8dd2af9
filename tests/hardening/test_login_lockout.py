"""F4: the lockout counted the typed string, so case variants gave unlimited guesses.

Now one account is locked after five failures however its address is written
and from whichever address the guesses come; one client address has its own
budget over all accounts.
"""

from __future__ import annotations

import logging

import pytest

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/account/inloggen/"


def attempt(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_case_variants_of_one_address_share_one_lock(client):
    UserFactory(email="deelnemer@school.test")
    for variant in [
        "deelnemer@school.test",
        "Deelnemer@school.test",
        "dEelnemer@school.test",
        "deElnemer@school.test",
        " DEELNEMER@school.test ",
    ]:
        assert attempt(client, variant, "fout").status_code in (200, 429)
    response = attempt(client, "DEelnemer@School.test", TEST_PASSWORD)
    assert response.status_code == 429, "a case variant got past the lock"
    assert "Te veel pogingen" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_locked_account_stays_locked_for_every_spelling_and_address(client):
    UserFactory(email="onafhankelijk@school.test")
    for _try in range(5):
        attempt(client, "onafhankelijk@school.test", "fout", ip="10.0.0.1")
    for spelling, ip in [
        ("ONAFHANKELIJK@school.test", "10.0.0.1"),
        ("Onafhankelijk@School.Test", "10.0.0.2"),
        ("onafhankelijk@school.test", "192.168.1.9"),
    ]:
        response = attempt(client, spelling, TEST_PASSWORD, ip=ip)
        assert response.status_code == 429, (spelling, ip)
        assert "_auth_user_id" not in client.session


def test_four_failures_then_the_right_password_logs_in(client):
    user = UserFactory(email="sanne@school.test")
    for variant in [
        "sanne@school.test",
        "SANNE@school.test",
        "Sanne@school.test",
        "sAnne@school.test",
    ]:
        attempt(client, variant, "fout")
    response = attempt(client, "SaNNe@school.test", TEST_PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_another_account_on_the_same_address_is_not_locked(client):
    UserFactory(email="sanne@school.test")
    UserFactory(email="daan@school.test")
    for _try in range(5):
        attempt(client, "sanne@school.test", "fout")
    assert attempt(client, "daan@school.test", TEST_PASSWORD).status_code == 302


def _spray(client, settings, ip):
    """Failed logins over many accounts from one address, up to its budget."""
    budget = int(settings.LOGIN_IP_FAILURE_RATE.split("/")[0])
    for number in range(budget):
        attempt(client, f"geraden{number}@school.test", "fout", ip=ip)
    return budget


def test_one_address_guessing_across_accounts_is_refused_and_logged(client, settings, caplog):
    UserFactory(email="koen@school.test")
    with caplog.at_level(logging.WARNING, logger="lobtraject.security"):
        _spray(client, settings, "10.9.9.9")
        refused = attempt(client, "koen@school.test", TEST_PASSWORD, ip="10.9.9.9")
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    assert any("10.9.9.9" in record.getMessage() for record in caplog.records)
    # Another address, the same account: not affected.
    assert attempt(client, "koen@school.test", TEST_PASSWORD, ip="10.9.9.10").status_code == 302


def test_the_address_budget_is_counted_in_redis_as_in_production(client, settings, redis_cache):
    UserFactory(email="koen@school.test")
    _spray(client, settings, "10.8.8.8")
    assert attempt(client, "koen@school.test", TEST_PASSWORD, ip="10.8.8.8").status_code == 429
    assert any(key for key in redis_cache._cache.get_client().keys("*"))
