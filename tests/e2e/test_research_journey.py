"""A researcher records consent, views the key, withdraws a participant's consent and
finds every step in the audit log; axe runs on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dialogues import services as dialogue_services
from research.models import Withdrawal
from tests.dialogues.factories import DialogueSessionFactory, InviteeFactory
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def submit(browser, css: str) -> None:
    browser.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", browser.find(css)
    )
    browser.click_and_load(css)


def test_researcher_manages_consent_key_and_withdrawal(browser, world, tmp_path):
    session = DialogueSessionFactory(
        trajectory=world.trajectory, starts_at=timezone.now() - timedelta(days=1)
    )
    guest = InviteeFactory(session=session, name="Kees van Dam", email="kees@gast.test")
    dialogue_services.consent_record(invitee=guest, agreed=True)
    pk = world.trajectory.pk

    browser.login(world.researcher.email, TEST_PASSWORD)
    browser.visit("/onderzoek/")
    browser.click_and_load(f"a[href='/onderzoek/traject/{pk}/toestemming/']")
    assert "Kees van Dam" in browser.find("main").text
    # A paper consent is recorded only with the signed form.
    scan = tmp_path / "toestemming-kees.pdf"
    scan.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    browser.find("#record-consent ~ form input[type=file]").send_keys(str(scan))
    submit(browser, "#record-consent ~ form button[type=submit]")
    assert "De papieren toestemming en het ondertekende formulier zijn vastgelegd." in (
        browser.find("main").text
    )

    browser.visit(f"/onderzoek/traject/{pk}/sleutel/")
    assert "Aanjager" in browser.find("main").text
    browser.fill("#id_alias", "het Baken")
    submit(browser, "#aliases > form button[type=submit]")
    assert "het Baken" in browser.find("#aliases").text

    browser.visit(f"/onderzoek/traject/{pk}/intrekken/i-{guest.pk}/")
    assert "Binnen de termijn" in browser.find("main").text
    submit(browser, "main form button.btn-danger")
    assert "alle gegevens" in browser.find("main").text
    assert Withdrawal.objects.get().within_window

    browser.visit("/onderzoek/auditlog/")
    text = browser.find("main").text
    for action in ("Toestemming ingetrokken", "Sleutel van de pseudoniemen bekeken"):
        assert action in text
