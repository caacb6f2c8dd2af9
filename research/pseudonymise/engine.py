"""The matching engine: known names into one Aho-Corasick automaton, applied on word boundaries.

Pure: it reads no database. `names.pseudonymiser_for_export` feeds it every
name the system knows; tests build one from a fixed cast.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ahocorasick

from .review import get_deduce

EMAIL_PLACEHOLDER = "[e-mail]"
PHONE_PLACEHOLDER = "[telefoon]"

EMAIL_RE = re.compile(r"[\w.%+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Dutch numbers: a trunk 0 (optionally in brackets) or +31/0031, then nine
# digits with spaces, dashes, dots or a closing bracket between them:
# 06-12345678, +31 6 1234 5678, 020-1234567, 0201234567, (020) 123 45 67.
PHONE_RE = re.compile(
    r"""
    (?<![\w+])
    (?:(?:\+|00)31[\s.-]?(?:\(0\)[\s.-]?)? | \(?0)
    [1-9](?:[\s.\-)]{0,2}\d){8}
    (?!\d)
    """,
    re.VERBOSE,
)

# Tussenvoegsels and name particles that start a surname.
_INFIX_WORDS = (
    "van de der den het te ter ten in op 't 'r uit uijt vd v.d. von zu la le du da di dos "
    "del della el al ben bin ibn abu"
)
INFIXES = frozenset(_INFIX_WORDS.split())
# Words in organisation names that do not identify the organisation by themselves.
_GENERIC_WORDS = (
    "het de van voor en college lyceum school scholengemeenschap scholengroep csg pcsg rsg "
    "roc mbo vmbo havo vwo mavo hogeschool universiteit opleiding academie instituut "
    "stichting gymnasium atheneum campus vakcollege praktijkschool locatie"
)
GENERIC_ORGANISATION_WORDS = frozenset(_GENERIC_WORDS.split())
# Dutch words that are also common names; added to deduce's lists of common and
# stop words, which miss these.
_NAME_WORDS = (
    "boer bakker visser kok hoek bos wolf vos mol haan koning prins smit bloem "
    "groot klein lange zwart graaf meer dijk beek brink veen hof huis molen storm winter "
    "zomer post schaap kramer dam hoogland noord zuid oost west ben lot wit jong berg "
    "april mei juni juli augustus maart "
    # Role words: test data and placeholders use them as names ("Docent 3").
    "docent mentor decaan coach teamcoach aanjager maatje leidinggevende onderzoeker "
    "directeur persoon locatie contactpersoon"
)
_EXTRA_COMMON_WORDS = frozenset(_NAME_WORDS.split())

REVIEW_IGNORED_TAGS = frozenset({"datum", "leeftijd"})



@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Lower-case Dutch words that must be capitalised to count as a name."""
    words = set(_EXTRA_COMMON_WORDS)
    base = resources.files("deduce") / "data" / "lookup" / "src" / "whitelist"
    for name in ("lst_common_word", "lst_stop_word"):
        try:
            text = (base / name / "items.txt").read_text(encoding="utf-8")
        except OSError:
            continue
        words.update(line.strip().lower() for line in text.splitlines() if line.strip())
    return frozenset(words)


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    text: str
    replacement: str
    kind: str  # "person", "organisation", "location", "email", "phone"


@dataclass(frozen=True)
class Finding:
    """Something deduce takes for a name or place that the system does not know."""

    start: int
    end: int
    text: str
    tag: str


@dataclass(frozen=True)
class _Entry:
    replacement: str
    kind: str
    capital_only: bool


