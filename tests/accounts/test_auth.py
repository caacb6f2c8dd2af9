import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/account/inloggen/"


def test_login_page_is_dutch_by_default(client):
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nl">' in html
    assert "Inloggen" in html
    assert "E-mailadres" in html


def test_login_with_email_lands_on_home(client):
    user = UserFactory(email="sanne@school.test")
    response = client.post(LOGIN, {"username": "Sanne@School.test", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_wrong_login_shows_dutch_error_without_details(client):
    UserFactory(email="sanne@school.test")
    response = client.post(LOGIN, {"username": "sanne@school.test", "password": "fout"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dit e-mailadres en wachtwoord horen niet bij elkaar" in html
    assert "Traceback" not in html
    assert "_auth_user_id" not in client.session


def test_login_is_throttled_after_five_failures(client):
    UserFactory(email="sanne@school.test")
    for _attempt in range(5):
        client.post(LOGIN, {"username": "sanne@school.test", "password": "fout"})
    # Even the right password is refused while the lock holds.
    response = client.post(LOGIN, {"username": "sanne@school.test", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "Te veel pogingen" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_throttling_is_per_account(client):
    UserFactory(email="sanne@school.test")
    UserFactory(email="daan@school.test")
    for _attempt in range(5):
        client.post(LOGIN, {"username": "sanne@school.test", "password": "fout"})
    response = client.post(LOGIN, {"username": "daan@school.test", "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_logout_requires_post_and_ends_session(client):
    user = UserFactory()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/account/uitloggen/").status_code == 405
    response = client.post("/account/uitloggen/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_working_link(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="noor@school.test")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/wachtwoord-vergeten/", {"email": "noor@school.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["noor@school.test"]
    assert "nieuw wachtwoord" in message.subject.lower()
    path = re.search(r"https?://[^/]+(/\S+)", message.body).group(1)
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_path = response.redirect_chain[-1][0]
    response = client.post(
        form_path, {"new_password1": "Nieuw-wachtwoord-2026", "new_password2": "Nieuw-wachtwoord-2026"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nieuw-wachtwoord-2026")


def test_password_reset_for_unknown_address_sends_nothing(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/wachtwoord-vergeten/", {"email": "niemand@school.test"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_language_switch_to_english_and_back(client):
    response = client.post("/taal/", {"language": "en", "next": LOGIN})
    assert response.status_code == 302
    html = client.get(LOGIN).content.decode()
    assert '<html lang="en">' in html
    assert "E-mail address" in html
    client.post("/taal/", {"language": "nl", "next": LOGIN})
    assert "E-mailadres" in client.get(LOGIN).content.decode()


def test_email_is_unique_regardless_of_case(db):
    from django.db import IntegrityError, transaction

    from accounts.models import User

    User.objects.create_user("Fatima@School.test", "x")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="FATIMA@school.test")
