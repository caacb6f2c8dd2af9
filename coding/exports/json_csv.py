"""The JSON export and the CSV export (a zip with one file per table)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import IO

from django.utils import timezone

from .tables import FORMAT_VERSION, Scope, _iso, _Progress, tables


def _json_value(value):
    return value if isinstance(value, (bool, int, float)) or value is None else str(value)


def write_json(out: IO[bytes], scope: Scope, progress: _Progress) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="\n")
    try:
        text.write('{"format": "lob-traject-anonymised-export", ')
        text.write(f'"version": {FORMAT_VERSION}, ')
        text.write(f'"exported_at": {json.dumps(_iso(timezone.now()))}, "tables": {{')
        for number, table in enumerate(tables(scope)):
            text.write(("," if number else "") + f"\n{json.dumps(table.name)}: [")
            for index, row in enumerate(table.rows()):
                record = dict(zip(table.columns, map(_json_value, row), strict=True))
                text.write(("," if index else "") + "\n  " + json.dumps(record, ensure_ascii=False))
                progress.tick()
            text.write("\n]")
        text.write("\n}}\n")
        text.flush()
    finally:
        text.detach()  # leave `out` open for the caller


def write_csv(out: IO[bytes], scope: Scope, progress: _Progress) -> None:
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in tables(scope):
            with archive.open(f"{table.name}.csv", "w") as member:
                # utf-8-sig: Excel then reads the accents right.
                text = io.TextIOWrapper(member, encoding="utf-8-sig", newline="")
                writer = csv.writer(text)
                writer.writerow(table.columns)
                for row in table.rows():
                    writer.writerow(row)
                    progress.tick()
                text.flush()
                text.detach()
