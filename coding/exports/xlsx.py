"""The XLSX export: one write-only sheet per table."""

from __future__ import annotations

from typing import IO

from .tables import Scope, _Progress, clean, tables

XLSX_CELL_LIMIT = 32767


def write_xlsx(out: IO[bytes], scope: Scope, progress: _Progress) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for table in tables(scope):
        sheet = workbook.create_sheet(title=table.name[:31])
        sheet.append(table.columns)
        for row in table.rows():
            sheet.append([_xlsx_value(sheet, value) for value in row])
            progress.tick()
    workbook.save(out)


def _xlsx_value(sheet, value):
    if not isinstance(value, str):
        return value
    # Excel refuses longer cells; the full text is in the other formats.
    value = clean(value)[:XLSX_CELL_LIMIT]
    if value.startswith("="):
        # openpyxl would store this as a formula; a participant's words are text.
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        return cell
    return value
