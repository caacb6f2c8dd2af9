"""The demo data of the reports app: portraits with every section written."""

import io

import pytest
from django.core.management import call_command

from reports.models import Portrait
from tests.reports.test_report_kinds import build
from tests.reports.test_reports import pdf_text

pytestmark = pytest.mark.django_db


def test_demo_has_written_portraits_and_a_second_run_adds_none(demo_data, tmp_path):
    portraits = list(Portrait.objects.select_related("organisation"))
    assert len(portraits) == 2
    for portrait in portraits:
        assert portrait.student_count
        for name, _heading, text in portrait.sections():
            assert len(text) > 80, name
    before = {portrait.pk: portrait.vision for portrait in portraits}
    call_command("seed_demo", quiet_logins=True, stdout=io.StringIO())
    assert {p.pk: p.vision for p in Portrait.objects.all()} == before
    text = pdf_text(build(tmp_path, "portrait", portraits[0].organisation_id))
    assert "Dit onderdeel is nog niet geschreven." not in text
    assert "Kerncijfers" in text


def test_demo_researcher_can_open_the_portrait(demo_data, client_for):
    from accounts.models import User

    portrait = Portrait.objects.first()
    researcher = User.objects.get(email="onderzoeker@demo.test")
    response = client_for(researcher).get(f"/rapporten/portret/{portrait.organisation_id}/")
    assert response.status_code == 200
    assert portrait.vision[:40] in response.content.decode()
