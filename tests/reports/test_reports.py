"""Reports: PDF content, the request → build → download flow, failures and access."""

import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from reports import pdf, services
from reports.models import Report, ReportStatus
from tests import services as test_services
from tests.conftest import PERSONAS
from tests.factories import HalfDayFactory, OrganisationFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db


def pdf_text(path: Path) -> str:
    if not shutil.which("pdftotext"):
        test_services.skip_or_fail("pdftotext (poppler-utils) is needed to read the PDF")
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_crosscase_pdf_has_sections_figures_and_dutch_characters(world, tmp_path):
    OrganisationFactory  # noqa: B018 - the world already has two organisations
    diacritics = OrganisationFactory(name="Coëlo Ruïne College", sector="havo_vwo")
    TrajectoryFactory(study=world.study, organisation=diacritics, phase="declined")
    HalfDayFactory(trajectory=world.trajectory, is_start_dialogue=True,
                   starts_at=world.trajectory.created_at.replace(year=2026, month=3, day=2))
    out = tmp_path / "overzicht.pdf"
    call_command("build_report", kind="crosscase", object_id=world.study.pk, out=out,
                 stdout=open("/dev/null", "w"))  # noqa: SIM115
    text = pdf_text(out)
    for heading in ("Organisaties per sector", "Trajecten per fase", "De casussen naast elkaar",
                    "Inhoud"):
        assert heading in text
    assert "Coëlo Ruïne College" in text
    assert "Pagina 1 van" not in text  # the cover carries no page number
    assert "Pagina 2 van" in text
    # vmbo: Het Baken College (custom) → approached 1, declined 0, joined 1, start dialogue 1.
    assert sector_row(text, "vmbo") == ["1", "0", "1", "1", "1"]
    # havo/vwo: only the declined Coëlo Ruïne College.
    assert sector_row(text, "havo/vwo") == ["1", "1", "0", "0", "0"]
    assert sector_row(text, "Totaal") == ["3", "1", "2", "1", "1"]


def sector_row(text: str, label: str) -> list[str]:
    """The five figures of a row in the per-sector table."""
    pattern = re.compile(rf"^\s*{re.escape(label)}((?:\s+\d+){{5}})\s*$", re.MULTILINE)
    match = pattern.search(text)
    assert match, f"no table row for {label}"
    return match.group(1).split()


def test_summary_pdf_counts_half_days(world, tmp_path):
    HalfDayFactory.create_batch(3, trajectory=world.trajectory)
    out = tmp_path / "samenvatting.pdf"
    services.report_build_to_file(kind="summary", object_id=world.trajectory.pk, out=out)
    text = pdf_text(out)
    assert "Trajectsamenvatting — Het Baken College" in text
    assert "3 zijn gepland." in text
    assert "De vier doelen" in text


def _request(client, **data):
    payload = {"kind": "summary", "object_id": 0, "audience": "research_team",
               "theme": "professionalisation", "publication_type": "research_report", **data}
    return client.post("/rapporten/aanvragen/", payload)


