"""The REFI-QDA export as other QDA programs read it: unique names, cases linked
to their sources, memos with author and date, named coders, and character
offsets in Unicode code points."""

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
import xmlschema

from coding import services
from coding.exports import export_anonymised
from coding.models import Fragment
from tests.factories import OrganisationFactory, StudyFactory, TrajectoryFactory

from .factories import FragmentFactory

SCHEMA = Path("/work/shared/refi-qda/Project.xsd")
Q = "urn:QDA-XML:project:1.0"
NS = {"q": Q}


@pytest.fixture(scope="module")
def schema():
    return xmlschema.XMLSchema(str(SCHEMA))


def _export(tmp_path, schema, **options):
    out = tmp_path / "export.qdpx"
    export_anonymised(out=out, fmt="qdpx", **options)
    archive = zipfile.ZipFile(out)
    project = archive.read("project.qde")
    schema.validate(io.BytesIO(project))
    return archive, ElementTree.fromstring(project)


def _source_text(archive, source) -> str:
    return archive.read(
        "Sources/" + source.get("plainTextPath").removeprefix("internal://")
    ).decode("utf-8")


def test_offsets_are_code_points_after_accents_and_emoji(world, tmp_path, schema):
    text = "Ideeën genoeg: één keer per week is naïef, dat 🙂 lukt écht niet zo."
    fragment = FragmentFactory(trajectory=world.trajectory, text=text)
    start = text.index("niet")
    end = start + len("niet")
    # The span sits after ë, ï, é and an emoji: in UTF-8 bytes (or UTF-16
    # units, for the emoji) it would start later.
    assert len(text[:start].encode("utf-8")) == start + 8  # ë é é ï é: 1 each, 🙂: 3
    assert len(text[:start].encode("utf-16-le")) // 2 == start + 1
    services.coding_add(
        fragment=fragment, user=world.researcher, start=start, end=end, new_names=["haalbaarheid"]
    )

    archive, root = _export(tmp_path, schema)

    source = root.find("q:Sources/q:TextSource", NS)
    exported = _source_text(archive, source)
    assert exported == text
    selection = source.find("q:PlainTextSelection", NS)
    assert (int(selection.get("startPosition")), int(selection.get("endPosition"))) == (start, end)
    assert exported[int(selection.get("startPosition")) : int(selection.get("endPosition"))] == (
        "niet"
    )


def test_two_studies_with_clashing_names_get_unique_names(world, tmp_path, schema):
    other_study = StudyFactory(name="Cohort Zuid 2027")
    other_trajectory = TrajectoryFactory(study=other_study, organisation=OrganisationFactory())
    fragments = {}
    for study, trajectory in ((world.study, world.trajectory), (other_study, other_trajectory)):
        category = services.category_create(
            study=study, name="Randvoorwaarden", user=world.researcher
        )
        code = services.code_create(
            study=study, name="Ruimte voor dialoog", user=world.researcher, category=category
        )
        # A category and a code with one name inside one study.
        services.category_create(study=study, name="Tijd", user=world.researcher)
        time_code = services.code_create(study=study, name="tijd", user=world.researcher)
        # Titles repeat across trajectories: "Logboek week 43" twice.
        fragment = FragmentFactory(trajectory=trajectory, title="Logboek week 43")
        FragmentFactory(trajectory=trajectory, title="Logboek week 43")
        services.coding_add(fragment=fragment, user=world.researcher, start=0, end=10, codes=[code])
        services.coding_add(
            fragment=fragment, user=world.researcher, start=3, end=12, codes=[time_code]
        )
        fragments[study.pk] = (fragment, code, time_code)

    archive, root = _export(tmp_path, schema)  # every study, as the command does

    codes = list(root.iter(f"{{{Q}}}Code"))
    names = [code.get("name").lower() for code in codes]
    assert len(names) == len(set(names)) == 8
    assert {
        f"randvoorwaarden (study-{world.study.pk})",
        f"ruimte voor dialoog (study-{other_study.pk})",
    } <= set(names)
    by_guid = {code.get("guid"): code for code in codes}
    # Each coding points at its own study's code, inside its own category.
    sources = root.findall("q:Sources/q:TextSource", NS)
    source_names = [source.get("name") for source in sources]
    assert len(source_names) == len(set(source_names)) == 4
    for study_id, (fragment, _code, _time) in fragments.items():
        source = next(s for s in sources if s.get("name").endswith(f"(S-{fragment.pk})"))
        assert source.get("name").startswith("ORG-")
        assert "2026-10-01" in source.get("name")
        refs = [
            by_guid[c.find("q:CodeRef", NS).get("targetGUID")].get("name")
            for c in source.iter(f"{{{Q}}}Coding")
        ]
        assert sorted(refs) == sorted(
            [f"Ruimte voor dialoog (STUDY-{study_id})", f"tijd (STUDY-{study_id})"]
        )
    parent_of = {child.get("guid"): parent.get("name") for parent in codes for child in parent}
    dialogue = [c for c in codes if c.get("name").startswith("Ruimte voor dialoog")]
    assert {parent_of[c.get("guid")] for c in dialogue} == {
        f"Randvoorwaarden (STUDY-{world.study.pk})",
        f"Randvoorwaarden (STUDY-{other_study.pk})",
    }


