"""Reads of the coding workbench; each page costs a fixed number of queries."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Prefetch, Q, Window
from django.db.models.functions import Length, RowNumber, Substr

from dialogues.models import Invitee
from research.models import Pseudonym, PseudonymKind
from trajectories.models import Phase, Sector

from .agreement import Span
from .matrices import Cell, role_of
from .models import Category, Code, Coding, Fragment, Memo

EXAMPLES_PER_CODE = 3


def fragments(*, trajectory_ids, user, organisation="", kind="", coded="", q="", code=None,
              code2=None, by="", value=""):
    """The fragments matching the filters, newest first. Add the coding counts
    with `with_coding_counts` to the rows actually shown.

    `code` (and `code2`) keep fragments with a coding of that code (and of
    both); `by` and `value` keep one column of a code matrix."""
    qs = Fragment.objects.filter(trajectory_id__in=trajectory_ids).select_related(
        "trajectory__organisation"
    )
    for code_id in (code, code2):
        if code_id:
            qs = qs.filter(id__in=Coding.objects.filter(code_id=code_id).values("fragment_id"))
    if by and value:
        qs = qs.filter(**_column_filter(by, value))
    if organisation:
        qs = qs.filter(trajectory__organisation__name__icontains=organisation)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(text__icontains=q) | Q(title__icontains=q))
    if coded == "mine":
        qs = qs.filter(id__in=Coding.objects.filter(coder=user).values("fragment_id"))
    elif coded == "uncoded":
        qs = qs.filter(codings__isnull=True)
    return qs.defer("text").order_by("-occurred_on", "-id")


def with_coding_counts(fragments) -> list[Fragment]:
    """Set `.coding_count` and `.coder_count` on `fragments` in one query.

    Counting in the list query itself would group every matching fragment
    before the page is cut; this counts the shown rows only.
    """
    fragments = list(fragments)
    counts = {
        row["fragment_id"]: row
        for row in Coding.objects.filter(fragment__in=fragments)
        .values("fragment_id")
        .annotate(codings=Count("id"), coders=Count("coder_id", distinct=True))
    }
    for fragment in fragments:
        row = counts.get(fragment.pk, {})
        fragment.coding_count = row.get("codings", 0)
        fragment.coder_count = row.get("coders", 0)
    return fragments


def fragment_codings(fragment: Fragment, *, user=None):
    """The fragment's codings with their memos (two queries however many there are)."""
    qs = (
        fragment.codings.select_related("code", "coder")
        .prefetch_related(Prefetch("memos", queryset=Memo.objects.select_related("author")))
        .order_by("start", "end", "id")
    )
    if user is not None:
        qs = qs.filter(coder=user)
    return list(qs)


def fragment_memos(fragment: Fragment) -> list:
    return list(fragment.memos.select_related("author"))


def segments(text: str, codings) -> list[tuple[str, list]]:
    """Split `text` at every coding boundary: [(piece, codings covering it), ...]."""
    cuts = {0, len(text)}
    for coding in codings:
        cuts.add(min(coding.start, len(text)))
        cuts.add(min(coding.end, len(text)))
    points = sorted(cuts)
    result = []
    for start, end in zip(points, points[1:], strict=False):
        covering = [c for c in codings if c.start <= start and c.end >= end]
        result.append((text[start:end], covering))
    return result


def codebook(*, study, trajectory_ids):
    """Categories (as a flat list in tree order with depth) and codes with counts
    and example quotes, in five queries whatever the size of the codebook.

    The counts are grouped from the codings in scope (the trajectory condition in
    WHERE, where PostgreSQL joins it once) rather than as three aggregate FILTERs,
    each of which evaluated the whole trajectory subquery again."""
    codes = list(Code.objects.filter(study=study).order_by("name"))
    in_scope = Coding.objects.filter(
        code__study=study, fragment__trajectory_id__in=trajectory_ids
    ).order_by()
    counts = {
        row["code_id"]: row
        for row in in_scope.values("code_id").annotate(
            codings=Count("id"),
            fragments=Count("fragment_id", distinct=True),
            coders=Count("coder_id", distinct=True),
        )
    }
    examples: dict[int, list] = {}
    ranked = in_scope.annotate(
        rank=Window(RowNumber(), partition_by=[F("code_id")], order_by=[F("id").asc()]),
        quote=Substr("fragment__text", F("start") + 1, F("end") - F("start")),
    ).values("code_id", "fragment_id", "fragment__title", "quote", "rank")
    for row in ranked.filter(rank__lte=EXAMPLES_PER_CODE):
        examples.setdefault(row["code_id"], []).append(row)
    for code in codes:
        row = counts.get(code.pk, {})
        code.coding_count = row.get("codings", 0)
        code.fragment_count = row.get("fragments", 0)
        code.coder_count = row.get("coders", 0)
        code.examples = examples.get(code.pk, [])
    categories = list(Category.objects.filter(study=study).order_by("name"))
    return tree(categories, codes), codes


def tree(categories, codes) -> list[dict]:
    """Depth-first rows: {"category": c, "depth": n, "codes": [...]} then a row of
    uncategorised codes (category None)."""
    children: dict[int | None, list] = {}
    known = {category.pk for category in categories}
    for category in categories:
        children.setdefault(category.parent_id if category.parent_id in known else None,
                            []).append(category)
    codes_by_category: dict[int | None, list] = {}
    for code in codes:
        codes_by_category.setdefault(code.category_id if code.category_id in known else None,
                                     []).append(code)
    rows: list[dict] = []
    seen: set[int] = set()

    def walk(category, depth):
        if category.pk in seen:
            return
        seen.add(category.pk)
        rows.append({"category": category, "depth": depth,
                     "codes": codes_by_category.get(category.pk, [])})
        for child in children.get(category.pk, []):
            walk(child, depth + 1)

    for category in children.get(None, []):
        walk(category, 0)
    rows.append({"category": None, "depth": 0, "codes": codes_by_category.get(None, [])})
    return rows


