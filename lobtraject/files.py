"""Private files: storing a generated one so that nobody sees half of it, and serving
one with HTTP ranges (for seeking in audio).

Everything goes through Django's storage API (the field's storage), so the same code works
on the local folder and on an S3-compatible bucket (settings.FILE_STORAGE).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse

T = TypeVar("T")


class _ScratchFile(File):
    """A finished scratch file; its path lets the folder storage move it instead of copying."""

    def __init__(self, file, path: Path):
        super().__init__(file, name=path.name)
        self._path = path

    def temporary_file_path(self) -> str:
        return str(self._path)


def _scratch_dir(storage) -> Path:
    # Beside the files on the folder storage, so the move into place is one rename on the same
    # file system; the machine's temporary folder otherwise (an upload copies it anyway).
    if isinstance(storage, FileSystemStorage):
        return Path(storage.location, ".scratch")
    return Path(tempfile.gettempdir(), "lobtraject-scratch")


def save_generated(
    storage, name: str, *, key: str, write: Callable[[BinaryIO], T]
) -> tuple[str, int, T]:
    """Let `write` fill a file, then store it as `name` in `storage`; return the name the
    storage gave it, its size in bytes and what `write` returned.

    Only a complete file reaches the storage: `write` fills a scratch file on this machine,
    named by `key` (e.g. "report-12"), not at random. A worker killed halfway cannot clean up,
    but the retry of the same task writes the same scratch file again, so no orphaned
    half-file stays behind. On the folder storage the finished file is moved into place in one
    rename; on S3 an object exists only once its upload has completed.
    """
    scratch = _scratch_dir(storage)
    scratch.mkdir(parents=True, exist_ok=True)
    temporary = scratch / f".{key}.part"
    try:
        with open(temporary, "wb+") as output:
            result = write(output)
            output.flush()
            size = os.fstat(output.fileno()).st_size
            output.seek(0)
            stored = storage.save(name, _ScratchFile(output, temporary))
    finally:
        temporary.unlink(missing_ok=True)
    return stored, size, result


RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _object_range(handle, start: int, length: int):
    """On S3 (django-storages' S3File, whose `obj` is the bucket object) the asked bytes as a
    stream, so that seeking in a long recording does not fetch the whole object each time;
    None on storages whose files are read by seeking (the folder)."""
    s3_object = getattr(getattr(handle, "file", None), "obj", None)
    if s3_object is None or not callable(getattr(s3_object, "get", None)):
        return None
    return s3_object.get(Range=f"bytes={start}-{start + length - 1}")["Body"]


def _file_chunks(handle, start, length, chunk=64 * 1024):
    body = None
    try:
        body = _object_range(handle, start, length)
        if body is not None:
            yield from body.iter_chunks(chunk)
            return
        handle.seek(start)
        remaining = length
        while remaining > 0:
            data = handle.read(min(chunk, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        if body is not None:
            body.close()
        handle.close()


def ranged_file_response(request, field, content_type):
    """Serve a private file, honouring a single HTTP Range (for seeking in audio)."""
    try:
        size = field.size
        handle = field.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    range_header = request.headers.get("Range", "").strip()
    if not range_header:
        response = FileResponse(handle, content_type=content_type)
        response["Accept-Ranges"] = "bytes"
        response["Content-Length"] = str(size)
    else:
        match = RANGE_RE.match(range_header)
        start = end = None
        if match and (match.group(1) or match.group(2)):
            if match.group(1):
                start = int(match.group(1))
                end = int(match.group(2)) if match.group(2) else size - 1
            else:
                start = max(size - int(match.group(2)), 0)
                end = size - 1
            end = min(end, size - 1)
        if start is None or start >= size or start > end:
            handle.close()
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            response["Accept-Ranges"] = "bytes"
            return response
        length = end - start + 1
        response = StreamingHttpResponse(
            _file_chunks(handle, start, length), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(length)
        response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def private_download(fieldfile, *, filename: str, content_type: str | None = None):
    """A finished private file as an attachment, never cached; 404 when it is gone."""
    if not fieldfile:
        raise Http404
    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
