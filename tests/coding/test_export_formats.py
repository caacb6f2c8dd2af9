"""The four export formats: contents, streaming, and the REFI-QDA schema."""

import csv
import io
import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import xmlschema

from coding import services
from coding.exports import export_anonymised
from coding.models import Code, Coding, Fragment

from .factories import make_material

SCHEMA = Path("/work/shared/refi-qda/Project.xsd")
NS = {"q": "urn:QDA-XML:project:1.0"}


def test_qdpx_validates_and_reads_back_the_same_numbers(coded, tmp_path):
    out = tmp_path / "export.qdpx"
    counts = export_anonymised(out=out, fmt="qdpx")
    with zipfile.ZipFile(out) as archive:
        project = archive.read("project.qde")
        names = archive.namelist()
        schema = xmlschema.XMLSchema(str(SCHEMA))
        schema.validate(io.BytesIO(project))
        root = ElementTree.fromstring(project)
        sources = root.findall("q:Sources/q:TextSource", NS)
        codable = [c for c in root.iter(f"{{{NS['q']}}}Code") if c.get("isCodable") == "true"]
        codings = root.findall(".//q:PlainTextSelection/q:Coding", NS)
        for source in sources:
            path = source.get("plainTextPath").removeprefix("internal://")
            assert f"Sources/{path}" in names
            text = archive.read(f"Sources/{path}").decode("utf-8")
            for selection in source.findall("q:PlainTextSelection", NS):
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                assert 0 <= start < end <= len(text)
    assert len(sources) == Fragment.objects.count() == counts["sources"] == 6
    assert len(codable) == Code.objects.count() == counts["codes"] == 4
    assert len(codings) == Coding.objects.count() == counts["codings"] == 12
    cases = root.findall("q:Cases/q:Case", NS)
    assert [case.get("name") for case in cases] == ["ORG-01"]
    assert len(cases[0].findall("q:SourceRef", NS)) == 6
    # The category tree: Randvoorwaarden > Management > ruimte voor dialoog.
    top = root.find("q:CodeBook/q:Codes/q:Code[@name='Randvoorwaarden']", NS)
    assert top.get("isCodable") == "false"
    nested = top.find("q:Code[@name='Management']/q:Code[@name='ruimte voor dialoog']", NS)
    assert nested.find("q:Description", NS).text.endswith(":\nKomt vaak terug bij de teams.")


def test_qdpx_of_an_empty_study_still_validates(world, tmp_path):
    out = tmp_path / "empty.qdpx"
    export_anonymised(out=out, fmt="qdpx")
    with zipfile.ZipFile(out) as archive:
        xmlschema.XMLSchema(str(SCHEMA)).validate(io.BytesIO(archive.read("project.qde")))


def test_json_has_every_table_and_the_codings_quote_the_pseudonymised_text(coded, tmp_path):
    out = tmp_path / "export.json"
    export_anonymised(out=out, fmt="json")
    data = json.loads(out.read_text(encoding="utf-8"))
    tables = data["tables"]
    assert set(tables) == {
        "organisations", "trajectories", "phase_transitions", "half_days", "persons",
        "withdrawals", "sources", "categories", "codes", "memos", "codings",
    }
    assert tables["organisations"] == [
        {"organisation": "ORG-01", "sector": "vmbo", "kind": "school"},
        {"organisation": "ORG-02", "sector": "mbo", "kind": "school"},
    ]
    assert len(tables["sources"]) == 6
    assert len(tables["codings"]) == 12
    texts = {row["source"]: row["text"] for row in tables["sources"]}
    for coding in tables["codings"]:
        assert coding["quote"] == texts[coding["source"]][coding["start"]:coding["end"]]
    assert {row["consent"] for row in tables["persons"]} <= {
        "given", "refused", "not recorded", "withdrawn"
    }


def test_csv_is_a_zip_with_one_table_per_file(coded, tmp_path):
    out = tmp_path / "export.zip"
    export_anonymised(out=out, fmt="csv")
    with zipfile.ZipFile(out) as archive:
        assert "codings.csv" in archive.namelist()
        rows = list(csv.reader(io.StringIO(archive.read("codings.csv").decode("utf-8-sig"))))
    assert rows[0] == ["coding", "source", "code", "start", "end", "coder", "created_at", "quote"]
    assert len(rows) == 13


def test_xlsx_has_a_sheet_per_table(coded, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "export.xlsx"
    export_anonymised(out=out, fmt="xlsx")
    workbook = load_workbook(out, read_only=True)
    assert "codings" in workbook.sheetnames
    assert len(list(workbook["sources"].iter_rows(values_only=True))) == 7


def test_export_of_one_trajectory_leaves_the_other_out(coded, tmp_path):
    make_material(coded, trajectory=coded.other)
    services.fragments_sync()
    out = tmp_path / "one.json"
    export_anonymised(out=out, fmt="json", trajectory_ids=[coded.trajectory.pk])
    tables = json.loads(out.read_text())["tables"]
    assert len(tables["sources"]) == 6
    assert {row["trajectory"] for row in tables["trajectories"]} == {f"T-{coded.trajectory.pk}"}


def test_progress_reaches_one(coded, tmp_path):
    seen = []
    export_anonymised(out=tmp_path / "x.json", fmt="json", progress=seen.append)
    assert seen[-1] == 1.0


def test_xlsx_keeps_text_that_looks_like_a_formula_as_text(coded, tmp_path):
    from openpyxl import load_workbook

    Fragment.objects.filter(pk=Fragment.objects.order_by("id").first().pk).update(
        text='=HYPERLINK("http://example.test","klik")'
    )
    out = tmp_path / "export.xlsx"
    export_anonymised(out=out, fmt="xlsx")
    sheet = load_workbook(out)["sources"]
    texts = [row[7] for row in sheet.iter_rows(min_row=2, values_only=True)]
    cells = [row[7] for row in sheet.iter_rows(min_row=2)]
    assert '=HYPERLINK("http://example.test","klik")' in texts
    assert {cell.data_type for cell in cells} == {"s"}
