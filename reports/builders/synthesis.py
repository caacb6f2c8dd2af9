"""The cross-case synthesis of a study as a PDF (the page is coding's): each organisation a
column, the study's own results in rows. A PDF page holds a few columns, so the cases are
printed in groups with the row labels repeated; the figures are the page's, from the same
function, in the same number of queries."""

from __future__ import annotations

from coding.synthesis import cross_case
from trajectories.models import Study

# Organisations side by side on one A4 page (portrait), besides the row labels.
CASES_PER_TABLE = 4


def _columns(rows: list[dict], start: int, stop: int, *, keep_empty: bool) -> list[dict]:
    """The rows cut to the cases [start, stop); rows empty for all of them left out."""
    cut = [{**row, "cells": row["cells"][start:stop]} for row in rows]
    return cut if keep_empty else [row for row in cut if any(row["cells"])]


def synthesis_context(study: Study, audience: str) -> dict:
    result = cross_case(study=study, trajectory_ids=study.trajectories.values("id"))
    cases = result["cases"]
    groups = []
    for start in range(0, len(cases), CASES_PER_TABLE):
        stop = start + CASES_PER_TABLE
        groups.append(
            {
                "number": start // CASES_PER_TABLE + 1,
                "cases": cases[start:stop],
                # Every goal is a row in every group; other rows only where they say something.
                "goals": _columns(result["goals"], start, stop, keep_empty=True),
                **{
                    key: _columns(result[key], start, stop, keep_empty=False)
                    for key in ("factors", "interventions", "codes")
                },
            }
        )
    return {"study": study, "cases": cases, "groups": groups}
