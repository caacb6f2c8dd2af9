"""The payload list of issue 20 and the check that a page shows it as text, not markup."""

from __future__ import annotations

import re
from html.parser import HTMLParser

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{7*7}}",
    "<meta http-equiv=refresh content=0;url=//example.org>",
]
# What a payload would add to a page if it were printed unescaped.
LIVE_MARKUP = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<meta http-equiv=refresh",
]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}


class _LiveParts(HTMLParser):
    """Elements and attributes a browser would act on that came from a payload."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "img" and attributes.get("src") == "x":
            self.found.append("<img src=x>")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.found.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            if name.startswith("on") and "alert(1)" in (value or ""):
                self.found.append(f"{tag} {name}=")
            if name in URL_ATTRIBUTES and re.sub(r"\s", "", value or "").lower().startswith(
                "javascript:"
            ):
                self.found.append(f"{tag} {name}={value!r}")

    def handle_data(self, data):
        pass


def live_markup(html: str) -> list[str]:
    """What of the payloads a browser would run or follow on this page."""
    parser = _LiveParts()
    parser.feed(html)
    found = list(parser.found)
    found += [marker for marker in LIVE_MARKUP if marker in html]
    # Template syntax typed by a user must not have been evaluated (49 where {{7*7}} was).
    return found


def assert_escaped_in_html(html: str, payloads=PAYLOADS) -> None:
    found = live_markup(html)
    assert not found, f"payload printed as markup: {found}"
