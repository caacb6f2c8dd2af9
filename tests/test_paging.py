"""lobtraject.paging: list pages count at most a window past the current page.

The window and the calendar's page size are made small here, so a few hundred
half-days (one bulk insert) stand for the 6,000 trajectories of a national
programme.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lobtraject import paging
from lobtraject import views as lobtraject_views
from trajectories.models import HalfDay
from trajectories.selectors import calendar

AMS = ZoneInfo("Europe/Amsterdam")
URL = "/trajecten/kalender/?maand=2026-10"


@pytest.fixture
def small_pages(monkeypatch):
    """Five half-days a page, counted two pages ahead: more than 10 is "meer dan"."""
    monkeypatch.setattr(paging, "WINDOW", 2)
    monkeypatch.setattr(calendar, "CALENDAR_PAGE_SIZE", 5)


def _half_days(trajectory, number, start=0):
    first = datetime(2026, 10, 1, 8, 0, tzinfo=AMS)
    HalfDay.objects.bulk_create(
        HalfDay(
            trajectory=trajectory,
            title=f"Dagdeel {n}",
            starts_at=first + timedelta(minutes=n),
            ends_at=first + timedelta(minutes=n, hours=3),
        )
        for n in range(start, start + number)
    )


def _calendar(client, page=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL if page is None else f"{URL}&page={page}")
    assert response.status_code == 200
    html = response.content.decode()
    return html, [query["sql"] for query in queries.captured_queries]


def _shown(html):
    return [
        int(line.split("Dagdeel ")[1].split("<")[0].split()[0])
        for line in html.split('class="calendar-half-day"')[1:]
    ]


def test_a_long_list_counts_a_window_not_every_row(world, client_for, small_pages):
    client = client_for(world.coach)
    _half_days(world.trajectory, 30)
    client.get(URL)  # warm up session and caches
    html, queries = _calendar(client)
    assert "Pagina 1 van meer dan 2" in html
    assert "Meer dan 10 dagdelen deze maand." in html
    assert 'href="?maand=2026-10&amp;page=2">Volgende</a>' in html
    assert _shown(html) == [0, 1, 2, 3, 4]
    counts = [sql for sql in queries if "COUNT(" in sql and "trajectories_halfday" in sql]
    assert len(counts) == 1 and "LIMIT 11)" in counts[0], counts

    _half_days(world.trajectory, 270, start=30)
    html, more = _calendar(client)
    assert "Pagina 1 van meer dan 2" in html and _shown(html) == [0, 1, 2, 3, 4]
    assert len(more) == len(queries)


def test_a_list_inside_the_window_is_counted_exactly(world, client_for, small_pages):
    _half_days(world.trajectory, 12)
    html, _queries = _calendar(client_for(world.coach), page=2)
    assert "Pagina 2 van 3" in html and "meer dan" not in html
    assert "12 dagdelen deze maand." in html
    assert _shown(html) == [5, 6, 7, 8, 9]
    assert "page=1" in html and "page=3" in html


def test_the_window_moves_along_with_the_page(world, client_for, small_pages):
    _half_days(world.trajectory, 300)
    client = client_for(world.coach)
    html, queries = _calendar(client, page=20)
    assert "Pagina 20 van meer dan 21" in html
    assert _shown(html) == [95, 96, 97, 98, 99]
    assert "page=19" in html and "page=21" in html
    assert any("LIMIT 106)" in sql for sql in queries if "COUNT(" in sql)
    html, _queries = _calendar(client, page=21)
    assert "Pagina 21 van meer dan 22" in html and "page=22" in html
    # The last page is counted exactly: no Next.
    html, _queries = _calendar(client, page=60)
    assert "Pagina 60 van 60" in html and "Volgende" not in html
    assert _shown(html) == [295, 296, 297, 298, 299]


@pytest.mark.parametrize(
    "page, expected",
    [
        ("999999", "Pagina 60 van 60"),
        ("abc", "Pagina 1 van meer dan 2"),
        ("0", "Pagina 2 van meer dan 2"),
        ("-3", "Pagina 2 van meer dan 2"),
        ("9" * 30, "Pagina 60 van 60"),
        ("2.5", "Pagina 1 van meer dan 2"),
    ],
)
def test_page_numbers_that_are_no_page_give_a_page(world, client_for, small_pages, page, expected):
    """As Django's get_page: past the end the last page, not a number the first,
    below 1 the last known page."""
    _half_days(world.trajectory, 300)
    html, _queries = _calendar(client_for(world.coach), page=page)
    assert expected in html
    assert len(_shown(html)) == 5


def test_the_landing_page_says_more_than(world, client_for, monkeypatch):
    """The coach has two trajectories; counted one page of one ahead, that is
    "meer dan 1"."""
    monkeypatch.setattr(paging, "WINDOW", 1)
    monkeypatch.setattr(lobtraject_views, "LANDING_PAGE_SIZE", 1)
    html = client_for(world.coach).get("/").content.decode()
    assert "1–1 van meer dan 1 trajecten" in html
    monkeypatch.setattr(lobtraject_views, "LANDING_PAGE_SIZE", 2)
    html = client_for(world.coach).get("/").content.decode()
    assert "1–2 van 2 trajecten" in html


def test_lists_keep_their_count_and_a_one_page_window_still_offers_next(world, monkeypatch):
    monkeypatch.setattr(paging, "WINDOW", 1)
    in_memory = paging.Paginator(list(range(30)), 5).get_page(1)
    assert (in_memory.paginator.count, in_memory.paginator.capped) == (30, False)
    _half_days(world.trajectory, 12)
    page = paging.Paginator(HalfDay.objects.order_by("starts_at"), 5).get_page(2)
    assert page.paginator.capped and page.paginator.num_pages == 2
    assert page.has_next() and page.next_page_number() == 3
    assert [day.title for day in page] == [f"Dagdeel {n}" for n in range(5, 10)]
