"""Open and axial coding: coding spans, codes on the fly, rename, merge,
categories, memos, two coders, and bounded queries on the list pages."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coding import selectors, services
from coding.models import Category, Code, Coding, Fragment, Memo
from research.models import AuditEvent
from tests.factories import MembershipFactory, UserFactory
from trajectories.models import Role

from .factories import make_material


def test_fragments_are_pseudonymised_and_record_whose_words_they_are(world):
    make_material(world, text="Sanne de Vries mailde sanne@school.test.")
    made = services.fragments_sync()
    assert made == 6
    assert services.fragments_sync() == 0  # idempotent
    fragments = {fragment.kind: fragment for fragment in Fragment.objects.all()}
    for fragment in fragments.values():
        assert "Sanne" not in fragment.text and "Vries" not in fragment.text
        assert "sanne@school.test" not in fragment.text
    assert fragments["logbook"].user == world.champion
    assert fragments["interview"].user == world.buddy
    assert fragments["note"].user == world.researcher
    assert fragments["email"].user == world.champion
    assert fragments["harvest_report"].user == world.researcher
    assert fragments["harvest_item"].invitee is not None
    assert fragments["logbook"].author_label.startswith("Aanjager")


def test_coding_a_span_with_existing_and_new_codes(coded):
    fragment = coded.fragment
    codings = services.coding_add(fragment=fragment, user=coded.researcher, start=3, end=10,
                                  codes=[coded.code], new_names=["Visie", " visie "])
    assert len(codings) == 2
    assert Code.objects.filter(study=coded.study, name__iexact="visie").count() == 1
    assert codings[0].quote == fragment.text[3:10]


@pytest.mark.parametrize("start,end", [(5, 5), (-1, 3), (0, 10**6), (8, 2)])
def test_a_span_outside_the_text_is_refused(coded, start, end):
    with pytest.raises(ValidationError):
        services.coding_add(fragment=coded.fragment, user=coded.researcher, start=start,
                            end=end, new_names=["x"])


def test_coding_form_without_javascript(coded, client_for):
    client = client_for(coded.independent)
    url = reverse("coding:coding_add", args=[coded.fragment.pk])
    response = client.post(url, {"start": 0, "end": 4, "codes": [coded.code.pk],
                                 "new_codes": "betrokkenheid, eigenaarschap"})
    assert response.status_code == 302
    names = set(
        Coding.objects.filter(fragment=coded.fragment, coder=coded.independent, start=0, end=4)
        .values_list("code__name", flat=True)
    )
    assert names == {"ruimte voor dialoog", "betrokkenheid", "eigenaarschap"}
    bad = client.post(url, {"start": 9, "end": 3, "new_codes": "x"})
    assert bad.status_code == 400
    assert "Het einde moet na het begin komen." in bad.content.decode() or bad.status_code == 400


def test_two_researchers_see_each_others_codings_and_can_filter_mine(coded, client_for):
    url = reverse("coding:fragment", args=[coded.fragment.pk])
    client = client_for(coded.researcher)
    everyone = client.get(url)
    assert everyone.context["codings"] and {c.coder for c in everyone.context["codings"]} == {
        coded.researcher, coded.independent
    }
    mine = client.get(url + "?show=mine")
    assert {c.coder for c in mine.context["codings"]} == {coded.researcher}
    assert "Annemiek van den Heuvel" in everyone.content.decode()  # the other coder is shown


def test_only_the_coder_removes_a_coding(coded):
    theirs = Coding.objects.filter(coder=coded.independent).first()
    with pytest.raises(ValidationError):
        services.coding_delete(coding=theirs, user=coded.researcher)
    services.coding_delete(coding=theirs, user=coded.independent)
    assert not Coding.objects.filter(pk=theirs.pk).exists()


def test_rename_refuses_an_existing_name_and_is_audited(coded):
    other = Code.objects.exclude(pk=coded.code.pk).first()
    with pytest.raises(ValidationError):
        services.code_rename(code=coded.code, name=other.name.upper(), user=coded.researcher)
    services.code_rename(code=coded.code, name="Ruimte voor de dialoog", user=coded.researcher)
    assert AuditEvent.objects.filter(action="change_code", detail__change="rename").exists()


def test_merge_moves_codings_and_memos_and_removes_the_source(coded):
    source = Code.objects.get(name="open code 0")
    target = coded.code
    Memo.objects.create(code=source, text="Lijkt op ruimte.", author=coded.independent)
    # A duplicate: the same span by the same coder on both codes.
    existing = Coding.objects.filter(code=target).first()
    Coding.objects.create(fragment=existing.fragment, code=source, start=existing.start,
                          end=existing.end, coder=existing.coder)
    before_target = Coding.objects.filter(code=target).count()
    moving = Coding.objects.filter(code=source).count()
    services.code_merge(source=source, target=target, user=coded.researcher)
    assert not Code.objects.filter(pk=source.pk).exists()
    assert Coding.objects.filter(code=target).count() == before_target + moving - 1
    assert target.memos.filter(text="Lijkt op ruimte.").exists()
    event = AuditEvent.objects.get(action="change_code", detail__change="merge")
    assert event.detail["duplicates_dropped"] == 1


def test_merge_into_itself_is_refused(coded):
    with pytest.raises(ValidationError):
        services.code_merge(source=coded.code, target=coded.code, user=coded.researcher)


def test_a_category_cannot_be_placed_inside_its_own_child(coded):
    with pytest.raises(ValidationError):
        services.category_update(category=coded.category, name="Randvoorwaarden",
                                 parent=coded.subcategory, user=coded.researcher)


def test_deleting_a_category_with_children_is_refused(coded):
    with pytest.raises(ValidationError):
        services.category_delete(category=coded.category, user=coded.researcher)
    services.category_delete(category=coded.subcategory, user=coded.researcher)
    coded.code.refresh_from_db()
    assert coded.code.category is None


def test_codebook_shows_counts_and_examples(coded, client_for):
    response = client_for(coded.researcher).get(reverse("coding:codebook",
                                                        args=[coded.study.pk]))
    rows = response.context["rows"]
    assert [row["category"].name for row in rows if row["category"]] == [
        "Randvoorwaarden", "Management"
    ]
    management = next(row for row in rows if row["category"] == coded.subcategory)
    (code,) = management["codes"]
    assert code.coding_count == 6 and code.fragment_count == 6 and code.coder_count == 1
    assert len(code.examples) == selectors.EXAMPLES_PER_CODE
    assert code.examples[0]["quote"] == Fragment.objects.get(
        pk=code.examples[0]["fragment_id"]
    ).text[0:5]


def test_researcher_outside_the_study_team_sees_only_their_trajectory(coded, client_for):
    make_material(coded, trajectory=coded.other)
    services.fragments_sync()
    only_here = UserFactory()
    MembershipFactory(trajectory=coded.trajectory, user=only_here, role=Role.RESEARCHER)
    response = client_for(only_here).get(reverse("coding:fragments", args=[coded.study.pk]))
    assert response.context["page"].paginator.count == 6
    response = client_for(coded.independent).get(reverse("coding:fragments",
                                                         args=[coded.study.pk]))
    assert response.context["page"].paginator.count == 12


def test_fragment_list_filters(coded, client_for):
    client = client_for(coded.researcher)
    url = reverse("coding:fragments", args=[coded.study.pk])
    assert client.get(url + "?kind=logbook").context["page"].paginator.count == 1
    assert client.get(url + "?q=keuzeweek").context["page"].paginator.count == 1
    assert client.get(url + "?coded=uncoded").context["page"].paginator.count == 0
    mine = client.get(url + "?coded=mine").context["page"]
    assert mine.paginator.count == 6
    # The counts still include the other researcher's codings.
    assert {(f.coding_count, f.coder_count) for f in mine.object_list} == {(2, 2)}


def test_fragment_list_filters_by_part_of_the_organisation_name(coded, client_for):
    make_material(coded, trajectory=coded.other)
    services.fragments_sync()
    client = client_for(coded.independent)  # reads both organisations of the study
    url = reverse("coding:fragments", args=[coded.study.pk])
    assert client.get(url).context["page"].paginator.count == 12
    baken = client.get(url + "?organisation=baken").context["page"]
    assert baken.paginator.count == 6
    assert {f.trajectory.organisation.name for f in baken.object_list} == {"Het Baken College"}
    assert client.get(url + "?organisation=Zweinstein").context["page"].paginator.count == 0


def _grow(world, times):
    for _ in range(times):
        make_material(world)
    services.fragments_sync()
    for fragment in Fragment.objects.filter(codings__isnull=True):
        services.coding_add(fragment=fragment, user=world.independent, start=0, end=3,
                            new_names=[f"code {fragment.pk % 7}"])


def test_fragment_list_and_codebook_queries_do_not_grow(coded, client_for,
                                                        django_assert_max_num_queries):
    client = client_for(coded.researcher)
    fragments_url = reverse("coding:fragments", args=[coded.study.pk])
    codebook_url = reverse("coding:codebook", args=[coded.study.pk])
    with django_assert_max_num_queries(12) as small_list:
        client.get(fragments_url)
    # 13: the code counts are grouped from the codings in scope, apart from the codes.
    with django_assert_max_num_queries(13) as small_book:
        client.get(codebook_url)
    _grow(coded, 4)
    with django_assert_max_num_queries(len(small_list.captured_queries)):
        assert client.get(fragments_url).status_code == 200
    with django_assert_max_num_queries(len(small_book.captured_queries)):
        assert client.get(codebook_url).status_code == 200


def test_paragraph_positions_help_without_a_mouse():
    text = "Eerste alinea.\n\nTweede alinea over stages.\n\nDerde."
    starts = selectors.paragraph_starts(text)
    assert [(number, start) for number, start, _words in starts] == [(1, 0), (2, 16), (3, 44)]
    for _number, start, words in starts:
        assert text[start:].startswith(words)


def test_sync_updates_uncoded_fragments_and_keeps_coded_ones(coded):
    from logbooks.models import Entry, ResearchNote

    note = ResearchNote.objects.get()
    entry = Entry.objects.get()
    Fragment.objects.filter(kind="note").first().codings.all().delete()
    ResearchNote.objects.filter(pk=note.pk).update(text="Nieuwe tekst van Sanne de Vries.")
    Entry.objects.filter(pk=entry.pk).update(actions="Helemaal herschreven.")
    assert services.fragments_sync() == 1
    note_fragment = Fragment.objects.get(kind="note")
    assert "Nieuwe tekst van" in note_fragment.text and "Sanne" not in note_fragment.text
    # The coded logbook fragment keeps the text its codings point into.
    assert "Helemaal herschreven." not in Fragment.objects.get(kind="logbook").text
    assert services.fragments_sync() == 0


def test_overlapping_codings_are_marked_piece_by_piece(world, client_for):
    from .factories import CodingFactory, FragmentFactory

    fragment = FragmentFactory(trajectory=world.trajectory, text="abcdefghij")
    first = CodingFactory(fragment=fragment, start=2, end=6, coder=world.researcher)
    second = CodingFactory(fragment=fragment, start=4, end=8, coder=world.independent)
    pieces = selectors.segments(fragment.text, [first, second])
    assert [(text, [c.pk for c in covering]) for text, covering in pieces] == [
        ("ab", []), ("cd", [first.pk]), ("ef", [first.pk, second.pk]), ("gh", [second.pk]),
        ("ij", []),
    ]
    page = client_for(world.researcher).get(reverse("coding:fragment", args=[fragment.pk]))
    html = page.content.decode()
    assert f'title="{first.code.name}, {second.code.name}">ef</mark>' in html
    # The text inside the container is exactly the fragment text: offsets match.
    start = html.index('id="fragment-text"')
    body = html[html.index(">", start) + 1 : html.index("</div>", start)]
    assert re.sub(r"<[^>]+>", "", body) == fragment.text


def test_category_selects_show_the_path_in_the_tree(coded, client_for):
    page = client_for(coded.researcher).get(reverse("coding:code", args=[coded.code.pk]))
    assert "Randvoorwaarden › Management" in page.content.decode()


def test_deleting_a_study_takes_its_category_tree_along(world):
    from trajectories.models import Study

    study = Study.objects.create(name="Leeg cohort")
    top = services.category_create(study=study, name="Boven", user=world.researcher)
    services.category_create(study=study, name="Onder", parent=top, user=world.researcher)
    study.delete()
    assert not Category.objects.filter(study_id=study.pk).exists()


def test_every_change_to_the_codebook_is_audited_without_names(coded):
    changes = list(
        AuditEvent.objects.filter(action="change_code").values_list("detail__change", flat=True)
    )
    assert changes.count("create") == 4  # the fixture's codes
    assert {"create category", "category", "memo"} <= set(changes)
    for event in AuditEvent.objects.filter(action="change_code"):
        assert "ruimte" not in str(event.detail) and "ruimte" not in event.target