def test_researcher_requests_builds_and_downloads(world, client_for,
                                                  django_capture_on_commit_callbacks):
    client = client_for(world.researcher)
    with django_capture_on_commit_callbacks(execute=True):
        response = _request(client, object_id=world.trajectory.pk)
    report = Report.objects.get()
    assert response.status_code == 302
    assert response.url == f"/rapporten/{report.pk}/"
    assert report.status == ReportStatus.DONE
    assert report.progress == 100
    assert report.sector == "vmbo"
    assert report.file.name.startswith("private/reports/summary/")
    assert not list(Path(settings.MEDIA_ROOT, "private/reports/summary").glob("*.part"))
    download = client.get(f"/rapporten/{report.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    listing = client.get("/rapporten/").content.decode()
    assert "Trajectsamenvatting — Het Baken College" in listing
    assert "Bilal Bouzid" in listing  # who made it


def test_failed_render_shows_dutch_error_and_retry_succeeds(
    world, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    client = client_for(world.researcher)
    real = pdf.html_to_pdf

    def broken(html):
        raise RuntimeError("lay-out mislukt")

    monkeypatch.setattr(pdf, "html_to_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        _request(client, object_id=world.trajectory.pk)
    report = Report.objects.get()
    assert report.status == ReportStatus.FAILED
    html = client.get(f"/rapporten/{report.pk}/").content.decode()
    assert "Het rapport kon niet worden gemaakt" in html
    assert "lay-out mislukt" not in html
    assert client.get(f"/rapporten/{report.pk}/download/").status_code == 404
    monkeypatch.setattr(pdf, "html_to_pdf", real)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/rapporten/{report.pk}/opnieuw/")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    assert report.attempts == 2


# Who may request the research-team summary of Het Baken College.
SUMMARY_REQUEST = {
    "coach": 403, "researcher": 302, "independent": 302, "champion": 403, "buddy": 403,
    "manager": 403, "participant": 403, "outsider": 404, "staff": 403,
}
MANAGER_SUMMARY_REQUEST = {
    "coach": 302, "researcher": 302, "independent": 302, "champion": 302, "buddy": 302,
    "manager": 302, "participant": 403, "outsider": 404, "staff": 403,
}
LIST = {
    "coach": 200, "researcher": 200, "independent": 200, "champion": 200, "buddy": 200,
    "manager": 200, "participant": 403, "outsider": 200, "staff": 403,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_request_research_summary_per_role(world, client_for, persona,
                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = _request(client_for(world.users[persona]), object_id=world.trajectory.pk)
    assert response.status_code == SUMMARY_REQUEST[persona]
    assert Report.objects.exists() is (SUMMARY_REQUEST[persona] == 302)


@pytest.mark.parametrize("persona", PERSONAS)
def test_request_manager_summary_per_role(world, client_for, persona,
                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = _request(client_for(world.users[persona]), object_id=world.trajectory.pk,
                            audience="manager")
    assert response.status_code == MANAGER_SUMMARY_REQUEST[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_report_pages_per_role(world, client_for, persona, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        research = services.report_request(user=world.researcher, kind="summary",
                                           object_id=world.trajectory.pk)
        overview = services.report_request(user=world.researcher, kind="crosscase",
                                           object_id=world.study.pk)
    client = client_for(world.users[persona])
    assert client.get("/rapporten/").status_code == LIST[persona]
    research_team = persona in {"researcher", "independent"}
    expected = 200 if research_team else (404 if persona == "outsider" else 403)
    for report in (research,):
        for suffix in ("", "status/", "download/"):
            assert client.get(f"/rapporten/{report.pk}/{suffix}").status_code == expected, suffix
    expected_overview = 200 if research_team else 404
    assert client.get(f"/rapporten/{overview.pk}/").status_code == expected_overview


def test_anonymous_is_sent_to_login(world, client):
    assert client.get("/rapporten/").status_code == 302


def test_report_list_query_count_is_flat(world, client_for, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.researcher)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/rapporten/").status_code == 200
        return len(queries)

    with django_capture_on_commit_callbacks(execute=False):
        services.report_request(user=world.researcher, kind="crosscase", object_id=world.study.pk)
    before = count()
    with django_capture_on_commit_callbacks(execute=False):
        for _ in range(10):
            services.report_request(user=world.researcher, kind="summary",
                                    object_id=world.trajectory.pk)
    assert count() == before


@pytest.mark.celery
def test_real_worker_builds_pdf_over_redis(celery_live, client_for, world):
    client = client_for(world.researcher)
    response = _request(client, object_id=world.trajectory.pk)
    assert response.status_code == 302
    report = Report.objects.get()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status in (ReportStatus.DONE, ReportStatus.FAILED):
            break
        time.sleep(0.2)
    assert report.status == ReportStatus.DONE, celery_live.worker.log()
    assert "reports.tasks.build_report" in celery_live.worker.log()
    assert Path(settings.MEDIA_ROOT, report.file.name).read_bytes().startswith(b"%PDF")
