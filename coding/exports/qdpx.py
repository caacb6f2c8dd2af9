"""The REFI-QDA (.qdpx) export, streamed: the sources first, then project.qde."""

from __future__ import annotations

import pickle
import tempfile
import zipfile
from typing import IO
from xml.sax.saxutils import XMLGenerator

from django.utils import timezone

from trajectories.models import Organisation

from ..models import Memo
from .tables import CHUNK, Scope, _iso, _Progress, clean, guid

QDA_NAMESPACE = "urn:QDA-XML:project:1.0"


class _Xml:
    """A thin layer over XMLGenerator for the QDA-XML elements."""

    def __init__(self, stream):
        self.generator = XMLGenerator(stream, encoding="utf-8", short_empty_elements=True)

    def start(self, tag: str, /, **attributes) -> None:
        attrs = {
            key: clean(str(value)) for key, value in attributes.items() if value not in (None, "")
        }
        self.generator.startElement(tag, attrs)

    def end(self, tag: str) -> None:
        self.generator.endElement(tag)

    def empty(self, tag: str, /, **attributes) -> None:
        self.start(tag, **attributes)
        self.end(tag)

    def text_element(self, tag: str, text: str) -> None:
        self.start(tag)
        self.generator.characters(clean(text))
        self.end(tag)


def _peekable(iterator):
    """(peek, advance) over an iterator, for a merge join of two sorted streams."""
    state = {"next": next(iterator, None)}

    def peek():
        return state["next"]

    def advance():
        state["next"] = next(iterator, None)

    return peek, advance


class _SpilledEntries:
    """Stands in for `ZipFile.filelist` while writing: the entries of the central
    directory go to a temporary file instead of staying in memory.

    A .qdpx holds one member per source, and zipfile keeps a ZipInfo (about
    half a kilobyte) per member until it writes the central directory at the
    end; with this list the archive is written in constant memory. ZipFile only
    appends to, counts and iterates over `filelist` when writing.
    """

    def __init__(self):
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self._count = 0

    def append(self, info) -> None:
        pickle.dump(info, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def __iter__(self):
        self._file.seek(0)
        for _ in range(self._count):
            yield pickle.load(self._file)  # noqa: S301 - our own temporary file

    def close(self) -> None:
        self._file.close()


class _ForgetfulNames(dict):
    """Stands in for `ZipFile.NameToInfo`, which only serves to warn about a
    duplicate name; our member names are unique GUIDs."""

    def __setitem__(self, key, value) -> None:
        pass


def _streaming_zip(out) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED)
    archive.filelist = _SpilledEntries()
    archive.NameToInfo = _ForgetfulNames()
    return archive


def write_qdpx(out: IO[bytes], scope: Scope, progress: _Progress) -> None:
    """A REFI-QDA project: Sources/<guid>.txt for each fragment, then project.qde.

    Two passes over the fragments: zipfile writes one member at a time, so the
    texts go first and the XML (which only refers to them) after.
    """
    fragments = scope.fragments().order_by("id")
    archive = _streaming_zip(out)
    entries = archive.filelist
    with archive:
        for pk, text in fragments.values_list("id", "text").iterator(chunk_size=CHUNK):
            with archive.open(f"Sources/{guid('source', pk)}.txt", "w") as member:
                member.write(text.encode("utf-8"))
            progress.tick()
        with archive.open("project.qde", "w") as member:
            _write_project(member, scope, progress)
    entries.close()