def test_within_one_study_a_category_and_a_code_of_one_name_differ(world, tmp_path, schema):
    services.category_create(study=world.study, name="Tijd", user=world.researcher)
    services.code_create(study=world.study, name="Tijd", user=world.researcher)
    _archive, root = _export(tmp_path, schema, trajectory_ids=[world.trajectory.pk])
    codes = {c.get("name"): c.get("isCodable") for c in root.iter(f"{{{Q}}}Code")}
    assert codes == {"Tijd": "true", "Tijd (categorie)": "false"}


def test_cases_link_their_sources_and_optionally_carry_a_case_code(world, tmp_path, schema):
    mine = [FragmentFactory(trajectory=world.trajectory) for _ in range(3)]
    theirs = [FragmentFactory(trajectory=world.other) for _ in range(2)]

    _archive, root = _export(tmp_path, schema)
    guid_of = {
        s.get("name").rsplit("(S-", 1)[1].rstrip(")"): s.get("guid")
        for s in root.findall("q:Sources/q:TextSource", NS)
    }
    cases = root.findall("q:Cases/q:Case", NS)
    links = {
        case.get("name"): {ref.get("targetGUID") for ref in case.findall("q:SourceRef", NS)}
        for case in cases
    }
    assert links == {
        "ORG-01": {guid_of[str(f.pk)] for f in mine},
        "ORG-02": {guid_of[str(f.pk)] for f in theirs},
    }
    assert not [c for c in root.iter(f"{{{Q}}}Code") if c.get("name") == "ORG-01"]

    archive, root = _export(tmp_path, schema, case_codes=True)
    cases = {case.get("guid"): case.get("name") for case in root.findall("q:Cases/q:Case", NS)}
    case_codes = {
        c.get("guid"): c.get("name") for c in root.iter(f"{{{Q}}}Code") if c.get("guid") in cases
    }
    assert case_codes == cases  # same GUID as the case: how QualCoder links them
    for source in root.findall("q:Sources/q:TextSource", NS):
        whole = [
            s
            for s in source.findall("q:PlainTextSelection", NS)
            if s.find("q:Coding/q:CodeRef", NS).get("targetGUID") in cases
        ]
        assert len(whole) == 1
        assert whole[0].get("startPosition") == "0"
        assert int(whole[0].get("endPosition")) == len(_source_text(archive, source))


def test_each_memo_is_a_note_with_author_and_date_and_coders_are_named(world, tmp_path, schema):
    fragment = FragmentFactory(trajectory=world.trajectory)
    services.coding_add(
        fragment=fragment, user=world.researcher, start=0, end=5, new_names=["steun management"]
    )
    services.coding_add(
        fragment=fragment, user=world.independent, start=2, end=9, new_names=["steun management"]
    )
    code = fragment.codings.first().code
    services.memo_add(code=code, text="Eerste gedachte: vooral tijd.", user=world.researcher)
    services.memo_add(code=code, text="Na overleg: ook erkenning.", user=world.independent)

    _archive, root = _export(tmp_path, schema)

    users = {u.get("guid"): u.get("name") for u in root.findall("q:Users/q:User", NS)}
    assert sorted(users.values()) == ["Onderzoeker 1", "Onderzoeker 2"]
    for selection in root.iter(f"{{{Q}}}PlainTextSelection"):
        assert users[selection.get("creatingUser")].startswith("Onderzoeker ")
    notes = root.findall("q:Notes/q:Note", NS)
    assert [n.find("q:PlainTextContent", NS).text for n in notes] == [
        "Eerste gedachte: vooral tijd.",
        "Na overleg: ook erkenning.",
    ]
    assert len({users[n.get("creatingUser")] for n in notes}) == 2
    assert all(n.get("creationDateTime") for n in notes)
    exported_code = root.find(".//q:Code[@name='steun management']", NS)
    assert [ref.get("targetGUID") for ref in exported_code.findall("q:NoteRef", NS)] == [
        n.get("guid") for n in notes
    ]
    assert Fragment.objects.count() == 1