def category_paths(categories) -> list[tuple[int, str]]:
    """(id, "Parent › Child") for select boxes."""
    by_id = {category.pk: category for category in categories}
    result = []
    for category in categories:
        parts, node, seen = [], category, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            parts.append(node.name)
            node = by_id.get(node.parent_id)
        result.append((category.pk, " › ".join(reversed(parts))))
    return sorted(result, key=lambda item: item[1].lower())


def paragraph_starts(text: str) -> list[tuple[int, int, str]]:
    """(number, first character, opening words) of each paragraph: lets someone
    without a mouse or JavaScript find the positions to type in."""
    result, position = [], 0
    for number, paragraph in enumerate(text.split("\n\n"), start=1):
        if paragraph.strip():
            result.append((number, position, paragraph.strip()[:60]))
        position += len(paragraph) + 2
    return result


def fragment_ids_to_check(*, trajectory_ids) -> list[int]:
    """Fragments of these trajectories that deduce has not looked at yet."""
    return list(
        Fragment.objects.filter(
            trajectory_id__in=trajectory_ids, names_checked_at__isnull=True
        ).values_list("pk", flat=True)
    )


def person_labels() -> tuple[dict[int, str], dict[str, str], dict[int, str]]:
    """Pseudonym labels by user id, by e-mail address (invitees without account)
    and by invitee id. Call after `pseudonymiser_for_export()`, which allocates
    the missing pseudonyms."""

    by_user: dict[int, str] = {}
    by_email: dict[str, str] = {}
    for kind, number, user_id, email in Pseudonym.objects.values_list(
        "kind", "number", "user_id", "email"
    ):
        label = f"{PseudonymKind(kind).label} {number}"
        if user_id:
            by_user[user_id] = label
        if email:
            by_email[email.lower()] = label
    by_invitee: dict[int, str] = {}
    for invitee_id, user_id, email in Invitee.objects.values_list("id", "user_id", "email"):
        label = by_user.get(user_id) or by_email.get(email.strip().lower())
        if label:
            by_invitee[invitee_id] = label
    return by_user, by_email, by_invitee


def coders(*, trajectory_ids) -> list:
    """The people who coded in these trajectories, by name."""
    ids = Coding.objects.filter(fragment__trajectory_id__in=trajectory_ids).exclude(
        coder=None).values("coder_id")
    return list(get_user_model().objects.filter(pk__in=ids).order_by("first_name", "last_name",
                                                                       "pk"))


def agreement_spans(*, trajectory_ids, coder_ids) -> tuple[list[Span], dict[int, int]]:
    """Every coding of these coders in these trajectories, and each coded
    fragment's length: one query."""
    rows = (
        Coding.objects.filter(fragment__trajectory_id__in=trajectory_ids, coder_id__in=coder_ids)
        .annotate(length=Length("fragment__text"))
        .values_list("id", "fragment_id", "code_id", "coder_id", "start", "end", "length")
    )
    spans, lengths = [], {}
    for pk, fragment, code, coder, start, end, length in rows.iterator(chunk_size=2000):
        spans.append(Span(pk, fragment, code, coder, start, end))
        lengths[fragment] = length
    return spans, lengths


def fragment_texts(fragment_ids) -> dict[int, Fragment]:
    return {f.pk: f for f in Fragment.objects.filter(pk__in=list(fragment_ids)).only(
        "id", "title", "text", "kind", "occurred_on")}


def _column_filter(by: str, value: str) -> dict:
    if by == "organisation":
        return {"trajectory__organisation_id": int(value) if value.isdigit() else 0}
    if by == "sector":
        return {"trajectory__organisation__sector": value}
    if by == "phase":
        return {"trajectory__phase": value}
    if by == "role":
        return {"author_label__regex": rf"^{re.escape(value)} [0-9]+$"} if value != "—" else {
            "author_label": ""}
    return {}


def matrix_cells(*, trajectory_ids, by: str) -> tuple[list[Cell], list[tuple[str, str]]]:
    """Every coding as a matrix cell of column `by`, and the columns (key, label)
    in order: one query."""
    rows = Coding.objects.filter(fragment__trajectory_id__in=trajectory_ids).values_list(
        "fragment_id", "code_id", "start", "end", "fragment__trajectory__organisation_id",
        "fragment__trajectory__organisation__name", "fragment__trajectory__organisation__sector",
        "fragment__trajectory__phase", "fragment__author_label",
    )
    cells, labels = [], {}
    for fragment, code, start, end, org_id, org_name, sector, phase, author in rows.iterator(
        chunk_size=2000
    ):
        if by == "organisation":
            key, label = str(org_id), org_name
        elif by == "sector":
            key, label = sector, str(Sector(sector).label) if sector in Sector.values else sector
        elif by == "phase":
            key, label = phase, str(Phase(phase).label) if phase in Phase.values else phase
        else:
            key = role_of(author) or "—"
            label = key
        labels[key] = label
        cells.append(Cell(fragment, code, start, end, key))
    order = {"sector": Sector.values, "phase": Phase.values}.get(by)
    if order:
        columns = [(key, labels[key]) for key in order if key in labels]
    else:
        columns = sorted(labels.items(), key=lambda item: item[1].lower())
    return cells, columns
