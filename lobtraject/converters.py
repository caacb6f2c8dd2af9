"""Path converters with bounds, so no URL can carry a value the database or a
view cannot take (security review F7: a 20-digit id reached SQLite and gave a
500).

Every route of the project uses one of these (tests/hardening/test_urls.py
checks it); Django's `int` and `str` match values of any length.

- `id`: a row id, 1 to 19 digits and at most the largest 64-bit integer (the
  range of BigAutoField and of PostgreSQL's bigint).
- `token`: a signed personal link or a calendar-feed token (URL-safe base64
  with ":" separators, "." when compressed), at most 300 characters.
- `code`: a session's short code, 4 to 8 letters or digits.
- `person`: "u-<id>" or "i-<id>" (a user or an invitee).
- `word`: a fixed Dutch name in a URL (a kind of open action, "eindgesprekken-plannen"):
  lower-case letters and hyphens, at most 40 characters.

A value outside the bounds does not match, which is a 404.
"""

from __future__ import annotations

from django.urls import register_converter

MAX_ID = 2**63 - 1


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("id out of range")  # Django treats this as no match
        return number

    def to_url(self, value) -> str:
        number = int(value)
        if not 0 <= number <= MAX_ID:
            raise ValueError("id out of range")
        return str(number)


class _Text:
    regex = ""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


class TokenConverter(_Text):
    regex = "[A-Za-z0-9_.:-]{1,300}"


class CodeConverter(_Text):
    regex = "[A-Za-z0-9]{4,8}"


class WordConverter(_Text):
    regex = "[a-z][a-z-]{0,39}"


class PersonConverter(_Text):
    regex = "[ui]-[0-9]{1,19}"

    def to_python(self, value: str) -> str:
        if int(value[2:]) > MAX_ID:
            raise ValueError("id out of range")
        return value


BOUNDED = {
    "id": IdConverter,
    "token": TokenConverter,
    "code": CodeConverter,
    "person": PersonConverter,
    "word": WordConverter,
}

for _name, _converter in BOUNDED.items():
    register_converter(_converter, _name)
