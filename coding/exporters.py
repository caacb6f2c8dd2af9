"""The anonymised export in four formats: JSON, CSV (a zip of tables), XLSX and
REFI-QDA (.qdpx).

Privacy: organisations appear only as their code (ORG-03), people only as
their pseudonym ("Aanjager 2"), every free text has been through the
pseudonymiser (fragment texts when the fragment was made, everything else
here), and nothing of the key is read into the output. Withdrawn persons'
data are absent because withdrawal deleted them; the `withdrawals` table only
says that a withdrawal happened.

Memory: every table is read with `.iterator(chunk_size=…)` and written as it
is read, so peak memory does not grow with the amount of text. What is held
whole is small and bounded by the number of people, organisations and codes
(pseudonym labels, organisation codes, the codebook).
"""

from __future__ import annotations

import csv
import io
import json
import pickle
import re
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO
from xml.sax.saxutils import XMLGenerator

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Subquery
from django.db.models.functions import Substr
from django.utils import timezone, translation

from .models import Category, Code, Coding, Fragment, Memo

CHUNK = 200
FORMAT_VERSION = 1
QDA_NAMESPACE = "urn:QDA-XML:project:1.0"
# GUIDs are derived from this namespace and the row id, so an export made twice
# gives the same GUIDs (a QDA program can then recognise a re-import).
GUID_NAMESPACE = uuid.UUID("5b0b7c3e-8f5d-4d8e-9a55-6c0f5a1e2d01")
# XML 1.0 forbids most control characters; openpyxl refuses them too.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
XLSX_CELL_LIMIT = 32767


def guid(kind: str, pk) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, f"{kind}:{pk}"))


def clean(value: str) -> str:
    return _ILLEGAL_XML.sub(" ", value)


@dataclass
class Table:
    name: str
    columns: list[str]
    count: Callable[[], int]
    rows: Callable[[], Iterator[tuple]]


class Scope:
    """What one export covers, and the labels it may print instead of names."""

    def __init__(self, trajectory_ids=None):
        from research.models import OrganisationCode, format_organisation_code
        from research.pseudonymise import pseudonymiser_for_export
        from trajectories.models import Trajectory

        from .services import person_labels

        # Building the pseudonymiser allocates every missing pseudonym and code,
        # so the label look-ups below are complete.
        self.pseudonymiser = pseudonymiser_for_export()
        self.by_user, self.by_email, self.by_invitee = person_labels()
        self.org_codes = {
            organisation_id: format_organisation_code(number)
            for organisation_id, number in OrganisationCode.objects.values_list(
                "organisation_id", "number"
            )
        }
        trajectories = Trajectory.objects.all()
        if trajectory_ids is not None:
            trajectories = trajectories.filter(id__in=list(trajectory_ids))
        self.trajectory_ids = list(trajectories.values_list("id", flat=True))
        self.study_ids = sorted(set(trajectories.values_list("study_id", flat=True)))

    def text(self, value: str | None) -> str:
        return self.pseudonymiser.apply(value) if value else ""

    def person(self, user_id: int | None) -> str:
        return self.by_user.get(user_id, "") if user_id else ""

    def organisation(self, organisation_id: int) -> str:
        return self.org_codes.get(organisation_id, "")

    # -- querysets ------------------------------------------------------------

    def fragments(self):
        return Fragment.objects.filter(trajectory_id__in=self.trajectory_ids)

    def codings(self):
        return Coding.objects.filter(fragment__trajectory_id__in=self.trajectory_ids)

    def codes(self):
        return Code.objects.filter(study_id__in=self.study_ids)

    def categories(self):
        return Category.objects.filter(study_id__in=self.study_ids)


