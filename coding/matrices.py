"""Code matrices, as MAXQDA's code matrix browser and code relations browser
show them: codes against cases (organisation, sector, the author's role, the
trajectory's phase), and codes against codes (in one fragment, or in
overlapping segments). Built in memory from one list of codings."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

DIMENSIONS = ("organisation", "sector", "role", "phase")


@dataclass(frozen=True)
class Cell:
    fragment_id: int
    code_id: int
    start: int
    end: int
    column: str


def role_of(author_label: str) -> str:
    """ "Aanjager 2" → "Aanjager": a pseudonym starts with the role word."""
    word, _space, number = (author_label or "").rpartition(" ")
    return word if number.isdigit() else (author_label or "")


def heat(value: int, top: int) -> int:
    """0 for nothing, 1–5 by share of the largest cell."""
    if not value or not top:
        return 0
    return max(1, min(5, -(-5 * value // top)))


def code_by_case(cells: list[Cell]) -> dict[tuple[int, str], dict]:
    """{(code, column): {"codings": n, "fragments": n}}."""
    codings: dict[tuple[int, str], int] = defaultdict(int)
    fragments: dict[tuple[int, str], set] = defaultdict(set)
    for cell in cells:
        codings[(cell.code_id, cell.column)] += 1
        fragments[(cell.code_id, cell.column)].add(cell.fragment_id)
    return {
        key: {"codings": count, "fragments": len(fragments[key])} for key, count in codings.items()
    }


def co_occurrence(cells: list[Cell], *, overlapping: bool) -> dict[tuple[int, int], int]:
    """{(code a, code b): fragments where both occur} with a < b; with
    `overlapping`, only where a segment of one overlaps a segment of the other."""
    by_fragment: dict[int, list[Cell]] = defaultdict(list)
    for cell in cells:
        by_fragment[cell.fragment_id].append(cell)
    result: dict[tuple[int, int], int] = defaultdict(int)
    for spans in by_fragment.values():
        pairs = set()
        if overlapping:
            for first, second in combinations(spans, 2):
                if (
                    first.code_id != second.code_id
                    and first.start < second.end
                    and second.start < first.end
                ):
                    pairs.add(tuple(sorted((first.code_id, second.code_id))))
        else:
            pairs = set(combinations(sorted({span.code_id for span in spans}), 2))
        for pair in pairs:
            result[pair] += 1
    return dict(result)
