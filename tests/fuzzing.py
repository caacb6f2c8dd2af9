"""Shared pieces of the fuzz tests: nasty input, form discovery in HTML, row counts,
and the check that a refusal is in Dutch."""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser

from django.apps import apps
from django.db import connection
from hypothesis import strategies as st

# --- generated input --------------------------------------------------------------

FIXED_NASTY = [
    "",
    " ",
    "A" * 20_000,
    "é" * 5_000,
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }} {% debug %}",
    "' OR '1'='1' --",
    "'; DROP TABLE trajectories_trajectory; --",
    "1; SELECT pg_sleep(5)",
    "\u202eשלום עולם\u202c",  # right-to-left override and Hebrew
    "مرحبا بالعالم",
    "😀👩‍👩‍👧‍👦🇳🇱" * 50,
    "\x00",
    "tekst\x00met nul",
    "\x07\x1b[31m\r\n\t\x0b\x0c",
    "\ud7ff\ufeff\ufffe",
    "-1",
    "0",
    "99999999999999999999999999999",
    "-99999999999999999999999999999",
    "1e309",
    "NaN",
    "Infinity",
    "0x10",
    "3.14159",
    "2026-02-30",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "31-12-1899",
    "2026-13-45T25:61",
    "9999-12-31T23:59",
    "true",
    "null",
    "[]",
    "{}",
    "../../../etc/passwd",
    "%00%0d%0a",
    "１２３",  # full-width digits
    "a@b",
    "noreply@demo.test",
]


def text_values():
    return st.one_of(
        st.sampled_from(FIXED_NASTY),
        st.text(max_size=60),  # any unicode, control characters included
        st.integers(min_value=-(2**80), max_value=2**80).map(str),
        st.dates(min_value=datetime.date(1, 1, 1)).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
    )


def value_for(field: dict):
    """A strategy for one field: mostly nasty text, sometimes a value the form offered."""
    offered = [v for v in field.get("options", []) if v is not None]
    if field.get("value"):
        offered.append(field["value"])
    if offered:
        return st.one_of(st.sampled_from(offered), text_values())
    return text_values()


# --- finding forms in a page ------------------------------------------------------


class FormParser(HTMLParser):
    """Collects <form method=post> with their fields (name, type, value, options)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                self._form = {"action": attrs.get("action") or "", "fields": {},
                              "multipart": "multipart" in (attrs.get("enctype") or "")}
                self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = attrs.get("name")
        if tag in ("input", "button") and name:
            kind = (attrs.get("type") or ("submit" if tag == "button" else "text")).lower()
            field = self._form["fields"].setdefault(name, {"type": kind, "options": [], "value": ""})
            if kind in ("checkbox", "radio", "submit", "hidden"):
                field["options"].append(attrs.get("value", "on"))
            else:
                field["value"] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select = self._form["fields"].setdefault(name, {"type": "select", "options": [], "value": ""})
        elif tag == "option" and self._select is not None:
            self._select["options"].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = self._form["fields"].setdefault(name, {"type": "textarea", "options": [], "value": ""})

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data


def post_forms(html: str) -> list[dict]:
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        form["fields"].pop("csrfmiddlewaretoken", None)
    return parser.forms


# --- no partial writes --------------------------------------------------------------

# Tables a request may touch without it being a write of the form's data.
IGNORED_TABLES = {"django_session", "axes_accessattempt", "axes_accessfailurelog", "axes_accesslog"}


def _tables() -> list[str]:
    return sorted(
        {m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed}
        - IGNORED_TABLES
    )


def row_counts() -> dict[str, int]:
    """Rows in every table of the project, in one query."""
    tables = _tables()
    quote = connection.ops.quote_name
    select = ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


def changed(before: dict, after: dict) -> dict:
    return {t: (before[t], after[t]) for t in before if before[t] != after[t]}


# --- Dutch refusals -----------------------------------------------------------------

ENGLISH_DEFAULTS = [
    "This field is required",
    "Enter a valid",
    "Ensure this value",
    "Select a valid choice",
    "No file was submitted",
    "The submitted file is empty",
    "Null characters are not allowed",
    "characters (it has",
    "Enter a whole number",
    "Enter a number",
    "is not a valid",
]
ERROR_MARKERS = re.compile(r'is-invalid|invalid-feedback|class="errorlist|alert-danger')


def english_in(text: str) -> list[str]:
    return [phrase for phrase in ENGLISH_DEFAULTS if phrase in text]
