"""The REFI-QDA (.qdpx) export, streamed: the sources first, then project.qde."""

from __future__ import annotations

import pickle
import tempfile
import zipfile
from collections import defaultdict
from typing import IO
from xml.sax.saxutils import XMLGenerator

from django.db.models import Q
from django.db.models.functions import Length
from django.utils import timezone

from research.sources import SourceKind
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


def source_name(scope: Scope, pk: int, org_id: int, kind: str, on) -> str:
    """"ORG-03 logboekregel 2026-10-21 (S-17)": organisation, kind and date say what
    the source is; the fragment's number (as in the CSV and JSON exports) keeps
    two sources of one day apart. Titles repeat across trajectories, so they go
    in the description instead."""
    label = SourceKind(kind).label if kind in SourceKind.values else kind
    parts = [scope.organisation(org_id), str(label), _iso(on)]
    return " ".join(part for part in parts if part) + f" (S-{pk})"


# The variables every tool reads as case and document attributes.
VARIABLES = [
    ("sector", "sector"),
    ("organisation", "organisatie"),
    ("kind", "soort bron"),
    ("date", "datum"),
    ("author", "auteur"),
]
CASES_CATEGORY = "Casussen (organisaties)"


def _variable_value(xml: _Xml, key: str, value: str) -> None:
    xml.start("VariableValue")
    xml.empty("VariableRef", targetGUID=guid("variable", key))
    xml.text_element("TextValue", value)
    xml.end("VariableValue")


