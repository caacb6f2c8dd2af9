"""Agreement between two coders, as MAXQDA and NVivo report it.

Character level (NVivo's coding comparison): every character of a compared
fragment is, for each code, coded or not by coder A and by coder B. Over those
units, percentage agreement is the share where both agree (both coded it, or
neither did) and Cohen's kappa corrects that for chance:

    kappa = (p_o - p_e) / (1 - p_e),  p_e = p_A * p_B + (1 - p_A) * (1 - p_B)

where p_A and p_B are the shares of units A and B coded.

Segment level (MAXQDA's intercoder agreement): a segment of one coder agrees
when the other coder gave the same code to a segment of the same fragment
that overlaps it by at least the threshold (overlap / extent of both).

Compared fragments are those both coders coded (with any code); compared
codes are those either of them used there. Everything is computed in memory
from one list of spans, so the pages cost the same number of queries however
many fragments there are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    coding_id: int
    fragment_id: int
    code_id: int
    coder_id: int
    start: int
    end: int


@dataclass
class Counts:
    """Units (characters × codes) by who coded them."""

    both: int = 0
    only_a: int = 0
    only_b: int = 0
    neither: int = 0

    def add(self, other: Counts) -> None:
        self.both += other.both
        self.only_a += other.only_a
        self.only_b += other.only_b
        self.neither += other.neither

    @property
    def total(self) -> int:
        return self.both + self.only_a + self.only_b + self.neither

    @property
    def percentage(self) -> float | None:
        return 100 * (self.both + self.neither) / self.total if self.total else None

    @property
    def kappa(self) -> float | None:
        n = self.total
        if not n:
            return None
        p_o = (self.both + self.neither) / n
        p_a = (self.both + self.only_a) / n
        p_b = (self.both + self.only_b) / n
        p_e = p_a * p_b + (1 - p_a) * (1 - p_b)
        if p_e >= 1:
            return None  # both coded everything, or nothing: kappa is undefined
        return (p_o - p_e) / (1 - p_e)


@dataclass
class SegmentCounts:
    agree: int = 0
    disagree: int = 0

    @property
    def percentage(self) -> float | None:
        total = self.agree + self.disagree
        return 100 * self.agree / total if total else None


def _merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _covered(intervals) -> int:
    return sum(end - start for start, end in intervals)


def _intersection(a, b) -> int:
    total, i, j = 0, 0, 0
    while i < len(a) and j < len(b):
        low, high = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if high > low:
            total += high - low
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def character_counts(a: list[tuple[int, int]], b: list[tuple[int, int]], length: int) -> Counts:
    """The 2 × 2 table of one code in one fragment of `length` characters."""
    a, b = _merge(a), _merge(b)
    both = _intersection(a, b)
    only_a = _covered(a) - both
    only_b = _covered(b) - both
    return Counts(both, only_a, only_b, length - both - only_a - only_b)


def overlap(first: Span, second: Span) -> float:
    """Overlap of two segments as a share of the text both cover together."""
    common = min(first.end, second.end) - max(first.start, second.start)
    if common <= 0:
        return 0.0
    return common / (max(first.end, second.end) - min(first.start, second.start))


@dataclass
class Comparison:
    coder_a: int
    coder_b: int
    threshold: int
    fragments: list[int]
    codes: list[int]
    overall: Counts
    by_code: dict[int, Counts]
    by_fragment: dict[int, Counts]
    segments: SegmentCounts
    segments_by_code: dict[int, SegmentCounts]
    disagreements: list[tuple[Span, list[Span]]]  # unmatched segment, the other coder's spans there


def compare(
    spans: list[Span], lengths: dict[int, int], *, coder_a: int, coder_b: int, threshold: int = 90
) -> Comparison:
    """Compare coder A and coder B on `spans` (codings of both, any fragment);
    `lengths` gives each fragment's length in characters."""
    coded_by = defaultdict(set)
    for span in spans:
        coded_by[span.coder_id].add(span.fragment_id)
    fragments = sorted(coded_by[coder_a] & coded_by[coder_b])
    compared = set(fragments)
    spans = [s for s in spans if s.fragment_id in compared and s.coder_id in (coder_a, coder_b)]
    codes = sorted({s.code_id for s in spans})
    cell: dict[tuple[int, int, int], list] = defaultdict(list)  # (fragment, code, coder)
    of_coder: dict[tuple[int, int], list] = defaultdict(list)  # (fragment, coder)
    for span in spans:
        cell[(span.fragment_id, span.code_id, span.coder_id)].append(span)
        of_coder[(span.fragment_id, span.coder_id)].append(span)

    overall, by_code, by_fragment = Counts(), defaultdict(Counts), defaultdict(Counts)
    segments, segments_by_code = SegmentCounts(), defaultdict(SegmentCounts)
    disagreements = []
    for fragment in fragments:
        length = lengths.get(fragment, 0)
        for code in codes:
            mine = cell.get((fragment, code, coder_a), [])
            theirs = cell.get((fragment, code, coder_b), [])
            counts = character_counts(
                [(s.start, s.end) for s in mine], [(s.start, s.end) for s in theirs], length
            )
            overall.add(counts)
            by_code[code].add(counts)
            by_fragment[fragment].add(counts)
            for own, other, other_coder in ((mine, theirs, coder_b), (theirs, mine, coder_a)):
                for span in own:
                    if any(overlap(span, candidate) * 100 >= threshold for candidate in other):
                        segments.agree += 1
                        segments_by_code[code].agree += 1
                        continue
                    segments.disagree += 1
                    segments_by_code[code].disagree += 1
                    around = [
                        s
                        for s in of_coder[(fragment, other_coder)]
                        if s.start < span.end and s.end > span.start
                    ]
                    disagreements.append((span, around))
    disagreements.sort(key=lambda item: (item[0].fragment_id, item[0].start, item[0].coder_id))
    return Comparison(
        coder_a,
        coder_b,
        threshold,
        fragments,
        codes,
        overall,
        dict(by_code),
        dict(by_fragment),
        segments,
        dict(segments_by_code),
        disagreements,
    )
