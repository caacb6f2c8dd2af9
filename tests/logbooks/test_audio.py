"""Voice messages: real type check, size limit, private storage, range requests."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from logbooks.models import AudioClip, Entry
from tests.logbooks.audio_samples import SAMPLES, wav_bytes

pytestmark = pytest.mark.django_db


def _upload(client, write_url, name, content, content_type="application/octet-stream"):
    return client.post(
        write_url + "audio/",
        {"audio": SimpleUploadedFile(name, content, content_type=content_type)},
        HTTP_ACCEPT="application/json",
    )


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_allowed_format_is_accepted(world, client_for, write_url, name):
    content, expected_type = SAMPLES[name]
    response = _upload(client_for(world.champion), write_url, name, content)
    assert response.status_code == 200, response.content
    clip = AudioClip.objects.get()
    assert clip.content_type == expected_type
    assert clip.file.name.startswith("private/logbook-audio/")
    assert "opname" not in clip.file.name  # random name, not the uploaded one
    assert Entry.objects.get().status == "draft"


def test_renamed_non_audio_file_is_refused(world, client_for, write_url):
    response = _upload(
        client_for(world.champion), write_url, "stiekem.mp3", b"%PDF-1.7 not audio", "audio/mpeg"
    )
    assert response.status_code == 400
    assert "geen geluidsopname" in response.json()["error"]
    assert not AudioClip.objects.exists()


def test_oversize_file_is_refused(world, client_for, write_url, settings):
    settings.LOGBOOK_AUDIO_MAX_BYTES = 1024 * 1024
    big = wav_bytes(seconds=70)  # about 1.1 MB
    assert len(big) > settings.LOGBOOK_AUDIO_MAX_BYTES
    response = _upload(client_for(world.champion), write_url, "lang.wav", big)
    assert response.status_code == 400
    assert "te groot" in response.json()["error"]
    assert not AudioClip.objects.exists()


def test_form_upload_without_js_redirects_with_dutch_error(world, client_for, write_url):
    response = client_for(world.champion).post(
        write_url + "audio/",
        {"audio": SimpleUploadedFile("tekst.wav", b"hallo", content_type="audio/wav")},
        follow=True,
    )
    assert "geen geluidsopname" in response.content.decode()


@pytest.fixture
def clip(world, client_for, write_url):
    _upload(client_for(world.champion), write_url, "opname.wav", SAMPLES["opname.wav"][0])
    return AudioClip.objects.get()


def _body(response):
    return b"".join(response.streaming_content)


def test_full_download_advertises_ranges(world, client_for, clip):
    response = client_for(world.champion).get(f"/logboek/audio/{clip.pk}/")
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "audio/wav"
    assert _body(response) == SAMPLES["opname.wav"][0]


@pytest.mark.parametrize(
    "header, start, end",
    [("bytes=0-9", 0, 9), ("bytes=100-", 100, None), ("bytes=-20", None, None)],
)
def test_range_requests(world, client_for, clip, header, start, end):
    data = SAMPLES["opname.wav"][0]
    size = len(data)
    response = client_for(world.champion).get(f"/logboek/audio/{clip.pk}/", HTTP_RANGE=header)
    assert response.status_code == 206
    if start is None:
        start, end = size - 20, size - 1
    if end is None:
        end = size - 1
    assert response["Content-Range"] == f"bytes {start}-{end}/{size}"
    assert response["Content-Length"] == str(end - start + 1)
    assert _body(response) == data[start : end + 1]


@pytest.mark.parametrize("header", ["bytes=999999-", "bytes=abc", "bytes=20-10"])
def test_unsatisfiable_range_gives_416(world, client_for, clip, header):
    response = client_for(world.champion).get(f"/logboek/audio/{clip.pk}/", HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(SAMPLES['opname.wav'][0])}"
