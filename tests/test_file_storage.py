"""Private files on S3-compatible storage (FILE_STORAGE=s3), against moto's S3 server.

Web and workers on different machines share the files only through the storage API: an
upload lands in the bucket, a download streams from it after the access check, a built
export or report is stored there, and a withdrawal removes the person's files from it.
The local folder storage is what every other test uses.
"""

import time
from datetime import date, datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from storages.backends.s3 import S3File

from coding import services as coding_services
from coding.models import Export, ExportStatus
from lobtraject.file_storage import private_files_storage
from logbooks.models import AudioClip, EmailDataPoint
from reports import services as report_services
from reports.models import Report, ReportStatus
from research.services import consent_withdraw
from tests.coding.factories import make_material
from tests.factories import give_consent
from tests.logbooks.audio_samples import SAMPLES
from tests.logbooks.factories import EntryFactory

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_file_storage_selects_the_backend():
    assert private_files_storage({})["BACKEND"].endswith("FileSystemStorage")
    s3 = private_files_storage({"FILE_STORAGE": "s3", "S3_BUCKET": "lob-prod"})
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["OPTIONS"]["bucket_name"] == "lob-prod"
    assert s3["OPTIONS"]["endpoint_url"] is None  # AWS itself, credentials from boto3's chain
    with pytest.raises(ImproperlyConfigured, match="S3_BUCKET"):
        private_files_storage({"FILE_STORAGE": "s3"})
    with pytest.raises(ImproperlyConfigured, match="FILE_STORAGE"):
        private_files_storage({"FILE_STORAGE": "ftp"})


def test_every_private_file_field_uses_the_configured_storage(s3_storage):
    from django.apps import apps
    from django.db import models
    from storages.backends.s3 import S3Storage

    fields = [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]
    # Voice clips, e-mails, attachments, interview recordings, signed forms, reports, exports.
    assert len(fields) >= 7
    for field in fields:
        assert isinstance(field.storage, S3Storage), field
        assert field.storage.bucket_name == s3_storage.bucket


