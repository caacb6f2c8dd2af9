"""HTML → PDF with WeasyPrint. Fonts come from Debian's packages (fontconfig); nothing is fetched."""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher


class StaticOnlyFetcher(URLFetcher):
    """Loads our own static files and nothing else: a report never goes online."""

    def __init__(self, static_root: Path):
        super().__init__(allowed_protocols={"file"})
        self.static_root = static_root

    def fetch(self, url, headers=None):
        path = Path(url.removeprefix("file://").split("?")[0]).resolve()
        if not path.is_relative_to(self.static_root):
            raise ValueError(f"a report may not load {url}")
        return super().fetch(url, headers)


def render_html(template: str, context: dict) -> str:
    return render_to_string(template, context)


def html_to_document(html: str):
    """The laid-out WeasyPrint document (its pages), before it is written as a PDF."""
    static_root = Path(settings.BASE_DIR, "static").resolve()
    return HTML(
        string=html, base_url=static_root.as_uri() + "/", url_fetcher=StaticOnlyFetcher(static_root)
    ).render()


def document_to_pdf(document) -> bytes:
    # custom_metadata: the classification (<meta name="classification-…">) goes
    # into the PDF's document information, where a research database reads it.
    return document.write_pdf(custom_metadata=True)


def html_to_pdf(html: str) -> bytes:
    return document_to_pdf(html_to_document(html))
