"""Writing a generated file so that nobody ever sees half of it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


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
