"""Code matrices: codes × cases and codes × codes, with CSV and drill-down."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coding import services
from coding.matrices import Cell, co_occurrence, heat, role_of

from .factories import FragmentFactory


def test_co_occurrence_in_a_fragment_and_in_overlapping_segments():
    cells = [
        Cell(1, 10, 0, 5, ""),
        Cell(1, 11, 3, 8, ""),
        Cell(1, 12, 20, 30, ""),
        Cell(2, 10, 0, 5, ""),
        Cell(2, 12, 5, 9, ""),  # touching, not overlapping
    ]
    assert co_occurrence(cells, overlapping=False) == {(10, 11): 1, (10, 12): 2, (11, 12): 1}
    assert co_occurrence(cells, overlapping=True) == {(10, 11): 1}


def test_heat_and_role():
    assert [heat(v, 10) for v in (0, 1, 2, 5, 10)] == [0, 1, 1, 3, 5]
    assert role_of("Aanjager 12") == "Aanjager" and role_of("") == ""


def _coded(world):
    first = FragmentFactory(
        trajectory=world.trajectory,
        author_label="Aanjager 1",
        text="Het team wil meer tijd voor gesprekken over loopbaan.",
    )
    second = FragmentFactory(
        trajectory=world.other,
        author_label="Docent 3",
        text="De mentor heeft geen tijd, maar wel ideeën.",
    )
    for fragment in (first, second):
        services.coding_add(
            fragment=fragment, user=world.researcher, start=0, end=20, new_names=["tijd"]
        )
    services.coding_add(
        fragment=first, user=world.researcher, start=10, end=30, new_names=["gesprek"]
    )
    services.coding_add(
        fragment=second, user=world.independent, start=25, end=40, new_names=["ideeën"]
    )
    return first, second


def test_code_by_organisation_and_drill_down(world, client_for):
    first, second = _coded(world)
    client = client_for(world.researcher)
    url = reverse("coding:matrix", args=[world.study.pk])
    html = client.get(url).content.decode()
    assert "Het Baken College" in html and "ROC De Delta" in html
    drill = (
        f"?code={first.codings.get(code__name='tijd').code_id}&amp;by=organisation"
        f"&amp;value={world.organisation.pk}"
    )
    assert drill in html
    fragments = client.get(
        reverse("coding:fragments", args=[world.study.pk]) + drill.replace("&amp;", "&")
    )
    assert first.title in fragments.content.decode()
    assert second.title not in fragments.content.decode()

    rows = list(
        csv.reader(
            io.StringIO(
                client.get(url, {"format": "csv", "by": "role"}).content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    assert rows[0] == ["Code", "Aanjager", "Docent"]
    assert ["tijd", "1", "1"] in rows and ["gesprek", "1", "0"] in rows


def test_co_occurrence_page_and_csv(world, client_for):
    first, _second = _coded(world)
    client = client_for(world.researcher)
    url = reverse("coding:cooccurrence", args=[world.study.pk])

    def table(**params):
        response = client.get(url, {"format": "csv", **params})
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))

    # "ideeën" (25–40) shares the second fragment with "tijd" (0–20) but does not overlap it.
    assert table(mode="fragment") == [
        ["", "gesprek", "ideeën", "tijd"],
        ["gesprek", "", "0", "1"],
        ["ideeën", "0", "", "1"],
        ["tijd", "1", "1", ""],
    ]
    assert table() == [["", "gesprek", "tijd"], ["gesprek", "", "1"], ["tijd", "1", ""]]
    html = client.get(url).content.decode()
    tijd = first.codings.get(code__name="tijd").code_id
    gesprek = first.codings.get(code__name="gesprek").code_id
    assert f"?code={gesprek}&amp;code2={tijd}" in html


@pytest.mark.parametrize("name", ["coding:matrix", "coding:cooccurrence"])
def test_matrix_pages_cost_the_same_queries_for_more_fragments(world, client_for, name):
    client = client_for(world.researcher)
    url = reverse(name, args=[world.study.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    _coded(world)
    few = count()
    for number in range(15):
        fragment = FragmentFactory(
            trajectory=world.other,
            author_label=f"Maatje {number}",
            text=f"Fragment {number}: tijd en ruimte voor dialoog.",
        )
        services.coding_add(
            fragment=fragment,
            user=world.researcher,
            start=0,
            end=15,
            new_names=["tijd", f"extra {number % 4}"],
        )
    many = count()
    assert many == few
    assert few <= 12