def _fold(text: str) -> str:
    """Lower case with the same length as `text`, so offsets stay valid."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low.replace("\u2019", "'").replace("\u00a0", " ")


class Pseudonymiser:
    """Replaces known names, e-mail addresses and phone numbers in text.

    Build one with `pseudonymiser_for_export()`. `Pseudonymiser(entries)` takes
    `{variant: (replacement, kind, capital_only)}` or a list of such pairs (the
    same variant may then occur for several people and is merged).
    """

    def __init__(self, entries):
        if isinstance(entries, dict):
            entries = entries.items()
        merged: dict[str, list[_Entry]] = defaultdict(list)
        for variant, (replacement, kind, capital_only) in entries:
            key = _fold(variant.strip())
            if len(key) < 2:
                continue
            merged[key].append(_Entry(replacement, kind, capital_only))
        self._automaton = ahocorasick.Automaton()
        self.size = 0
        for key, candidates in merged.items():
            self._automaton.add_word(key, (len(key), _merge(candidates)))
            self.size += 1
        if self.size:
            self._automaton.make_automaton()

    # -- matching ---------------------------------------------------------

    def matches(self, text: str) -> list[Match]:
        """Every replacement `apply` would make, in order, without overlaps."""
        if not text:
            return []
        fixed: list[Match] = []
        for m in EMAIL_RE.finditer(text):
            fixed.append(Match(m.start(), m.end(), m.group(), EMAIL_PLACEHOLDER, "email"))
        for m in PHONE_RE.finditer(text):
            if not any(f.start < m.end() and m.start() < f.end for f in fixed):
                fixed.append(Match(m.start(), m.end(), m.group(), PHONE_PLACEHOLDER, "phone"))
        fixed.sort(key=lambda m: m.start)

        candidates: list[Match] = []
        if self.size:
            folded = _fold(text)
            length = len(text)
            for end_index, (size, entry) in self._automaton.iter(folded):
                start = end_index - size + 1
                end = end_index + 1
                if start > 0 and folded[start - 1].isalnum():
                    continue
                if end < length and folded[end].isalnum():
                    continue
                if entry.capital_only and not text[start].isupper():
                    continue
                candidates.append(Match(start, end, text[start:end], entry.replacement, entry.kind))
        if fixed:
            candidates = [
                c for c in candidates if not any(f.start < c.end and c.start < f.end for f in fixed)
            ]
        chosen = list(fixed)
        # Leftmost-longest among the names.
        candidates.sort(key=lambda m: (m.start, m.start - m.end))
        last_end = -1
        for candidate in candidates:
            if candidate.start >= last_end:
                chosen.append(candidate)
                last_end = candidate.end
        chosen.sort(key=lambda m: m.start)
        return chosen

    def apply(self, text: str) -> str:
        if not text:
            return text
        found = self.matches(text)
        if not found:
            return text
        parts = []
        position = 0
        for match in found:
            parts.append(text[position : match.start])
            parts.append(match.replacement)
            position = match.end
        parts.append(text[position:])
        return "".join(parts)

    # -- deduce safety net -------------------------------------------------

    def review(self, text: str) -> list[Finding]:
        """Names (and places, institutions) deduce finds that no known name covers.

        Spans refer to `text` as given (the original, not the pseudonymised
        text). The result is for a researcher to judge; `apply` does not use it.
        """
        if not text:
            return []
        known = self.matches(text)
        document = get_deduce().deidentify(text)
        findings = []
        for annotation in document.annotations:
            if annotation.tag in REVIEW_IGNORED_TAGS:
                continue
            start, end = annotation.start_char, annotation.end_char
            if any(k.start < end and start < k.end for k in known):
                continue
            findings.append(Finding(start, end, annotation.text, annotation.tag))
        findings.sort(key=lambda f: (f.start, f.end))
        return findings


def _merge(candidates: list[_Entry]) -> _Entry:
    """One entry for a variant that several people or places share.

    Two people called "Sanne" cannot be told apart from the text; the
    replacement then names both pseudonyms ("Aanjager 2/Docent 7") so nothing
    leaks and the researcher sees the ambiguity.
    """
    replacements = sorted({c.replacement for c in candidates})
    if len(replacements) == 1:
        replacement = replacements[0]
    elif len(replacements) <= 3:
        replacement = "/".join(replacements)
    else:
        replacement = "[naam]"
    kinds = {c.kind for c in candidates}
    return _Entry(
        replacement=replacement,
        kind=kinds.pop() if len(kinds) == 1 else "person",
        capital_only=all(c.capital_only for c in candidates),
    )


# --- name variants ------------------------------------------------------------


def split_name(name: str) -> tuple[str, str, str]:
    """("Fatima", "", "El Amrani") from a free-text name such as an invitee's."""
    tokens = name.split()
    if not tokens:
        return "", "", ""
    if len(tokens) == 1:
        return tokens[0], "", ""
    first, rest = tokens[0], tokens[1:]
    infix = []
    while len(rest) > 1 and rest[0].lower() in INFIXES:
        infix.append(rest.pop(0))
    return first, " ".join(infix), " ".join(rest)


def _possessives(base: str) -> list[str]:
    return [base + "'s", base + "s", base + "'"]


def person_variants(first: str, infix: str, last: str) -> dict[str, tuple[bool, bool]]:
    """{variant: (capital_only, possessive)} for one person."""
    first, infix, last = first.strip(), infix.strip(), last.strip()
    common = common_words()
    base: dict[str, bool] = {}

    def add(variant: str, capital_only: bool = False):
        variant = " ".join(variant.split())
        if len(variant) < 2:
            return
        capital_only = capital_only or variant.lower() in common
        base[variant] = base.get(variant, True) and capital_only

    surname = f"{infix} {last}".strip()
    # An initial ("S.") is no name to look for on its own, only before the surname.
    if len(first.rstrip(".")) >= 2:
        add(first)
        if "-" in first:
            add(first.replace("-", " "))
    if surname:
        add(surname)
        if first:
            add(f"{first} {surname}")
    if infix and last:
        # "Berg" on its own is a word as often as it is the surname of "van der Berg".
        add(last, capital_only=True)
        if first:
            add(f"{first} {last}")
    if last and " " in last:
        final = last.split()[-1]
        if len(final) >= 4:
            add(final, capital_only=True)
    if "-" in last:
        # Double surnames ("Jansen-de Vries"): each part is used on its own too.
        for part in last.split("-"):
            _given, part_infix, part_last = split_name(f"x {part}")
            if len(part_last) >= 3:
                add(f"{part_infix} {part_last}".strip())
                add(part_last, capital_only=True)

    variants = {variant: (capital_only, False) for variant, capital_only in base.items()}
    for variant, capital_only in base.items():
        for possessive in _possessives(variant):
            variants.setdefault(possessive, (capital_only, True))
    return variants


def organisation_variants(
    name: str, short_name: str, aliases: list[str]
) -> dict[str, tuple[bool, bool]]:
    """{variant: (capital_only, possessive)}: full name, short name, aliases, core words."""
    common = common_words()
    variants: dict[str, bool] = {}
    for form in [name, short_name, *aliases]:
        form = " ".join((form or "").split())
        if len(form) < 2:
            continue
        variants[form] = form.lower() in common
    words = [w for w in name.split() if w.lower().strip(".,") not in GENERIC_ORGANISATION_WORDS]
    core = " ".join(words)
    if len(core) >= 4 and core.lower() != name.lower():
        variants.setdefault(core, core.lower() in common)
    result = {form: (capital_only, False) for form, capital_only in variants.items()}
    for form, capital_only in variants.items():
        result.setdefault(form + "'s", (capital_only, True))
        result.setdefault(form + "'", (capital_only, True))
    return result
