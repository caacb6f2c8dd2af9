"""Memos on fragments and on codings (coded segments), not only on codes: written on the
fragment page, kept with their author and date, exported (QDPX NoteRefs under the source and
the selection, the memos table), and gone with their fragment when it is erased."""

import io
import json
import zipfile
from pathlib import Path

import pytest
import xmlschema
from django.db import IntegrityError, transaction

from coding import services
from coding.exports import export_anonymised
from coding.models import Coding, Memo

pytestmark = pytest.mark.django_db

SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "refi-qda" / "Project.xsd"
QDA = "{urn:QDA-XML:project:1.0}"


def test_a_researcher_writes_memos_on_a_fragment_and_on_a_coding(coded, client_for):
    client = client_for(coded.researcher)
    fragment = coded.fragment
    coding = Coding.objects.filter(fragment=fragment, coder=coded.researcher).first()
    response = client.post(
        f"/onderzoek/codering/fragment/{fragment.pk}/memo/",
        {"text": "Dit fragment laat zien hoe het team de ruimte neemt."},
    )
    assert response.status_code == 302 and response["Location"].endswith("#memos")
    response = client.post(
        f"/onderzoek/codering/codering/{coding.pk}/memo/", {"text": "Grensgeval: ook 'tijd'?"}
    )
    assert response["Location"].endswith(f"#coding-{coding.pk}")
    on_fragment = Memo.objects.get(fragment=fragment)
    on_coding = Memo.objects.get(coding=coding)
    assert on_fragment.author == coded.researcher and on_fragment.code_id is None
    assert on_coding.fragment_id is None and on_coding.code_id is None
    page = client.get(f"/onderzoek/codering/fragment/{fragment.pk}/").content.decode()
    assert "Memo's bij dit fragment" in page
    assert "hoe het team de ruimte neemt" in page and "Grensgeval: ook &#x27;tijd&#x27;?" in page
    # An empty memo is refused in Dutch and nothing is stored.
    response = client.post(f"/onderzoek/codering/fragment/{fragment.pk}/memo/", {"text": "  "},
                           follow=True)
    assert Memo.objects.filter(fragment=fragment).count() == 1
    assert "Dit veld is verplicht." in response.content.decode()


def test_memos_on_fragments_are_for_the_coding_researchers_only(coded, client_for):
    coding = Coding.objects.filter(fragment=coded.fragment).first()
    for user in (coded.manager, coded.champion, coded.outsider):
        client = client_for(user)
        for url in (
            f"/onderzoek/codering/fragment/{coded.fragment.pk}/memo/",
            f"/onderzoek/codering/codering/{coding.pk}/memo/",
        ):
            assert client.post(url, {"text": "Niet van mij."}).status_code in (403, 404)
    assert not Memo.objects.filter(text="Niet van mij.").exists()


def test_a_memo_has_exactly_one_target(coded):
    coding = Coding.objects.filter(fragment=coded.fragment).first()
    with pytest.raises(ValueError):
        services.memo_add(text="Twee doelen.", user=coded.researcher, code=coded.code,
                          fragment=coded.fragment)
    with pytest.raises(IntegrityError), transaction.atomic():
        Memo.objects.create(text="Twee doelen.", code=coded.code, coding=coding)
    with pytest.raises(IntegrityError), transaction.atomic():
        Memo.objects.create(text="Geen doel.")


def test_memos_on_fragments_and_codings_are_exported(coded, tmp_path):
    coding = Coding.objects.filter(fragment=coded.fragment).order_by("id").first()
    on_fragment = services.memo_add(fragment=coded.fragment, text="Sleutelfragment.",
                                    user=coded.researcher)
    on_coding = services.memo_add(coding=coding, text="Besproken met de tweede codeur.",
                                  user=coded.independent)
    out = tmp_path / "export.qdpx"
    export_anonymised(out=out, fmt="qdpx")
    with zipfile.ZipFile(out) as archive:
        project = archive.read("project.qde")
    xmlschema.XMLSchema(str(SCHEMA)).validate(io.BytesIO(project))
    from xml.etree import ElementTree

    root = ElementTree.fromstring(project)
    notes = {note.get("guid"): note for note in root.iter(f"{QDA}Note")}
    source = next(
        item for item in root.iter(f"{QDA}TextSource")
        if any(ref.get("targetGUID") in notes and "Sleutelfragment." in
               notes[ref.get("targetGUID")].findtext(f"{QDA}PlainTextContent")
               for ref in item.findall(f"{QDA}NoteRef"))
    )
    selections = [
        selection for selection in source.findall(f"{QDA}PlainTextSelection")
        if selection.findall(f"{QDA}NoteRef")
    ]
    [selection] = selections
    [ref] = selection.findall(f"{QDA}NoteRef")
    assert notes[ref.get("targetGUID")].findtext(f"{QDA}PlainTextContent") == (
        "Besproken met de tweede codeur."
    )
    assert int(selection.get("startPosition")) == coding.start
    # The memos table says which fragment or coding each memo is about.
    out = tmp_path / "export.json"
    export_anonymised(out=out, fmt="json")
    tables = json.loads(out.read_text(encoding="utf-8"))["tables"]
    rows = {row["text"]: row for row in tables["memos"]}
    assert rows["Sleutelfragment."]["source"] == f"S-{coded.fragment.pk}"
    assert rows["Sleutelfragment."]["code"] == "" and rows["Sleutelfragment."]["coding"] == ""
    assert rows["Besproken met de tweede codeur."]["coding"] == f"X-{coding.pk}"
    assert on_fragment.pk and on_coding.pk


def test_a_fragment_erased_takes_its_memos_along(coded):
    coding = Coding.objects.filter(fragment=coded.fragment).first()
    services.memo_add(fragment=coded.fragment, text="Weg ermee.", user=coded.researcher)
    services.memo_add(coding=coding, text="Ook weg.", user=coded.researcher)
    coded.fragment.delete()
    assert not Memo.objects.filter(text__in=["Weg ermee.", "Ook weg."]).exists()
    assert Memo.objects.filter(code=coded.code).exists()  # the code's memo stays
