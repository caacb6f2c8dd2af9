"""One Dutch voice: the checks of scripts/i18n.py find u/uw and lower-case labels
(and find none in the product), error pages use the site's layout, dates are
written the Dutch way."""

import importlib.util
from datetime import date
from pathlib import Path

import polib
import pytest
from django.template import Context, Template
from django.utils import translation

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "i18n.py"


@pytest.fixture(scope="module")
def i18n():
    spec = importlib.util.spec_from_file_location("i18n_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_formal_check_finds_u_and_uw(i18n):
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Check your e-mail", msgstr="Controleer uw e-mail"))
    po.append(polib.POEntry(msgid="You can log in", msgstr="U kunt inloggen"))
    po.append(polib.POEntry(msgid="Your items", msgstr="Je bijdragen"))
    po.append(polib.POEntry(msgid="Hours", msgstr="Uur"))
    assert [entry.msgid for entry in i18n._formal(po)] == ["Check your e-mail", "You can log in"]


def test_the_dutch_catalogue_says_je_and_every_label_starts_with_a_capital(i18n):
    assert i18n._formal(polib.pofile(str(i18n.NL))) == []
    assert i18n._lower_case_labels() == []


def test_the_label_check_finds_a_lower_case_label(i18n):
    from django import forms

    class LooseForm(forms.Form):
        __module__ = "trajectories.forms_under_test"
        kind = forms.CharField(label="soort")

    findings = i18n._lower_case_labels()
    assert any("LooseForm.kind" in finding for finding in findings)


def test_month_abbreviations_are_lower_case_in_dutch():
    with translation.override("nl"):
        text = Template('{{ day|date:"D j b Y" }}').render(Context({"day": date(2026, 10, 5)}))
    assert text == "ma 5 okt 2026"


@pytest.mark.django_db
def test_a_get_on_a_post_only_address_shows_the_sites_own_405_page(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(), backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/rapporten/aanvragen/")
    assert response.status_code == 405
    html = response.content.decode()
    assert "Dit is geen pagina om te openen" in html and 'id="main"' in html
    assert response.headers["Allow"] == "POST"


@pytest.mark.django_db
def test_a_form_without_its_token_gets_the_sites_own_page():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/account/inloggen/", {})
    assert response.status_code == 403
    assert "Het formulier is verlopen" in response.content.decode()