def _iso(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _ref(prefix: str, pk) -> str:
    return f"{prefix}-{pk}" if pk else ""


# --- the tables ----------------------------------------------------------------


def tables(scope: Scope) -> list[Table]:
    from dialogues.models import Consent, Invitee
    from research.models import ResearchConsent, Withdrawal
    from trajectories.models import HalfDay, Membership, Organisation, PhaseTransition, Trajectory

    trajectories = Trajectory.objects.filter(id__in=scope.trajectory_ids)
    organisations = Organisation.objects.filter(
        id__in=trajectories.values("organisation_id")
    ).order_by("id")

    def organisation_rows():
        for org_id, sector, kind in organisations.values_list("id", "sector", "kind").iterator(
            chunk_size=CHUNK
        ):
            yield (scope.organisation(org_id), sector, kind)

    def trajectory_rows():
        qs = trajectories.order_by("id").values_list(
            "id", "organisation_id", "study_id", "phase", "starts_on", "ends_on",
            "decision__is_yes", "decision__decided_on",
        )
        for pk, org_id, study_id, phase, starts, ends, yes, decided in qs.iterator(
            chunk_size=CHUNK
        ):
            decision = "" if yes is None else ("yes" if yes else "no")
            yield (_ref("T", pk), scope.organisation(org_id), _ref("STUDY", study_id), phase,
                   _iso(starts), _iso(ends), decision, _iso(decided))

    transitions = PhaseTransition.objects.filter(trajectory_id__in=scope.trajectory_ids)

    def transition_rows():
        qs = transitions.order_by("trajectory_id", "at", "id").values_list(
            "trajectory_id", "from_phase", "to_phase", "at"
        )
        for trajectory_id, from_phase, to_phase, at in qs.iterator(chunk_size=CHUNK):
            yield (_ref("T", trajectory_id), from_phase, to_phase, _iso(at))

    half_days = HalfDay.objects.filter(trajectory_id__in=scope.trajectory_ids)

    def half_day_rows():
        qs = half_days.order_by("trajectory_id", "starts_at", "id").values_list(
            "id", "trajectory_id", "starts_at", "ends_at", "is_start_dialogue", "is_online",
            "unit", "intervention_types", "goals", "title",
        )
        for (pk, trajectory_id, starts, ends, start_dialogue, online, unit, interventions,
             goals, title) in qs.iterator(chunk_size=CHUNK):
            yield (_ref("H", pk), _ref("T", trajectory_id), _iso(starts), _iso(ends),
                   start_dialogue, online, unit, ";".join(map(str, interventions or [])),
                   ";".join(map(str, goals or [])), scope.text(title))

    latest_research_consent = ResearchConsent.objects.filter(
        user=OuterRef("user_id"), trajectory=OuterRef("trajectory_id")
    ).order_by("-at", "-id")
    withdrawn = Withdrawal.objects.filter(
        user=OuterRef("user_id"), trajectory=OuterRef("trajectory_id")
    )
    memberships = Membership.objects.filter(trajectory_id__in=scope.trajectory_ids)
    latest_dialogue_consent = Consent.objects.filter(invitee=OuterRef("pk")).order_by("-at", "-id")
    invitees = Invitee.objects.filter(session__trajectory_id__in=scope.trajectory_ids)

    def consent_word(agreed, is_withdrawn) -> str:
        if is_withdrawn:
            return "withdrawn"
        if agreed is None:
            return "not recorded"
        return "given" if agreed else "refused"

    def person_rows():
        qs = (
            memberships.annotate(
                agreed=Subquery(latest_research_consent.values("agreed")[:1]),
                withdrawn=Exists(withdrawn),
            )
            .order_by("trajectory_id", "id")
            .values_list("trajectory_id", "trajectory__organisation_id", "user_id", "role",
                         "agreed", "withdrawn")
        )
        for trajectory_id, org_id, user_id, role, agreed, is_withdrawn in qs.iterator(
            chunk_size=CHUNK
        ):
            yield (scope.person(user_id), role, scope.organisation(org_id),
                   _ref("T", trajectory_id), consent_word(agreed, is_withdrawn))
        qs = (
            invitees.annotate(agreed=Subquery(latest_dialogue_consent.values("agreed")[:1]))
            .order_by("session__trajectory_id", "id")
            .values_list("id", "session__trajectory_id", "session__trajectory__organisation_id",
                         "agreed")
        )
        for invitee_id, trajectory_id, org_id, agreed in qs.iterator(chunk_size=CHUNK):
            yield (scope.by_invitee.get(invitee_id, ""), "invitee", scope.organisation(org_id),
                   _ref("T", trajectory_id), consent_word(agreed, False))

    withdrawals = Withdrawal.objects.filter(trajectory_id__in=scope.trajectory_ids)

    def withdrawal_rows():
        qs = withdrawals.order_by("withdrawn_on", "id").values_list(
            "pseudonym_label", "trajectory_id", "trajectory__organisation_id", "within_window",
            "withdrawn_on",
        )
        for label, trajectory_id, org_id, within, on in qs.iterator(chunk_size=CHUNK):
            yield (label, scope.organisation(org_id), _ref("T", trajectory_id), within, _iso(on))

    def source_rows():
        qs = scope.fragments().order_by("id").values_list(
            "id", "trajectory_id", "trajectory__organisation_id", "kind", "occurred_on",
            "author_label", "title", "text",
        )
        for pk, trajectory_id, org_id, kind, on, author, title, text in qs.iterator(
            chunk_size=CHUNK
        ):
            yield (_ref("S", pk), scope.organisation(org_id), _ref("T", trajectory_id), kind,
                   _iso(on), author, title, text)

    def category_rows():
        qs = scope.categories().order_by("id").values_list("id", "name", "parent_id")
        for pk, name, parent in qs.iterator(chunk_size=CHUNK):
            yield (_ref("C", pk), scope.text(name), _ref("C", parent))

    def code_rows():
        qs = scope.codes().order_by("id").values_list("id", "name", "category_id", "created_by_id")
        for pk, name, category, by in qs.iterator(chunk_size=CHUNK):
            yield (_ref("K", pk), scope.text(name), _ref("C", category), scope.person(by))

    memos = Memo.objects.filter(code__study_id__in=scope.study_ids)

    def memo_rows():
        qs = memos.order_by("code_id", "created_at", "id").values_list(
            "code_id", "author_id", "created_at", "text"
        )
        for code_id, author, at, text in qs.iterator(chunk_size=CHUNK):
            yield (_ref("K", code_id), scope.person(author), _iso(at), scope.text(text))

    def coding_rows():
        qs = (
            scope.codings()
            .annotate(quote=Substr("fragment__text", F("start") + 1, F("end") - F("start")))
            .order_by("fragment_id", "start", "id")
            .values_list(
                "id", "fragment_id", "code_id", "start", "end", "coder_id", "created_at", "quote"
            )
        )
        for pk, fragment_id, code_id, start, end, coder, at, quote in qs.iterator(
            chunk_size=CHUNK
        ):
            yield (_ref("X", pk), _ref("S", fragment_id), _ref("K", code_id), start, end,
                   scope.person(coder), _iso(at), quote)

    return [
        Table("organisations", ["organisation", "sector", "kind"], organisations.count,
              organisation_rows),
        Table("trajectories", ["trajectory", "organisation", "study", "phase", "starts_on",
                               "ends_on", "decision", "decided_on"],
              trajectories.count, trajectory_rows),
        Table("phase_transitions", ["trajectory", "from_phase", "to_phase", "at"],
              transitions.count, transition_rows),
        Table("half_days", ["half_day", "trajectory", "starts_at", "ends_at",
                            "is_start_dialogue", "is_online", "unit", "intervention_types",
                            "goals", "title"], half_days.count, half_day_rows),
        Table("persons", ["pseudonym", "role", "organisation", "trajectory", "consent"],
              lambda: memberships.count() + invitees.count(), person_rows),
        Table("withdrawals", ["pseudonym", "organisation", "trajectory", "within_window",
                              "withdrawn_on"], withdrawals.count, withdrawal_rows),
        Table("sources", ["source", "organisation", "trajectory", "kind", "date", "author",
                          "title", "text"], lambda: scope.fragments().count(), source_rows),
        Table("categories", ["category", "name", "parent"], lambda: scope.categories().count(),
              category_rows),
        Table("codes", ["code", "name", "category", "created_by"], lambda: scope.codes().count(),
              code_rows),
        Table("memos", ["code", "author", "written_at", "text"], memos.count, memo_rows),
        Table("codings", ["coding", "source", "code", "start", "end", "coder", "created_at",
                          "quote"], lambda: scope.codings().count(), coding_rows),
    ]


# --- writers -------------------------------------------------------------------


class _Progress:
    """Calls `progress(fraction)` now and then while rows are written."""

    def __init__(self, callback, total: int):
        self.callback = callback
        self.total = max(total, 1)
        self.done = 0

    def tick(self, rows: int = 1) -> None:
        self.done += rows
        if self.callback and self.done % 200 == 0:
            self.callback(min(self.done / self.total, 1.0))

    def finish(self) -> None:
        if self.callback:
            self.callback(1.0)


def _json_value(value):
    return value if isinstance(value, (bool, int, float)) or value is None else str(value)


def write_json(out: IO[bytes], scope: Scope, progress: _Progress) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="\n")
    try:
        text.write('{"format": "lob-traject-anonymised-export", ')
        text.write(f'"version": {FORMAT_VERSION}, ')
        text.write(f'"exported_at": {json.dumps(_iso(timezone.now()))}, "tables": {{')
        for number, table in enumerate(tables(scope)):
            text.write(("," if number else "") + f"\n{json.dumps(table.name)}: [")
            for index, row in enumerate(table.rows()):
                record = dict(zip(table.columns, map(_json_value, row), strict=True))
                text.write(("," if index else "") + "\n  " + json.dumps(record, ensure_ascii=False))
                progress.tick()
            text.write("\n]")
        text.write("\n}}\n")
        text.flush()
    finally:
        text.detach()  # leave `out` open for the caller