def _write_project(member, scope: Scope, progress: _Progress) -> None:

    xml = _Xml(member)
    xml.generator.startDocument()
    xml.generator.startElement(
        "Project",
        {"xmlns": QDA_NAMESPACE, "name": "LOB-traject: geanonimiseerde export",
         "origin": "LOB-traject", "creationDateTime": _iso(timezone.now())},
    )
    memos = list(
        Memo.objects.filter(code__study_id__in=scope.study_ids)
        .order_by("created_at", "id")
        .values_list("id", "code_id", "author_id", "created_at", "text")
    )
    # Memos on a fragment hang under its TextSource, memos on a coding under its selection.
    on_fragments, on_codings = defaultdict(list), defaultdict(list)
    for pk, fragment_id, coding_id, author, at, text in (
        Memo.objects.filter(
            Q(fragment__in=scope.fragments().values("id"))
            | Q(coding__in=scope.codings().values("id"))
        )
        .order_by("created_at", "id")
        .values_list("id", "fragment_id", "coding_id", "author_id", "created_at", "text")
    ):
        memos.append((pk, None, author, at, text))
        if fragment_id:
            on_fragments[fragment_id].append(pk)
        else:
            on_codings[coding_id].append(pk)
    # Coders and memo authors are users, named by their pseudonym.
    user_ids = set(scope.codings().exclude(coder_id=None).values_list("coder_id", flat=True))
    user_ids |= {author for _pk, _code, author, _at, _text in memos if author}
    if user_ids:
        xml.start("Users")
        for user_id in sorted(user_ids):
            xml.empty("User", guid=guid("user", user_id), name=user_name(scope, user_id))
        xml.end("Users")

    fragments = scope.fragments()
    organisations = list(
        Organisation.objects.filter(id__in=fragments.values("trajectory__organisation_id"))
        .order_by("id")
        .values_list("id", "sector")
    )
    _write_codebook(xml, scope, memos, organisations)

    xml.start("Variables")
    for key, name in VARIABLES:
        xml.empty("Variable", guid=guid("variable", key), name=name, typeOfVariable="Text")
    xml.end("Variables")

    if organisations:
        xml.start("Cases")
        peek, advance = _peekable(
            fragments.order_by("trajectory__organisation_id", "id")
            .values_list("trajectory__organisation_id", "id")
            .iterator(chunk_size=CHUNK)
        )
        for org_id, sector in organisations:
            xml.start("Case", guid=guid("organisation", org_id), name=scope.organisation(org_id))
            xml.text_element("Description", f"sector: {sector}")
            _variable_value(xml, "sector", sector)
            # The standard link, read by MAXQDA, ATLAS.ti and NVivo. QualCoder's
            # importer reads no SourceRef; it links a case to text through a
            # code with the case's GUID (see `case_codes`).
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
        rows = (
            fragments.order_by("id")
            .annotate(length=Length("text"))
            .values_list(
                "id", "title", "kind", "occurred_on", "author_label",
                "trajectory__organisation_id", "created_at", "length",
            )
        )
        sector_of = dict(organisations)
        for pk, title, kind, on, author, org_id, created, length in rows.iterator(
            chunk_size=CHUNK
        ):
            source_guid = guid("source", pk)
            xml.start("TextSource", guid=source_guid,
                      name=source_name(scope, pk, org_id, kind, on),
                      plainTextPath=f"internal://{source_guid}.txt",
                      creationDateTime=_iso(created))
            description = "; ".join(
                part for part in (title, scope.organisation(org_id), sector_of.get(org_id, ""),
                                  kind, _iso(on), author) if part
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
                for memo_pk in on_codings.get(coding_id, ()):
                    xml.empty("NoteRef", targetGUID=guid("memo", memo_pk))
                xml.end("PlainTextSelection")
                advance()
                progress.tick()
            if scope.case_codes and length:
                xml.start("PlainTextSelection", guid=guid("case-selection", pk),
                          startPosition=0, endPosition=length)
                xml.start("Coding", guid=guid("case-coding", pk))
                xml.empty("CodeRef", targetGUID=guid("organisation", org_id))
                xml.end("Coding")
                xml.end("PlainTextSelection")
            for memo_pk in on_fragments.get(pk, ()):
                xml.empty("NoteRef", targetGUID=guid("memo", memo_pk))
            for key, value in (
                ("organisation", scope.organisation(org_id)),
                ("kind", kind),
                ("date", _iso(on)),
                ("author", author),
            ):
                if value:
                    _variable_value(xml, key, value)
            xml.end("TextSource")
        xml.end("Sources")

    if memos:
        xml.start("Notes")
        for pk, _code_id, author, at, text in memos:
            xml.start("Note", guid=guid("memo", pk), name=memo_title(scope, author, at),
                      creatingUser=guid("user", author) if author else None,
                      creationDateTime=_iso(at))
            xml.text_element("PlainTextContent", scope.text(text))
            xml.end("Note")
        xml.end("Notes")
    xml.end("Project")
    xml.generator.endDocument()


def user_name(scope: Scope, user_id: int) -> str:
    return scope.person(user_id) or f"Onderzoeker (account {user_id})"


def memo_title(scope: Scope, author: int | None, at) -> str:
    who = user_name(scope, author) if author else "onbekend"
    return f"Memo van {who}, {timezone.localtime(at):%Y-%m-%d %H:%M}"


def unique_names(items: list[tuple[str, int, int, str]], several_studies: bool) -> dict:
    """{(kind, pk): name} with every name unique (ignoring case) in the export.

    QualCoder (and MAXQDA's code search) match codes by name: two codes or
    categories with one name merge on import. A name used more than once gets
    the study it belongs to (when the export spans studies) or the word
    "categorie" added, then a number if that is still not enough.
    """
    by_name: dict[str, list] = defaultdict(list)
    for item in items:
        by_name[item[3].lower()].append(item)
    result: dict[tuple[str, int], str] = {}
    taken = {name for name, group in by_name.items() if len(group) == 1}
    for kind, pk, study_id, name in items:
        group = by_name[name.lower()]
        if len(group) == 1:
            result[(kind, pk)] = name
            continue
        parts = []
        if kind == "category" and any(
            other[0] != "category" and other[2] == study_id for other in group
        ):
            parts.append("categorie")
        if several_studies and any(other[2] != study_id for other in group):
            parts.append(f"STUDY-{study_id}")
        base = candidate = f"{name} ({', '.join(parts)})" if parts else name
        number = 2
        while candidate.lower() in taken:
            candidate = f"{base} {number}"
            number += 1
        taken.add(candidate.lower())
        result[(kind, pk)] = candidate
    return result


def _write_codebook(xml: _Xml, scope: Scope, memos, organisations) -> None:
    """Categories become non-codable codes with their codes (and sub-categories) inside.

    Each memo stays a separate Note (with author and date) that its code
    refers to; the code's Description repeats them for tools that only read
    that. The codebook is small (hundreds of codes, not millions of rows), so
    it is read whole to build the tree.
    """
    categories = list(scope.categories().values_list("id", "name", "parent_id", "study_id"))
    codes = list(scope.codes().values_list("id", "name", "category_id", "study_id"))
    case_codes = organisations if scope.case_codes else []
    if not categories and not codes and not case_codes:
        return
    items = [("category", pk, study, scope.text(name)) for pk, name, _parent, study in categories]
    items += [("code", pk, study, scope.text(name)) for pk, name, _category, study in codes]
    items += [("case", org_id, 0, scope.organisation(org_id)) for org_id, _sector in case_codes]
    if case_codes:
        items.append(("cases", 0, 0, CASES_CATEGORY))
    names = unique_names(items, several_studies=len(scope.study_ids) > 1)

    memos_of: dict[int, list] = {}
    for pk, code_id, author, at, text in memos:
        memos_of.setdefault(code_id, []).append((pk, author, at, text))
    children: dict[int | None, list] = {}
    known = {pk for pk, _name, _parent, _study in categories}
    for pk, _name, parent, _study in categories:
        children.setdefault(parent if parent in known else None, []).append(
            ("category", pk, names[("category", pk)]))
    for pk, _name, category, _study in codes:
        children.setdefault(category if category in known else None, []).append(
            ("code", pk, names[("code", pk)]))

    def write(kind: str, pk: int, name: str) -> None:
        if kind == "code":
            xml.start("Code", guid=guid("code", pk), name=name, isCodable="true")
            notes = memos_of.get(pk, [])
            if notes:
                xml.text_element("Description", "\n\n".join(
                    f"{memo_title(scope, author, at)}:\n{scope.text(text)}"
                    for _memo, author, at, text in notes
                ))
                for memo_pk, _author, _at, _text in notes:
                    xml.empty("NoteRef", targetGUID=guid("memo", memo_pk))
            xml.end("Code")
            return
        xml.start("Code", guid=guid("category", pk), name=name, isCodable="false")
        for child in sorted(children.get(pk, []), key=lambda item: (item[0], item[2].lower())):
            write(*child)
        xml.end("Code")

    xml.start("CodeBook")
    xml.start("Codes")
    for item in sorted(children.get(None, []), key=lambda item: (item[0], item[2].lower())):
        write(*item)
    if case_codes:
        # For QualCoder: a code with the case's GUID, given to each whole
        # source of the organisation, is how its importer links cases to text.
        xml.start("Code", guid=guid("cases", 0), name=names[("cases", 0)], isCodable="false")
        xml.text_element("Description", "Eén code per organisatie (casus), voor programma's die "
                                        "casussen als codes lezen, zoals QualCoder.")
        for org_id, _sector in case_codes:
            xml.empty("Code", guid=guid("organisation", org_id), name=names[("case", org_id)],
                      isCodable="true")
        xml.end("Code")
    xml.end("Codes")
    xml.end("CodeBook")
