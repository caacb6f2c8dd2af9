"""Importing a REFI-QDA project back: a hand-written MAXQDA-style fixture, the
preview before anything changes, the round trip, and the archive's safety."""

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
import xmlschema
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from coding import services
from coding.exports import export_anonymised
from coding.models import Category, Code, Coding, ImportStatus, Memo, QdpxImport
from coding.qdpx_import import QdpxError, read_qdpx
from coding.selectors import person_labels
from research.pseudonymise import pseudonymiser_for_export

from .factories import FragmentFactory

SCHEMA = Path("/work/shared/refi-qda/Project.xsd")
FIXTURE = Path(__file__).parent / "fixtures" / "maxqda_reexport.qde"
Q = "urn:QDA-XML:project:1.0"
NS = {"q": Q}
WINDOWS_TEXT = "Week 1\r\nWe spraken over tijd.\r\nHet hielp."
S1 = "7f0c1a52-3b1e-4c55-9a43-1d2e3f4a5b81"


def _zip(members: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def _upload(data: io.BytesIO, name="project.qdpx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data.getvalue(), content_type="application/zip")


def _fixture_qdpx() -> SimpleUploadedFile:
    return _upload(
        _zip(
            {"project.qde": FIXTURE.read_bytes(), f"Sources/{S1}.txt": WINDOWS_TEXT.encode("utf-8")}
        )
    )


def test_the_fixture_is_valid_refi_qda():
    xmlschema.XMLSchema(str(SCHEMA)).validate(str(FIXTURE))


def test_fixture_preview_reports_and_changes_nothing_then_confirm_takes_it_over(world):
    logbook = FragmentFactory(
        trajectory=world.trajectory, text="Week 1\nWe spraken over tijd.\nHet hielp."
    )
    harvest = FragmentFactory(
        trajectory=world.trajectory, text="Het team wil meer ruimte voor dialoog."
    )
    existing = services.code_create(
        study=world.study, name="ruimte voor dialoog", user=world.researcher
    )
    pseudonymiser_for_export()
    by_user = person_labels()[0]
    label = {
        by_user[world.researcher.pk]: world.researcher,
        by_user[world.independent.pk]: world.independent,
    }
    readable = [world.trajectory.pk, world.other.pk]

    imp = services.qdpx_import_preview(
        study=world.study, upload=_fixture_qdpx(), user=world.independent, trajectory_ids=readable
    )

    report = imp.report
    assert report["software"] == "MAXQDA 24"
    assert {k: report["sources"][k] for k in ("total", "by_guid", "by_text", "unmatched")} == {
        "total": 3,
        "by_guid": 0,
        "by_text": 2,
        "unmatched": 1,
    }
    assert report["sources"]["unmatched_list"] == [
        {"name": "Interview elders", "reason": "geen fragment van deze studie heeft deze tekst"}
    ]
    codes = report["codes"]
    assert (codes["categories_new"], codes["codes_new"], codes["codes_matched"]) == (1, 2, 1)
    assert (codes["nested_codes"], codes["case_codes_skipped"]) == (1, 1)
    assert report["memos"] == {"new": 2, "present": 0, "notes_not_taken": 1}
    assert (
        report["codings"]["new"],
        report["codings"]["present"],
        report["codings"]["unmatched"],
    ) == (3, 0, 2)
    assert report["unknown_people"] == ["Gast MAXQDA"]
    # Nothing has changed yet.
    assert Code.objects.count() == 1 and not Category.objects.exists()
    assert not Coding.objects.exists() and not Memo.objects.exists()

    done = services.qdpx_import_apply(qdpx_import=imp, user=world.independent)

    assert done == {
        "categories": 1,
        "codes": 2,
        "changes": 0,
        "changes_skipped": 0,
        "memos": 2,
        "codings": 3,
    }
    category = Category.objects.get()
    assert category.name == "Randvoorwaarden"
    assert set(Code.objects.filter(category=category).values_list("name", flat=True)) == {
        "tijd voor overleg",
        "roostervrije middag",
    }
    existing.refresh_from_db()
    assert existing.category is None  # a move of an existing code waits for confirmation
    codings = {
        (c.fragment_id, c.code.name, c.start, c.end, c.coder_id)
        for c in Coding.objects.select_related("code")
    }
    # CR LF in the file, LF here: 24–28 and 31–40 there are 23–27 and 29–38 here.
    assert codings == {
        (logbook.pk, "tijd voor overleg", 23, 27, label["Onderzoeker 1"].pk),
        (logbook.pk, "roostervrije middag", 29, 38, world.independent.pk),  # unknown coder
        (harvest.pk, "ruimte voor dialoog", 18, 37, label["Onderzoeker 2"].pk),
    }
    assert logbook.text[23:27] == "tijd" and logbook.text[29:38] == "Het hielp"
    memo = Memo.objects.get(code=existing)
    assert memo.text == "Na overleg samengevoegd met 'veilige sfeer'."
    assert memo.author == label["Onderzoeker 2"]
    assert memo.created_at.isoformat() == "2026-11-02T10:15:00+00:00"
    assert Memo.objects.get(code__name="tijd voor overleg").text == (
        "Tijd die teams krijgen om samen te praten."
    )

    imp.refresh_from_db()
    assert imp.status == ImportStatus.APPLIED
    with pytest.raises(Exception, match="al overgenomen of geannuleerd"):
        services.qdpx_import_apply(qdpx_import=imp, user=world.independent)

    again = services.qdpx_import_preview(
        study=world.study, upload=_fixture_qdpx(), user=world.independent, trajectory_ids=readable
    )
    assert (again.report["codings"]["new"], again.report["codings"]["present"]) == (0, 3)
    assert (again.report["memos"]["new"], again.report["memos"]["present"]) == (0, 2)
    assert again.report["codes"]["codes_new"] == 0


def _snapshot(path: Path):
    """The codebook and codings of an export, as another program would see them."""
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("project.qde"))
    users = {u.get("guid"): u.get("name") for u in root.iter(f"{{{Q}}}User")}
    names = {c.get("guid"): c.get("name") for c in root.iter(f"{{{Q}}}Code")}
    notes = {
        n.get("guid"): (
            users.get(n.get("creatingUser")),
            n.get("creationDateTime"),
            n.find("q:PlainTextContent", NS).text,
        )
        for n in root.iter(f"{{{Q}}}Note")
    }
    codebook = set()

    def walk(element, parent):
        for code in element.findall("q:Code", NS):
            memos = tuple(notes[r.get("targetGUID")] for r in code.findall("q:NoteRef", NS))
            codebook.add((code.get("name"), code.get("isCodable"), parent, memos))
            walk(code, code.get("name"))

    walk(root.find("q:CodeBook/q:Codes", NS), None)
    codings = sorted(
        (
            source.get("guid"),
            int(sel.get("startPosition")),
            int(sel.get("endPosition")),
            names[coding.find("q:CodeRef", NS).get("targetGUID")],
            users.get(coding.get("creatingUser")),
        )
        for source in root.iter(f"{{{Q}}}TextSource")
        for sel in source.findall("q:PlainTextSelection", NS)
        for coding in sel.findall("q:Coding", NS)
    )
    return codebook, codings


def test_round_trip_export_import_into_an_empty_codebook_export_again(coded, tmp_path):
    world = coded
    services.memo_add(code=world.code, text="Tweede memo, van de ander.", user=world.independent)
    trajectories = [world.trajectory.pk, world.other.pk]
    first = tmp_path / "first.qdpx"
    export_anonymised(out=first, fmt="qdpx", trajectory_ids=trajectories)
    before = _snapshot(first)
    assert len(before[1]) == 12 and len(before[0]) == 6

    # Empty the study's analysis: no codings, memos, codes or categories.
    Coding.objects.all().delete()
    Memo.objects.all().delete()
    Code.objects.all().delete()
    Category.objects.filter(parent__isnull=False).delete()
    Category.objects.all().delete()

    imp = services.qdpx_import_preview(
        study=world.study,
        upload=_upload(io.BytesIO(first.read_bytes())),
        user=world.researcher,
        trajectory_ids=trajectories,
    )
    assert imp.report["sources"]["by_guid"] == 6
    assert imp.report["codings"]["unmatched"] == 0
    services.qdpx_import_apply(qdpx_import=imp, user=world.researcher)

    second = tmp_path / "second.qdpx"
    export_anonymised(out=second, fmt="qdpx", trajectory_ids=trajectories)
    after = _snapshot(second)
    assert after[0] == before[0]
    # The sources keep their GUIDs; the codes are new rows with new GUIDs, so
    # compare codings by code name.
    assert after[1] == before[1]


def test_a_renamed_code_changes_only_when_the_researcher_says_so(coded, tmp_path):
    world = coded
    trajectories = [world.trajectory.pk, world.other.pk]
    out = tmp_path / "export.qdpx"
    export_anonymised(out=out, fmt="qdpx", trajectory_ids=trajectories)
    with zipfile.ZipFile(out) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["project.qde"] = members["project.qde"].replace(
        b'name="ruimte voor dialoog"', b'name="ruimte voor het gesprek"'
    )

    imp = services.qdpx_import_preview(
        study=world.study,
        upload=_upload(_zip(members)),
        user=world.researcher,
        trajectory_ids=trajectories,
    )
    assert [c["change"] for c in imp.report["changes"]] == ["rename"]
    assert imp.report["codings"] == {"new": 0, "present": 12, "unmatched": 0, "unmatched_list": []}
    services.qdpx_import_apply(qdpx_import=imp, user=world.researcher)
    world.code.refresh_from_db()
    assert world.code.name == "ruimte voor dialoog"

    imp = services.qdpx_import_preview(
        study=world.study,
        upload=_upload(_zip(members)),
        user=world.researcher,
        trajectory_ids=trajectories,
    )
    assert (
        services.qdpx_import_apply(qdpx_import=imp, user=world.researcher, apply_changes=True)[
            "changes"
        ]
        == 1
    )
    world.code.refresh_from_db()
    assert world.code.name == "ruimte voor het gesprek"
    assert world.code.codings.count() == 6


@pytest.mark.parametrize(
    "members, message",
    [
        ({"../../etc/passwd": b"x", "project.qde": b"<Project/>"}, "onveilige naam"),
        ({"/abs.txt": b"x"}, "onveilige naam"),
        ({"Sources\\a.txt": b"x"}, "onveilige naam"),
        (
            {
                "project.qde": b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa">]>'
                b'<Project xmlns="urn:QDA-XML:project:1.0" name="x">&a;</Project>'
            },
            "geen geldige XML",
        ),
        ({"project.qde": b"<Project name='x'/>"}, "geen REFI-QDA-project"),
        ({"readme.txt": b"hallo"}, "geen project.qde"),
        (
            {"project.qde": b"<Project/>", "Sources/bom.txt": b"\0" * (3 * 1024 * 1024)},
            "groter dan een project",
        ),
    ],
)
def test_unsafe_or_wrong_archives_are_refused(members, message):
    with translation.override("nl"), pytest.raises(QdpxError, match=message):
        read_qdpx(_zip(members))


def test_a_file_that_is_no_zip_is_refused():
    with pytest.raises(QdpxError):
        read_qdpx(io.BytesIO(b"not a zip at all"))


def test_upload_page_previews_and_confirm_takes_over(world, client_for):
    FragmentFactory(trajectory=world.trajectory, text="Het team wil meer ruimte voor dialoog.")
    client = client_for(world.researcher)
    page = client.get(reverse("coding:imports", args=[world.study.pk]))
    assert page.status_code == 200

    bad = client.post(
        reverse("coding:imports", args=[world.study.pk]),
        {"file": SimpleUploadedFile("notes.txt", b"hallo")},
    )
    assert bad.status_code == 400
    assert not QdpxImport.objects.exists()

    response = client.post(
        reverse("coding:imports", args=[world.study.pk]), {"file": _fixture_qdpx()}
    )
    imp = QdpxImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("coding:import", args=[imp.pk])
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert "Interview elders" in preview.content.decode()
    assert not Coding.objects.exists()

    client.post(reverse("coding:import_confirm", args=[imp.pk]))
    imp.refresh_from_db()
    assert imp.status == ImportStatus.APPLIED
    assert Coding.objects.count() == 1  # the only source of the fixture in this study


def test_cancel_changes_nothing(world, client_for):
    FragmentFactory(trajectory=world.trajectory, text="Het team wil meer ruimte voor dialoog.")
    client = client_for(world.researcher)
    client.post(reverse("coding:imports", args=[world.study.pk]), {"file": _fixture_qdpx()})
    imp = QdpxImport.objects.get()
    client.post(reverse("coding:import_cancel", args=[imp.pk]))
    imp.refresh_from_db()
    assert imp.status == ImportStatus.CANCELLED
    client.post(reverse("coding:import_confirm", args=[imp.pk]))
    assert not Coding.objects.exists() and not Code.objects.exists()


def test_import_list_costs_the_same_queries_for_more_imports(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.researcher)
    url = reverse("coding:imports", args=[world.study.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    QdpxImport.objects.create(study=world.study, file_name="a.qdpx", uploaded_by=world.researcher)
    few = count()
    for number in range(10):
        QdpxImport.objects.create(study=world.study, file_name=f"b{number}.qdpx",
                                  uploaded_by=world.independent)
    assert count() == few
