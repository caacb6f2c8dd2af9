"""Private files: writing a generated one so that nobody sees half of it, and serving
one with HTTP ranges (for seeking in audio)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse


@contextmanager
def written_in_one_step(destination: Path, *, key: str) -> Iterator:
    """Yield a binary file to write; on success it becomes `destination` in one
    rename, on an error it is removed.

    The temporary file sits beside the destination under a name fixed by `key`
    (e.g. "report-12"), not a random one: a worker killed halfway cannot clean
    up, but the retry of the same task writes the same temporary file again and
    moves it into place, so no orphaned half-file stays on disk.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    temporary = destination.parent / f".{key}.part"
    try:
        with open(temporary, "wb") as output:
            yield output
        os.replace(temporary, destination)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _file_chunks(handle, start, length, chunk=64 * 1024):
    try:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            data = handle.read(min(chunk, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
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