def _write_project(member, scope: Scope, progress: _Progress) -> None:

    xml = _Xml(member)
    xml.generator.startDocument()
    xml.generator.startElement(
        "Project",
        {"xmlns": QDA_NAMESPACE, "name": "LOB-traject: geanonimiseerde export",
         "origin": "LOB-traject", "creationDateTime": _iso(timezone.now())},
    )
    coder_ids = sorted(
        set(scope.codings().exclude(coder_id=None).values_list("coder_id", flat=True).distinct())
    )
    if coder_ids:
        xml.start("Users")
        for coder_id in coder_ids:
            xml.empty("User", guid=guid("user", coder_id), name=scope.person(coder_id))
        xml.end("Users")

    _write_codebook(xml, scope)

    fragments = scope.fragments()
    organisations = Organisation.objects.filter(
        id__in=fragments.values("trajectory__organisation_id")
    ).order_by("id")
    if organisations.exists():
        xml.start("Cases")
        peek, advance = _peekable(
            fragments.order_by("trajectory__organisation_id", "id")
            .values_list("trajectory__organisation_id", "id")
            .iterator(chunk_size=CHUNK)
        )
        for org_id, sector in organisations.values_list("id", "sector").iterator(
            chunk_size=CHUNK
        ):
            xml.start("Case", guid=guid("organisation", org_id), name=scope.organisation(org_id))
            xml.text_element("Description", f"sector: {sector}")
            while peek() is not None and peek()[0] == org_id:
                xml.empty("SourceRef", targetGUID=guid("source", peek()[1]))
                advance()
            xml.end("Case")
        xml.end("Cases")

    if fragments.exists():
        xml.start("Sources")
        peek, advance = _peekable(
            scope.codings()
            .order_by("fragment_id", "start", "id")
            .values_list("fragment_id", "id", "code_id", "start", "end", "coder_id", "created_at")
            .iterator(chunk_size=CHUNK)
        )
        rows = fragments.order_by("id").values_list(
            "id", "title", "kind", "occurred_on", "author_label", "trajectory__organisation_id",
            "created_at",
        )
        for pk, title, kind, on, author, org_id, created in rows.iterator(chunk_size=CHUNK):
            source_guid = guid("source", pk)
            xml.start("TextSource", guid=source_guid, name=title,
                      plainTextPath=f"internal://{source_guid}.txt",
                      creationDateTime=_iso(created))
            description = "; ".join(
                part for part in (scope.organisation(org_id), kind, _iso(on), author) if part
            )
            xml.text_element("Description", description)
            while peek() is not None and peek()[0] == pk:
                _fragment_id, coding_id, code_id, start, end, coder_id, at = peek()
                user = guid("user", coder_id) if coder_id else None
                xml.start("PlainTextSelection", guid=guid("selection", coding_id),
                          startPosition=start, endPosition=end, creatingUser=user,
                          creationDateTime=_iso(at))
                xml.start("Coding", guid=guid("coding", coding_id), creatingUser=user,
                          creationDateTime=_iso(at))
                xml.empty("CodeRef", targetGUID=guid("code", code_id))
                xml.end("Coding")
                xml.end("PlainTextSelection")
                advance()
                progress.tick()
            xml.end("TextSource")
        xml.end("Sources")
    xml.end("Project")
    xml.generator.endDocument()


def _write_codebook(xml: _Xml, scope: Scope) -> None:
    """Categories become non-codable codes with their codes (and sub-categories) inside.

    The codebook is small (hundreds of codes, not millions of rows), so it is
    read whole to build the tree.
    """
    categories = list(scope.categories().values_list("id", "name", "parent_id"))
    codes = list(scope.codes().values_list("id", "name", "category_id"))
    if not categories and not codes:
        return
    memos: dict[int, list[str]] = {}
    for code_id, text in (
        Memo.objects.filter(code__study_id__in=scope.study_ids)
        .order_by("created_at", "id")
        .values_list("code_id", "text")
    ):
        memos.setdefault(code_id, []).append(scope.text(text))
    children: dict[int | None, list] = {}
    known = {pk for pk, _name, _parent in categories}
    for pk, name, parent in categories:
        children.setdefault(parent if parent in known else None, []).append(("category", pk, name))
    for pk, name, category in codes:
        children.setdefault(category if category in known else None, []).append(("code", pk, name))

    def write(kind: str, pk: int, name: str) -> None:
        if kind == "code":
            xml.start("Code", guid=guid("code", pk), name=scope.text(name), isCodable="true")
            if memos.get(pk):
                xml.text_element("Description", "\n\n".join(memos[pk]))
            xml.end("Code")
            return
        xml.start("Code", guid=guid("category", pk), name=scope.text(name), isCodable="false")
        for child in sorted(children.get(pk, []), key=lambda item: (item[0], item[2].lower())):
            write(*child)
        xml.end("Code")

    xml.start("CodeBook")
    xml.start("Codes")
    for item in sorted(children.get(None, []), key=lambda item: (item[0], item[2].lower())):
        write(*item)
    xml.end("Codes")
    xml.end("CodeBook")
