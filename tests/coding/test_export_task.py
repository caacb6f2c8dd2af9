"""Exports from the researcher's screen: queued, built by the task, audited,
downloadable; the command line gives the same export; forgetting a person."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from coding import services
from coding.models import Coding, Export, ExportStatus, Fragment
from research.models import AuditEvent


def test_export_from_the_screen_is_built_audited_and_downloaded(
    coded, client_for, django_capture_on_commit_callbacks
):
    client = client_for(coded.independent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("coding:export_request", args=[coded.study.pk]),
                               {"fmt": "qdpx"})
    export = Export.objects.get()
    assert response.url == reverse("coding:export", args=[export.pk])
    assert export.status == ExportStatus.DONE and export.progress == 100
    assert export.trajectory_ids == sorted([coded.trajectory.pk, coded.other.pk])
    event = AuditEvent.objects.get(action="export")
    assert event.actor == coded.independent and event.detail["format"] == "qdpx"
    assert event.detail["counts"] == {"sources": 6, "codes": 4, "codings": 12}
    status = client.get(reverse("coding:export_status", args=[export.pk]))
    assert b'id="export-download"' in status.content and b"hx-get" not in status.content
    download = client.get(reverse("coding:export_download", args=[export.pk]))
    assert download.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:
        assert "project.qde" in archive.namelist()


def test_a_queued_export_polls_and_has_no_download(coded, client_for):
    export = Export.objects.create(study=coded.study, fmt="csv", requested_by=coded.researcher,
                                   trajectory_ids=[coded.trajectory.pk])
    client = client_for(coded.researcher)
    status = client.get(reverse("coding:export_status", args=[export.pk]))
    assert b"hx-get" in status.content and b"<progress" in status.content
    assert client.get(reverse("coding:export_download", args=[export.pk])).status_code == 404


def test_a_failing_export_is_marked_failed(coded, monkeypatch):
    from coding import exports, tasks

    def broken(**kwargs):
        raise RuntimeError("disk full of surprises")

    monkeypatch.setattr(exports, "export_anonymised", broken)
    export = Export.objects.create(study=coded.study, fmt="json", requested_by=coded.researcher,
                                   trajectory_ids=[coded.trajectory.pk])
    tasks.build_export.apply(args=[export.pk])
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and "niet worden gemaakt" in export.error
    assert not export.file


def test_the_command_writes_each_format(coded, tmp_path):
    for fmt in ("json", "csv", "xlsx", "qdpx"):
        out = tmp_path / f"export.{fmt}"
        call_command("export_anonymised", "--out", str(out), "--format", fmt,
                     stderr=io.StringIO())
        assert out.stat().st_size > 0
    data = json.loads((tmp_path / "export.json").read_text())
    assert len(data["tables"]["codings"]) == 12
    assert AuditEvent.objects.filter(action="export", target="command:qdpx").exists()


def test_the_command_refuses_an_unknown_study(coded, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("export_anonymised", "--out", str(tmp_path / "x.json"), "--format", "json",
                     "--study", "999999")


def test_forgetting_a_person_deletes_their_fragments_and_codings(coded):
    champion_fragments = Fragment.objects.filter(user=coded.champion)
    assert champion_fragments.count() == 2  # logbook entry and e-mail
    codings_on_them = Coding.objects.filter(fragment__in=champion_fragments).count()
    assert codings_on_them == 4
    invitee_fragment = Fragment.objects.get(kind="harvest_item")
    total = Fragment.objects.count()
    deleted = services.fragment_forget_person(user_id=coded.champion.pk,
                                              invitee_ids=[invitee_fragment.invitee_id])
    assert deleted == 3
    assert Fragment.objects.count() == total - 3
    assert not Fragment.objects.filter(user=coded.champion).exists()
    assert not Coding.objects.filter(fragment_id=invitee_fragment.pk).exists()
    assert services.fragment_forget_person(user_id=coded.champion.pk) == 0
    # The sources are gone in the withdrawal; a later sync must not bring them back.
    assert Fragment.objects.filter(user=coded.researcher).exists()