def test_a_voice_clip_lands_in_the_bucket_and_streams_only_after_the_access_check(
    s3_storage, world, client_for, monkeypatch
):
    data = SAMPLES["opname.wav"][0]
    year, week, _day = timezone.localdate().isocalendar()
    response = client_for(world.champion).post(
        f"/logboek/{world.trajectory.pk}/week/{year}/{week}/audio/",
        {"audio": ContentFile(data, name="opname.wav")},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200, response.content
    clip = AudioClip.objects.get()
    assert s3_storage.keys() == {clip.file.name}
    stored = s3_storage.client.get_object(Bucket=s3_storage.bucket, Key=clip.file.name)
    assert stored["Body"].read() == data

    url = f"/logboek/audio/{clip.pk}/"
    download = client_for(world.champion).get(url)
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    assert _body(download) == data
    # Seeking fetches only the asked bytes from the bucket, not the whole object.
    whole_downloads = []
    original = S3File.file

    def counting(self):
        whole_downloads.append(self.name)
        return original.fget(self)

    monkeypatch.setattr(S3File, "file", property(counting, original.fset))
    ranged = client_for(world.champion).get(url, HTTP_RANGE="bytes=100-199")
    assert ranged.status_code == 206
    assert ranged["Content-Range"] == f"bytes 100-199/{len(data)}"
    assert _body(ranged) == data[100:200]
    assert whole_downloads == []
    # Someone of another school does not learn that it exists; a manager may not hear it.
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(world.manager).get(url).status_code == 403
    # A file gone from the bucket is a 404, not an error page.
    s3_storage.client.delete_object(Bucket=s3_storage.bucket, Key=clip.file.name)
    assert client_for(world.champion).get(url).status_code == 404


def test_a_built_export_is_stored_in_the_bucket_and_downloaded_from_it(
    s3_storage, world, client_for, django_capture_on_commit_callbacks
):
    make_material(world)
    coding_services.fragments_sync()
    researcher = client_for(world.researcher)
    with django_capture_on_commit_callbacks(execute=True):
        researcher.post(reverse("coding:export_request", args=[world.study.pk]), {"fmt": "json"})
    export = Export.objects.get()
    assert export.status == ExportStatus.DONE, export.error
    assert s3_storage.keys() == {export.file.name}
    head = s3_storage.client.head_object(Bucket=s3_storage.bucket, Key=export.file.name)
    assert head["ContentLength"] == export.size > 0
    download = researcher.get(reverse("coding:export_download", args=[export.pk]))
    assert download.status_code == 200
    assert len(_body(download)) == export.size
    assert (
        client_for(world.champion)
        .get(reverse("coding:export_download", args=[export.pk]))
        .status_code
        == 403
    )


def test_a_rebuilt_report_replaces_its_file_in_the_bucket(s3_storage, world, client_for):
    # A report reclassified after it was built: queued again, its first PDF still stored.
    report = Report.objects.create(
        kind="summary",
        object_id=world.trajectory.pk,
        title="Trajectsamenvatting",
        requested_by=world.researcher,
        year=2026,
    )
    report.file.save("report.pdf", ContentFile(b"%PDF before the reclassification"), save=True)
    first = report.file.name
    assert s3_storage.keys() == {first}

    report = report_services.report_build(report_id=report.pk)
    assert report.status == ReportStatus.DONE, report.error
    assert report.file.name != first
    assert s3_storage.keys() == {report.file.name}, "the old PDF is gone from the bucket"
    download = client_for(world.researcher).get(f"/rapporten/{report.pk}/download/")
    assert download.status_code == 200
    body = _body(download)
    assert body.startswith(b"%PDF") and body.rstrip().endswith(b"%%EOF")
    assert client_for(world.outsider).get(f"/rapporten/{report.pk}/download/").status_code == 404


def test_a_withdrawal_removes_the_persons_files_from_the_bucket(
    s3_storage, world, django_capture_on_commit_callbacks
):
    def aware(*args):
        return timezone.make_aware(datetime(*args))

    champion = world.champion
    entry = EntryFactory(
        trajectory=world.trajectory,
        author=champion,
        actions="Ik sprak met mijn team.",
        submitted_at=aware(2026, 4, 20, 10),
    )
    clip = AudioClip(entry=entry, content_type="audio/ogg", size=4)
    clip.file.save("memo.ogg", ContentFile(b"OggS"), save=True)
    email = EmailDataPoint(
        trajectory=world.trajectory,
        occurred_on=date(2026, 4, 21),
        created_by=world.researcher,
        sender=f"Sanne de Vries <{champion.email}>",
        recipients="team@baken.test",
        subject="Studiedag",
        body="Groet Sanne",
    )
    email.raw.save("message.eml", ContentFile(b"From: sanne"), save=True)
    consent = give_consent(
        user=champion, trajectory=world.trajectory, kind="interview", at=aware(2026, 2, 1, 9)
    )
    consent.signed_form.save("form.pdf", ContentFile(b"%PDF ondertekend"), save=True)
    # Someone else's voice message stays.
    other = EntryFactory(trajectory=world.trajectory, author=world.buddy, actions="Mijn week.")
    kept = AudioClip(entry=other, content_type="audio/ogg", size=4)
    kept.file.save("memo.ogg", ContentFile(b"OggS"), save=True)
    hers = {clip.file.name, email.raw.name, consent.signed_form.name}
    assert s3_storage.keys() == hers | {kept.file.name}

    with django_capture_on_commit_callbacks(execute=True):
        withdrawal = consent_withdraw(
            user=champion,
            requested_by=world.researcher,
            at=aware(2026, 4, 24, 16),
            trajectory=world.trajectory,
        )

    assert withdrawal.within_window
    assert s3_storage.keys() == {kept.file.name}


@pytest.mark.celery
def _report_done(pk: int) -> bool:
    return Report.objects.filter(pk=pk, status=ReportStatus.DONE).exists()


def test_a_real_worker_builds_a_report_into_the_bucket_while_the_web_reads_it(
    s3_celery_live, world, client_for
):
    # Web (this process) and worker (another process, as on another machine) share the
    # report only through the bucket: the worker has no folder in common with the web.
    researcher = client_for(world.researcher)
    # The worker is held over the request and the first poll, so the web sees the report
    # queued and no download, however fast the build is.
    with s3_celery_live.worker.paused():
        response = researcher.post(
            "/rapporten/aanvragen/",
            {
                "kind": "summary",
                "object_id": world.trajectory.pk,
                "audience": "research_team",
                "theme": "professionalisation",
                "publication_type": "research_report",
            },
        )
        assert response.status_code == 302
        report = Report.objects.get()
        status_url = f"/rapporten/{report.pk}/status/"
        download_url = f"/rapporten/{report.pk}/download/"
        assert report.status == ReportStatus.QUEUED
        assert "report-progress" in researcher.get(status_url).content.decode()
        assert researcher.get(download_url).status_code == 404
    # While the worker builds, the web polls the status (as the page's htmx does) and
    # a download is not offered yet.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status in (ReportStatus.DONE, ReportStatus.FAILED):
            break
        assert researcher.get(status_url).status_code == 200
        # The worker may finish between the request and the look at the status: a report
        # done before the request must download, one not done after it must not.
        done_before = _report_done(report.pk)
        download = researcher.get(download_url)
        done_after = _report_done(report.pk)
        if done_before:
            assert download.status_code == 200
        elif not done_after:
            assert download.status_code == 404
        else:
            assert download.status_code in (200, 404)
        time.sleep(0.1)
    assert report.status == ReportStatus.DONE, s3_celery_live.worker.log()
    assert "reports.tasks.build_report" in s3_celery_live.worker.log()
    assert "report-download" in researcher.get(status_url).content.decode()

    assert s3_celery_live.keys() == {report.file.name}
    assert list(s3_celery_live.media.rglob("*")) == [], "the worker wrote to a local disk"
    stored = s3_celery_live.client.get_object(Bucket=s3_celery_live.bucket, Key=report.file.name)
    pdf = stored["Body"].read()
    assert pdf.startswith(b"%PDF")
    download = researcher.get(download_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "private, no-store"
    assert _body(download) == pdf
    # The access check holds for files in the bucket: another school's champion does not
    # learn that the report exists, the manager may not read the research team's version.
    assert client_for(world.outsider).get(download_url).status_code == 404
    assert client_for(world.manager).get(download_url).status_code == 403
    assert client_for(None).get(download_url).status_code == 302
