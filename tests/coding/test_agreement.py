"""Agreement between two coders, checked against a worked example computed by hand."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coding import services
from coding.agreement import Counts, Span, compare
from coding.models import Code, Coding, Memo

from .factories import FragmentFactory

A, B = 1, 2
X, Y = 10, 11
F1, F2 = 100, 101


def _example():
    """Two fragments, two codes, two coders.

    Fragment 1 has 20 characters, fragment 2 has 10.
      code X: A codes 1[0, 10) and 2[0, 4); B codes 1[2, 10).
      code Y: B codes 2[6, 10).
    Both coders coded both fragments, so both are compared.
    """
    spans = [
        Span(1, F1, X, A, 0, 10),
        Span(2, F2, X, A, 0, 4),
        Span(3, F1, X, B, 2, 10),
        Span(4, F2, Y, B, 6, 10),
    ]
    return spans, {F1: 20, F2: 10}


def test_kappa_and_percentage_of_the_worked_example():
    """The arithmetic, per character (units = characters x codes):

    Code X over both fragments (30 units):
      fragment 1: both 8 (2–10), only A 2 (0–2), only B 0, neither 10
      fragment 2: both 0, only A 4 (0–4), only B 0, neither 6
      total:      both 8, only A 6, only B 0, neither 16
      p_o = (8 + 16) / 30 = 0.8                      → 80.0 %
      p_A = 14/30, p_B = 8/30
      p_e = (14·8 + 16·22) / 900 = 464 / 900
      kappa = (720 − 464) / (900 − 464) = 256 / 436 = 0.5872

    Code Y (30 units): only B 4, neither 26
      p_o = 26/30 → 86.7 %; p_A = 0, p_B = 4/30, p_e = 26/30 = p_o → kappa 0

    Fragment 1 (20 characters × 2 codes = 40 units): both 8, only A 2, neither 30
      p_o = 38/40 = 0.95 → 95.0 %; p_A = 0.25, p_B = 0.2
      p_e = 0.25·0.2 + 0.75·0.8 = 0.65; kappa = 0.30 / 0.35 = 0.8571

    Fragment 2 (10 × 2 = 20 units): only A 4 (X), only B 4 (Y), neither 12
      p_o = 0.6 → 60.0 %; p_A = p_B = 0.2, p_e = 0.04 + 0.64 = 0.68
      kappa = (0.6 − 0.68) / 0.32 = −0.25

    Everything (60 units): both 8, only A 6, only B 4, neither 42
      p_o = 50/60 → 83.3 %; p_A = 14/60, p_B = 12/60
      p_e = (14·12 + 46·48) / 3600 = 2376 / 3600
      kappa = (3000 − 2376) / (3600 − 2376) = 624 / 1224 = 0.5098

    Segments (overlap = common / extent of both): X in fragment 1 is 8/10 = 80 %.
      threshold 90: no segment agrees: 0 of 4 → 0 %
      threshold 75: A's and B's X segment in fragment 1 agree: 2 of 4 → 50 %
    """
    spans, lengths = _example()
    result = compare(spans, lengths, coder_a=A, coder_b=B, threshold=90)

    assert result.fragments == [F1, F2]
    assert result.by_code[X] == Counts(both=8, only_a=6, only_b=0, neither=16)
    assert result.by_code[X].percentage == pytest.approx(80.0)
    assert result.by_code[X].kappa == pytest.approx(256 / 436)
    assert round(result.by_code[X].kappa, 4) == 0.5872
    assert result.by_code[Y].percentage == pytest.approx(100 * 26 / 30)
    assert result.by_code[Y].kappa == pytest.approx(0.0)
    assert result.by_fragment[F1].percentage == pytest.approx(95.0)
    assert result.by_fragment[F1].kappa == pytest.approx(0.30 / 0.35)
    assert result.by_fragment[F2].percentage == pytest.approx(60.0)
    assert result.by_fragment[F2].kappa == pytest.approx(-0.25)
    assert result.overall == Counts(both=8, only_a=6, only_b=4, neither=42)
    assert result.overall.percentage == pytest.approx(100 * 50 / 60)
    assert result.overall.kappa == pytest.approx(624 / 1224)
    assert (result.segments.agree, result.segments.disagree) == (0, 4)
    assert len(result.disagreements) == 4

    loose = compare(spans, lengths, coder_a=A, coder_b=B, threshold=75)
    assert (loose.segments.agree, loose.segments.disagree) == (2, 2)
    assert loose.segments.percentage == pytest.approx(50.0)
    unmatched = {
        (span.coding_id, tuple(s.coding_id for s in around)) for span, around in loose.disagreements
    }
    # A's X in fragment 2 (0–4) and B's Y there (6–10) do not overlap: neither
    # has anything of the other coder beside it.
    assert unmatched == {(2, ()), (4, ())}
    strict = {
        (span.coding_id, tuple(s.coding_id for s in around))
        for span, around in result.disagreements
    }
    # At 90 % the X segments of fragment 1 disagree and face each other.
    assert {(1, (3,)), (3, (1,))} <= strict


def test_kappa_is_undefined_when_both_coded_everything():
    assert Counts(both=10).kappa is None
    assert Counts(neither=10).kappa is None
    assert Counts().percentage is None


def test_overlapping_spans_of_one_coder_count_once_and_uncompared_fragments_are_left_out():
    spans = [
        Span(1, F1, X, A, 0, 6),
        Span(2, F1, X, A, 4, 10),
        Span(3, F1, X, B, 0, 10),
        Span(4, F2, X, A, 0, 10),
    ]  # B never coded fragment 2
    result = compare(spans, {F1: 10, F2: 10}, coder_a=A, coder_b=B)
    assert result.fragments == [F1]
    assert result.by_code[X] == Counts(both=10)


def _code(world, text, spans_a, spans_b):
    fragment = FragmentFactory(trajectory=world.trajectory, text=text)
    for start, end, name in spans_a:
        services.coding_add(
            fragment=fragment, user=world.researcher, start=start, end=end, new_names=[name]
        )
    for start, end, name in spans_b:
        services.coding_add(
            fragment=fragment, user=world.independent, start=start, end=end, new_names=[name]
        )
    return fragment


def _query(world, threshold=90):
    return {"a": world.researcher.pk, "b": world.independent.pk, "threshold": threshold}


def test_agreement_page_shows_the_worked_example(world, client_for):
    _code(world, "a" * 20, [(0, 10, "x")], [(2, 10, "x")])
    _code(world, "b" * 10, [(0, 4, "x")], [(6, 10, "y")])
    client = client_for(world.researcher)
    response = client.get(reverse("coding:agreement", args=[world.study.pk]), _query(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert "83,3 %" in html and "0,51" in html  # everything together
    assert "80,0 %" in html and "0,59" in html  # code x
    assert "95,0 %" in html and "0,86" in html and "-0,25" in html  # per source
    same = client.get(
        reverse("coding:agreement", args=[world.study.pk]),
        {"a": world.researcher.pk, "b": world.researcher.pk},
    )
    assert "Kies twee verschillende codeurs." in same.content.decode()


@pytest.mark.parametrize("name", ["coding:agreement", "coding:disagreements"])
def test_agreement_pages_cost_the_same_queries_for_more_fragments(world, client_for, name):
    client = client_for(world.researcher)
    url = reverse(name, args=[world.study.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, _query(world)).status_code == 200
        return len(queries)

    _code(
        world,
        "De mentoren praten met hun klas over keuzes.",
        [(0, 12, "mentoren")],
        [(4, 20, "mentoren"), (21, 30, "klas")],
    )
    few = count()
    for number in range(12):
        _code(
            world,
            f"Fragment {number}: het team wil meer tijd voor gesprekken.",
            [(0, 10, "tijd"), (12, 20, f"code {number % 3}")],
            [(2, 10, "tijd")],
        )
    many = count()
    assert many == few
    assert few <= 14


def test_disagreements_lead_to_both_codings_and_a_decision_memo(world, client_for):
    fragment = _code(
        world, "Het team wil meer ruimte voor dialoog.", [(18, 37, "ruimte")], [(0, 8, "team")]
    )
    client = client_for(world.independent)
    url = reverse("coding:disagreements", args=[world.study.pk])
    response = client.get(url, _query(world))
    html = response.content.decode()
    mine = Coding.objects.get(coder=world.independent)
    theirs = Coding.objects.get(coder=world.researcher)
    detail = reverse("coding:fragment", args=[fragment.pk])
    assert f'{detail}#coding-{mine.pk}"' in html
    assert f'{detail}#coding-{theirs.pk}"' in html
    assert html.count('class="card mb-3 disagreement"') == 2

    code = Code.objects.get(name="ruimte")
    back = f"{url}?a={world.researcher.pk}&b={world.independent.pk}&threshold=90"
    saved = client.post(
        reverse("coding:memo_add", args=[code.pk]),
        {"text": "Besluit: 'ruimte' geldt ook voor 'team'.", "next": back},
    )
    assert saved.status_code == 302 and saved["Location"] == back
    memo = Memo.objects.get(code=code)
    assert memo.author == world.independent
    # A next that leaves the site is ignored.
    away = client.post(
        reverse("coding:memo_add", args=[code.pk]),
        {"text": "Nog een.", "next": "https://example.org/"},
    )
    assert away["Location"] == reverse("coding:code", args=[code.pk])


def test_disagreements_without_two_coders_go_back_to_the_form(world, client_for):
    response = client_for(world.researcher).get(
        reverse("coding:disagreements", args=[world.study.pk])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("coding:agreement", args=[world.study.pk])
