"""The export over the real broker: a worker process builds it from the database."""

import time
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from coding import services
from coding.models import Export, ExportStatus

from .factories import make_material

pytestmark = [pytest.mark.celery]


def test_the_worker_builds_the_export(celery_live, world, client_for):
    make_material(world)
    services.fragments_sync()
    client = client_for(world.independent)
    response = client.post(reverse("coding:export_request", args=[world.study.pk]),
                           {"fmt": "qdpx"})
    export = Export.objects.get()
    assert response.url == reverse("coding:export", args=[export.pk])
    deadline = time.monotonic() + 60
    while export.status not in (ExportStatus.DONE, ExportStatus.FAILED):
        assert time.monotonic() < deadline, f"export still {export.status}"
        time.sleep(0.5)
        export.refresh_from_db()
    assert export.status == ExportStatus.DONE, export.error
    path = Path(settings.MEDIA_ROOT, export.file.name)
    assert path.parent.name == "exports" and "private" in path.parts
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    assert "project.qde" in names and sum(name.startswith("Sources/") for name in names) == 6