def write_csv(out: IO[bytes], scope: Scope, progress: _Progress) -> None:
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in tables(scope):
            with archive.open(f"{table.name}.csv", "w") as member:
                # utf-8-sig: Excel then reads the accents right.
                text = io.TextIOWrapper(member, encoding="utf-8-sig", newline="")
                writer = csv.writer(text)
                writer.writerow(table.columns)
                for row in table.rows():
                    writer.writerow(row)
                    progress.tick()
                text.flush()
                text.detach()


def write_xlsx(out: IO[bytes], scope: Scope, progress: _Progress) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for table in tables(scope):
        sheet = workbook.create_sheet(title=table.name[:31])
        sheet.append(table.columns)
        for row in table.rows():
            sheet.append([_xlsx_value(sheet, value) for value in row])
            progress.tick()
    workbook.save(out)


def _xlsx_value(sheet, value):
    if not isinstance(value, str):
        return value
    # Excel refuses longer cells; the full text is in the other formats.
    value = clean(value)[:XLSX_CELL_LIMIT]
    if value.startswith("="):
        # openpyxl would store this as a formula; a participant's words are text.
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        return cell
    return value


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
    from trajectories.models import Organisation

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


WRITERS = {"json": write_json, "csv": write_csv, "xlsx": write_xlsx, "qdpx": write_qdpx}


def export_anonymised(*, out, fmt: str, progress: Callable[[float], None] | None = None,
                      trajectory_ids=None) -> dict:
    """Write the anonymised export of the trajectories `trajectory_ids` (None: all)
    in format `fmt` to `out` (a path or a binary file). Returns row counts."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown export format {fmt!r}")
    with translation.override(settings.LANGUAGE_CODE):
        scope = Scope(trajectory_ids)
        counts = {
            "sources": scope.fragments().count(),
            "codes": scope.codes().count(),
            "codings": scope.codings().count(),
        }
        total = sum(table.count() for table in tables(scope))
        ticker = _Progress(progress, total + counts["sources"])
        if isinstance(out, (str, Path)):
            with open(out, "wb") as handle:
                WRITERS[fmt](handle, scope, ticker)
        else:
            WRITERS[fmt](out, scope, ticker)
        ticker.finish()
    return counts
