"""Imported only by the worker of the kill test (see slow_worker_settings.py).

Before a report's finished scratch file is moved into place (the folder storage's
`file_move_safe` renames it) it writes a marker file and sleeps (LOB_SLOW_SECONDS), so the
test can SIGKILL the worker at the worst moment: the bytes are on disk under a temporary
name, the rename has not happened.
"""

import os
import time
from pathlib import Path

_rename = os.rename


def _slow_rename(src, dst, *args, **kwargs):
    marker = os.environ.get("LOB_SLOW_MARKER")
    if marker and str(src).endswith(".part"):
        Path(marker).write_text(f"{src}\n{dst}\n")
        time.sleep(float(os.environ.get("LOB_SLOW_SECONDS", "0")))
    return _rename(src, dst, *args, **kwargs)


os.rename = _slow_rename
