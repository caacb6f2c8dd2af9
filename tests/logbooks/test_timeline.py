"""The researchers' timeline: merge by date, filters, Dutch full-text search, flat query count."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from logbooks.models import NoteKind
from tests.logbooks.factories import EntryFactory, NoteFactory

pytestmark = pytest.mark.django_db


def url(world, **params):
    from urllib.parse import urlencode

    return f"/logboek/{world.trajectory.pk}/tijdlijn/?{urlencode(params)}"


@pytest.fixture
def material(world):
    EntryFactory(
        trajectory=world.trajectory,
        author=world.champion,
        iso_week=40,
        actions="De gesprekken met ouders over studiekeuze liepen goed.",
        goal_2=True,
    )
    EntryFactory(
        trajectory=world.trajectory,
        author=world.buddy,
        author_role="buddy",
        iso_week=41,
        actions="Ik heb de mentoren bijgepraat.",
        goal_3=True,
    )
    NoteFactory(
        trajectory=world.trajectory,
        created_by=world.researcher,
        title="Observatie intervisie",
        text="Het team sprak over loopbaangesprekken.",
        occurred_on=date(2026, 10, 7),
    )
    NoteFactory(
        trajectory=world.trajectory,
        created_by=world.researcher,
        kind=NoteKind.CONVERSATION,
        title="Gesprek met de directeur",
        text="Over de visie op begeleiding.",
        occurred_on=date(2026, 9, 1),
    )
    # Material of another trajectory never shows.
    EntryFactory(trajectory=world.other, author=world.outsider, actions="Geheim van De Delta")


def test_merged_by_date_newest_first(world, client_for, material):
    html = client_for(world.researcher).get(url(world)).content.decode()
    assert html.index("Observatie intervisie") < html.index("Ik heb de mentoren")
    assert html.index("Ik heb de mentoren") < html.index("De gesprekken met ouders")
    assert html.index("De gesprekken met ouders") < html.index("Gesprek met de directeur")
    assert "Geheim van De Delta" not in html
    assert "4 items" in html


@pytest.mark.parametrize(
    "params, present, absent",
    [
        ({"source": "entry"}, ["mentoren bijgepraat", "ouders"], ["Observatie intervisie"]),
        ({"source": "observation"}, ["Observatie intervisie"], ["ouders", "directeur"]),
        ({"source": "conversation"}, ["directeur"], ["Observatie intervisie"]),
        ({"role": "buddy"}, ["mentoren bijgepraat"], ["ouders", "Observatie intervisie"]),
        ({"role": "researcher"}, ["Observatie intervisie", "directeur"], ["ouders"]),
        ({"goal": "2"}, ["ouders"], ["mentoren bijgepraat", "Observatie intervisie"]),
    ],
)
def test_filters(world, client_for, material, params, present, absent):
    html = client_for(world.researcher).get(url(world, **params)).content.decode()
    for text in present:
        assert text in html, params
    for text in absent:
        assert text not in html, params


def test_full_text_search_finds_dutch_word_forms(world, client_for, material, require_postgres):
    # "gesprek" must find "gesprekken" (Dutch stemming), in entries and notes alike.
    html = client_for(world.researcher).get(url(world, q="gesprek")).content.decode()
    assert "De gesprekken met ouders" in html
    assert "Gesprek met de directeur" in html
    assert "mentoren bijgepraat" not in html
    html = client_for(world.researcher).get(url(world, q="ouder")).content.decode()
    assert "De gesprekken met ouders" in html
    assert "mentoren bijgepraat" not in html
    html = client_for(world.researcher).get(url(world, q="mentor")).content.decode()
    assert "mentoren bijgepraat" in html
    assert "De gesprekken met ouders" not in html


def test_search_fallback_on_other_databases(world, material, monkeypatch):
    from logbooks import timeline

    monkeypatch.setattr(timeline.connection, "vendor", "sqlite")
    page = timeline.timeline_page(
        user=world.researcher,
        trajectory=world.trajectory,
        filters={"q": "mentoren"},
        page_number=1,
    )
    assert [item["object"].actions for item in page.items] == ["Ik heb de mentoren bijgepraat."]


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_page_size(world, client_for, material):
    client = client_for(world.researcher)
    client.get(url(world))  # warm up session and caches
    few = _queries(client, url(world))
    for week in range(1, 30):
        EntryFactory(
            trajectory=world.trajectory,
            author=world.buddy,
            author_role="buddy",
            iso_week=week,
            iso_year=2025,
        )
        NoteFactory(
            trajectory=world.trajectory, created_by=world.researcher, occurred_on=date(2025, 1, 1)
        )
    many = _queries(client, url(world))
    assert many == few, (few, many)
    assert few <= 12
