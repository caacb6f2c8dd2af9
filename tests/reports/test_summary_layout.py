"""What the report PDF's stylesheet must keep while it is made cheaper to lay out
(issue 21, bench/bench_reports.py): on fixed content the same number of pages, a table
of contents whose page numbers point at the pages where the sections start, the fonts
asked for (DejaVu Sans, embedded) and the running header and page numbers."""

import re
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from logbooks.models import Entry, EntryStatus
from reports import pdf, services
from tests import services as test_services
from tests.factories import HalfDayFactory

pytestmark = pytest.mark.django_db

SENTENCES = [
    "Vandaag sprak ik met de mentoren van leerjaar drie over loopbaangesprekken en over wat "
    "leerlingen van ons nodig hebben om een keuze te maken die bij hen past.",
    "De collega's hebben ideeën genoeg, maar weinig tijd; in de keuzeweek willen we dat de "
    "lessen beter aansluiten bij wat leerlingen in hun stage hebben gezien.",
    "Een leerling vertelde over een snuffelstage in de zorg die haar beeld van het beroep "
    "veranderde; dat gesprek nemen we mee naar het teamoverleg.",
]


def _pages_text(path) -> list[str]:
    if not shutil.which("pdftotext"):
        test_services.skip_or_fail("pdftotext (poppler-utils) is needed to read the PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")


def test_summary_keeps_its_pages_contents_and_fonts(world, tmp_path):
    writers = [world.champion, world.buddy, world.coach]
    Entry.objects.bulk_create(
        Entry(
            trajectory=world.trajectory,
            author=writers[number % 3],
            author_role=["champion", "buddy", "coach"][number % 3],
            iso_year=2026,
            iso_week=1 + number // 3,
            week_start=date.fromisocalendar(2026, 1 + number // 3, 1),
            actions=SENTENCES[number % 3],
            effects=SENTENCES[(number + 1) % 3],
            helped=SENTENCES[(number + 2) % 3],
            hindered=SENTENCES[number % 3],
            status=EntryStatus.SUBMITTED,
            submitted_at=timezone.now(),
            goal_1=number % 2 == 0,
            goal_2=number % 3 == 0,
            goal_3=True,
            goal_4=number % 4 == 0,
        )
        for number in range(12)
    )
    start = timezone.now() - timedelta(days=120)
    for number in range(3):
        HalfDayFactory(
            trajectory=world.trajectory,
            starts_at=start + timedelta(days=30 * number),
            title=f"Dagdeel {number + 1}",
            goals=[1, 3],
        )
    html = services.report_html(kind="summary", object_id=world.trajectory.pk)
    document = pdf.html_to_document(html)
    out = tmp_path / "samenvatting.pdf"
    out.write_bytes(pdf.document_to_pdf(document))

    # Fixed content, fixed pages: a stylesheet change that moves text shows up here.
    assert len(document.pages) == 11
    pages = _pages_text(out)
    assert len([page for page in pages if page.strip()]) == 11
    # The table of contents (page 2) gives, for every section, the page it starts on.
    toc = pages[1]
    assert "Inhoud" in toc
    entries = re.findall(r"^\s*(\S.*?\S)\s*\.{4,}\s*(\d+)\s*$", toc, re.MULTILINE)
    titles = [title for title, _ in entries]
    assert titles[:4] == [
        "Waar het traject staat",
        "Het startdocument in het kort",
        "Dagdelen",
        "De vier doelen",
    ]
    assert "Doel 3: Bewustzijn van de rol" in titles
    assert len(entries) == 10
    for title, number in entries:
        # A goal's heading has its full label, the contents its short one.
        start = re.match(r"Doel \d:", title)
        start = start.group(0) if start else title
        heading = re.compile(rf"^\s*{re.escape(start)}", re.MULTILINE)
        starts = [
            index + 1 for index, page in enumerate(pages) if index > 1 and heading.search(page)
        ]
        assert starts and starts[0] == int(number), (title, number, starts)
    # Running header and "Pagina n van m" on every page but the cover.
    assert "Pagina" not in pages[0]
    for number, page in enumerate(pages[1:11], start=2):
        assert f"Pagina {number} van 11" in page
        assert "Trajectsamenvatting — Het Baken College" in page
    # The fonts asked for, embedded (subsets), and no fallback font.
    fonts = set()
    for page in PdfReader(out).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor, font["/BaseFont"]
            fonts.add(font["/BaseFont"].split("+", 1)[1])
    assert fonts == {"DejaVu-Sans", "DejaVu-Sans-Bold", "DejaVu-Sans-Oblique"}
