"""Demo data for the coding workbench: fragments from every demo source, a
small codebook with a category tree, and codings by two researchers (the
participating and the independent one) so they can compare their work."""

from __future__ import annotations

import re

from lobtraject.demo import DemoContext

from . import services
from .models import Code, Fragment

# (code, category, memo)
CODEBOOK = [
    ("ruimte voor dialoog", "Randvoorwaarden", "Teams noemen tijd en een veilige sfeer als "
     "voorwaarde om over loopbaanbegeleiding te praten."),
    ("faciliterend management", "Randvoorwaarden", ""),
    ("zichtbare aanjager", "Rol van de aanjager", ""),
    ("motiverend kader", None, ""),
    ("handelingsverlegenheid", "Competenties", "Docenten weten niet altijd wat ze kunnen "
     "vragen; vaak een kwestie van houding, niet van kennis."),
    ("eigen rol ontdekken", "Competenties", ""),
]
SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


def _spans(text: str) -> list[tuple[int, int]]:
    """The character spans of the first sentences of a text (leading spaces skipped)."""
    spans = []
    for match in SENTENCE.finditer(text):
        start = match.start() + (len(match.group()) - len(match.group().lstrip()))
        if match.end() - start >= 12:
            spans.append((start, match.end()))
        if len(spans) == 3:
            break
    return spans


def seed(ctx: DemoContext) -> None:
    made = services.fragments_sync(pseudonymiser=ctx.pseudonymiser)
    main = ctx.trajectories.get("main")
    researcher = ctx.users.get("onderzoeker")
    independent = ctx.users.get("onafhankelijk")
    if main is None or researcher is None or independent is None:
        return
    study = main.study
    if Code.objects.filter(study=study).exists():
        return  # already seeded: running twice adds nothing
    categories = {}
    top = services.category_create(study=study, name="Voorwaarden en ingrediënten",
                                   user=researcher)
    for name in ("Randvoorwaarden", "Rol van de aanjager", "Competenties"):
        categories[name] = services.category_create(study=study, name=name, parent=top,
                                                    user=researcher)
    codes = []
    for name, category, memo in CODEBOOK:
        code = services.code_create(study=study, name=name, user=researcher,
                                    category=categories.get(category))
        if memo:
            services.memo_add(code=code, text=memo, user=researcher)
        codes.append(code)
    fragments = Fragment.objects.filter(trajectory=main).order_by("occurred_on", "id")[:16]
    codings = 0
    for number, fragment in enumerate(fragments):
        spans = _spans(fragment.text)
        if not spans:
            continue
        start, end = spans[0]
        services.coding_add(fragment=fragment, user=researcher, start=start, end=end,
                            codes=[codes[number % len(codes)]])
        # The independent researcher codes the same material, sometimes the same
        # span with another code: the two compare and discuss.
        start, end = spans[-1]
        services.coding_add(fragment=fragment, user=independent, start=start, end=end,
                            codes=[codes[(number + 2) % len(codes)]])
        codings += 2
        if number % 2 == 0:
            # Half the time both give the first sentence the same code, the
            # independent researcher a little shorter: agreement to compare.
            start, end = spans[0]
            services.coding_add(fragment=fragment, user=independent,
                                start=start + (number % 4), end=end,
                                codes=[codes[number % len(codes)]])
            codings += 1
    ctx.log.append(f"coding: {made} fragments, {len(codes)} codes, {codings} codings")
