"""The anonymised export in four formats: JSON, CSV (a zip of tables), XLSX and
REFI-QDA (.qdpx).

Privacy: organisations appear only as their code (ORG-03), people only as
their pseudonym ("Aanjager 2"), every free text has been through the
pseudonymiser (fragment texts when the fragment was made, everything else
here), and nothing of the key is read into the output. Withdrawn persons'
data are absent because withdrawal deleted them; the `withdrawals` table only
says that a withdrawal happened.

Memory: every table is read with `.iterator(chunk_size=…)` and written as it
is read, so peak memory does not grow with the amount of text. What is held
whole is small and bounded by the number of people, organisations and codes
(pseudonym labels, organisation codes, the codebook).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.utils import translation

from .json_csv import write_csv, write_json
from .qdpx import write_qdpx
from .tables import Scope, _Progress, tables
from .xlsx import write_xlsx

WRITERS = {"json": write_json, "csv": write_csv, "xlsx": write_xlsx, "qdpx": write_qdpx}


def export_anonymised(*, out, fmt: str, progress: Callable[[float], None] | None = None,
                      trajectory_ids=None, case_codes: bool = False) -> dict:
    """Write the anonymised export of the trajectories `trajectory_ids` (None: all)
    in format `fmt` to `out` (a path or a binary file). Returns row counts.

    `case_codes` (QDPX): also write each organisation as a code given to its
    whole sources, which is how QualCoder's importer links cases to text."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown export format {fmt!r}")
    with translation.override(settings.LANGUAGE_CODE):
        scope = Scope(trajectory_ids, case_codes=case_codes)
        counts = {
            "sources": scope.fragments().count(),
            "codes": scope.codes().count(),
            "codings": scope.codings().count(),
        }
        total = sum(table.count() for table in tables(scope))
        ticker = _Progress(progress, total + counts["sources"])
        if isinstance(out, (str, Path)):
            with open(out, "wb") as handle:
                WRITERS[fmt](handle, scope, ticker)
        else:
            WRITERS[fmt](out, scope, ticker)
        ticker.finish()
    return counts


__all__ = ["WRITERS", "export_anonymised"]
