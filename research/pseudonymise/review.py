"""deduce, the slow and untrusted safety net: built once per process and installation."""

from __future__ import annotations

import fcntl
import gc
import hashlib
import tempfile
import threading
from importlib.util import find_spec
from pathlib import Path

_deduce = None
_deduce_lock = threading.Lock()


def get_deduce():
    """The process-wide deduce instance; constructing it reads large lookup tables.

    deduce keeps those tables in a pickle inside its package and rebuilds it
    (about two minutes) when it thinks the cache is stale; it writes the file in
    place, so another process reading it at that moment gets half a pickle. A
    file lock makes the processes of one installation (web, workers, test
    workers) take turns: the second one finds the cache the first one wrote.
    The lock is named after deduce's install folder, so checkouts with their
    own virtualenv on one machine do not wait for each other.
    """
    global _deduce
    if _deduce is None:
        with _deduce_lock:
            if _deduce is None:
                # Imported here, not at the top: loading deduce costs seconds, and
                # most processes never review a text.
                from deduce import Deduce

                with open(_lock_path(), "a") as lock:
                    fcntl.flock(lock, fcntl.LOCK_EX)
                    try:
                        _deduce = Deduce()
                    finally:
                        fcntl.flock(lock, fcntl.LOCK_UN)
                # Its tables are some 4.5 million objects that live as long as the
                # process. Left to the garbage collector, every full collection walks
                # them all (3 s with the GIL held: a web request or task stalls);
                # frozen, the collector skips them. Building them leaves no cyclic
                # garbage to keep by mistake.
                gc.freeze()
    return _deduce


def _lock_path() -> Path:
    spec = find_spec("deduce")
    install = str(Path(spec.origin).resolve().parent) if spec and spec.origin else "deduce"
    digest = hashlib.sha256(install.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir(), f"lobtraject-deduce-{digest}.lock")
