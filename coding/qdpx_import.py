"""Reading a REFI-QDA project (.qdpx) back: what MAXQDA, QualCoder or ATLAS.ti
made of this study's export.

`read_qdpx` opens the archive defensively (size limits, no path tricks, XML
without DTDs or entities) and returns what it holds; `plan_import` matches it
against the study: sources by GUID, then by text; codes and categories by
GUID, then by name; coders and memo authors by GUID, then by pseudonym. The
plan is plain JSON, shown to the researcher as a preview and applied by
`services.qdpx_import_apply` only after they confirm.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from research.pseudonymise import pseudonymiser_for_export
from trajectories.models import Membership, Role, StudyMembership, StudyRole

from .exports.qdpx import CASES_CATEGORY
from .exports.tables import guid
from .models import Category, Code, Coding, Fragment, Memo
from .selectors import person_labels

MAX_UPLOAD = 50 * 1024 * 1024  # bytes of the .qdpx itself
MAX_MEMBERS = 20_000
MAX_UNPACKED = 400 * 1024 * 1024  # all members together, uncompressed
MAX_MEMBER = 64 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, beyond which a member is a zip bomb
LISTED = 100  # unmatched items listed by name in the report

# What our own export adds to a name to keep it unique ("Tijd (categorie)",
# "Steun (STUDY-2)", "Steun (STUDY-2) 2"): taken off again to match by name.
_OUR_SUFFIX = re.compile(r" \((?:categorie(?:, STUDY-\d+)?|STUDY-\d+)\)(?: \d+)?$")


class QdpxError(Exception):
    """The file cannot be read as a REFI-QDA project; the message says why (Dutch)."""


@dataclass
class Node:
    guid: str
    name: str
    codable: bool
    parent: str | None  # GUID of the enclosing Code element
    description: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class Selection:
    start: int
    end: int
    codes: list[tuple[str, str | None, str | None]]  # (code GUID, user GUID, dateTime)


@dataclass
class Source:
    guid: str
    name: str
    text: str | None
    selections: list[Selection]
    notes: int = 0


@dataclass
class Project:
    software: str
    users: dict[str, str]
    nodes: list[Node]
    case_guids: set[str]
    sources: list[Source]
    notes: dict[str, dict]


# --- reading -----------------------------------------------------------------


def _safe_name(name: str) -> bool:
    if not name or name.startswith(("/", "\\")) or "\\" in name or ":" in name:
        return False
    return ".." not in name.split("/")


def read_qdpx(upload) -> Project:
    """The project in `upload` (a file object); QdpxError if it is not a safe,
    readable REFI-QDA project."""
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError) as error:
        raise QdpxError(_("This is not a QDPX file (a zip archive was expected).")) from error
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise QdpxError(_("The file holds too many parts to be a project of this study."))
        total = 0
        members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if not _safe_name(info.filename):
                raise QdpxError(
                    _("The file holds a part with an unsafe name: %(name)s")
                    % {"name": info.filename[:100]}
                )
            total += info.file_size
            if (
                info.file_size > MAX_MEMBER
                or total > MAX_UNPACKED
                or (
                    info.file_size > 1024 * 1024
                    and info.file_size > MAX_RATIO * max(info.compress_size, 1)
                )
            ):
                raise QdpxError(
                    _(
                        "The file unpacks to more than a project of this study can "
                        "hold; it was not read."
                    )
                )
            members[info.filename.lower()] = info
        qde = members.get("project.qde") or next(
            (info for name, info in members.items() if name.endswith(".qde") and "/" not in name),
            None,
        )
        if qde is None:
            raise QdpxError(
                _(
                    "The file holds no project.qde: export a REFI-QDA project (.qdpx) "
                    "from your QDA program."
                )
            )

        def read(info) -> bytes:
            with archive.open(info) as handle:
                data = handle.read(MAX_MEMBER + 1)
            if len(data) > MAX_MEMBER:
                raise QdpxError(_("A part of the file is too large."))
            return data

        try:
            root = ElementTree.fromstring(read(qde), forbid_dtd=True)
        except (ElementTree.ParseError, DefusedXmlException, ValueError) as error:
            raise QdpxError(
                _("project.qde is not valid XML: %(error)s") % {"error": str(error)[:200]}
            ) from error

        def text_of(path: str | None) -> str | None:
            if not path or not path.startswith("internal://"):
                return None
            name = path.removeprefix("internal://").lstrip("/")
            info = members.get(f"sources/{name}".lower())
            if info is None:
                return None
            return read(info).decode("utf-8-sig", errors="replace")

        return _parse(root, text_of)


def _parse(root, text_of) -> Project:
    match = re.match(r"\{(urn:QDA-XML:project:[^}]+)\}Project$", root.tag)
    if not match:
        raise QdpxError(_("This is not a REFI-QDA project (the root element is not Project)."))
    ns = match.group(1)

    def tag(name: str) -> str:
        return f"{{{ns}}}{name}"

    def child_text(element, name: str) -> str:
        found = element.find(tag(name))
        return (found.text or "") if found is not None else ""

    users = {u.get("guid", "").lower(): u.get("name") or "" for u in root.iter(tag("User"))}
    nodes: list[Node] = []

    def walk(element, parent: str | None) -> None:
        for code in element.findall(tag("Code")):
            node = Node(
                guid=code.get("guid", "").lower(),
                name=" ".join((code.get("name") or "").split()),
                codable=code.get("isCodable", "true").lower() != "false",
                parent=parent,
                description=child_text(code, "Description").strip(),
                notes=[ref.get("targetGUID", "").lower() for ref in code.findall(tag("NoteRef"))],
            )
            nodes.append(node)
            walk(code, node.guid)

    codes = root.find(f"{tag('CodeBook')}/{tag('Codes')}")
    if codes is not None:
        walk(codes, None)
    case_guids = {case.get("guid", "").lower() for case in root.iter(tag("Case"))}
    sources: list[Source] = []
    for element in root.iter(tag("TextSource")):
        content = element.find(tag("PlainTextContent"))
        text = (
            (content.text or "") if content is not None else text_of(element.get("plainTextPath"))
        )
        selections = []
        notes = 0
        for selection in element.findall(tag("PlainTextSelection")):
            notes += len(selection.findall(tag("NoteRef")))
            try:
                start = int(selection.get("startPosition"))
                end = int(selection.get("endPosition"))
            except (TypeError, ValueError):
                continue
            user = selection.get("creatingUser")
            at = selection.get("creationDateTime")
            codings = []
            for coding in selection.findall(tag("Coding")):
                ref = coding.find(tag("CodeRef"))
                if ref is None:
                    continue
                codings.append(
                    (
                        ref.get("targetGUID", "").lower(),
                        (coding.get("creatingUser") or user or "").lower() or None,
                        coding.get("creationDateTime") or at,
                    )
                )
            selections.append(Selection(start, end, codings))
        sources.append(
            Source(
                element.get("guid", "").lower(), element.get("name") or "", text, selections, notes
            )
        )
    notes = {}
    for note in root.iter(tag("Note")):
        notes[note.get("guid", "").lower()] = {
            "text": child_text(note, "PlainTextContent")
            or text_of(note.get("plainTextPath"))
            or "",
            "user": (note.get("creatingUser") or "").lower() or None,
            "at": note.get("creationDateTime"),
        }
    return Project(root.get("origin") or "", users, nodes, case_guids, sources, notes)


# --- matching ----------------------------------------------------------------


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _offset_map(imported: str, ours: str):
    """A function from offsets in `imported` to offsets in `ours`, or None when
    the texts differ by more than line endings."""
    if imported == ours:
        return lambda position: position
    if _normalise(imported) != ours:
        return None
    # Every CR before a position (of a CR LF pair or on its own, made LF) shifts it.
    pairs = [match.start() + 1 for match in re.finditer("\r\n", imported)]

    def convert(position: int) -> int:
        return position - bisect.bisect_right(pairs, position - 1)

    return convert


def clean_name(name: str) -> str:
    return _OUR_SUFFIX.sub("", name).strip()[:120]


def _parse_at(value: str | None) -> str | None:
    if not value:
        return None
    try:
        moment = parse_datetime(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.isoformat() if isinstance(moment, datetime) else None


def research_team(study_id: int) -> list[int]:
    """Users who may code in the study: its researchers and the trajectories'."""
    return sorted(
        set(
            StudyMembership.objects.filter(
                study_id=study_id, role=StudyRole.RESEARCHER
            ).values_list("user_id", flat=True)
        )
        | set(
            Membership.objects.filter(
                trajectory__study_id=study_id, role=Role.RESEARCHER
            ).values_list("user_id", flat=True)
        )
    )


def plan_import(project: Project, *, study, trajectory_ids: list[int], user) -> dict:
    """What taking `project` over into `study` would do, as JSON for the preview."""
    report: dict = {"software": project.software[:100]}

    # People: a GUID of our export, else a pseudonym of the research team.
    team = research_team(study.pk)
    by_user, _by_email, _by_invitee = person_labels()
    by_guid = {guid("user", pk): pk for pk in team}
    by_label = {by_user[pk].lower(): pk for pk in team if pk in by_user}
    people: dict[str | None, int] = {}
    unknown_people: set[str] = set()

    def person(user_guid: str | None) -> int:
        if not user_guid:  # no author in the file: the person who imports
            return user.pk
        if user_guid in people:
            return people[user_guid]
        pk = by_guid.get(user_guid or "")
        if pk is None:
            name = project.users.get(user_guid or "", "")
            pk = by_label.get(name.strip().lower())
            if pk is None:
                unknown_people.add(name or _("(no name)"))
                pk = user.pk
        people[user_guid] = pk
        return pk

    # Sources onto fragments.
    fragments = {
        pk: text
        for pk, text in Fragment.objects.filter(
            trajectory__study=study, trajectory_id__in=trajectory_ids
        ).values_list("id", "text")
    }
    fragment_of_guid = {guid("source", pk): pk for pk in fragments}
    by_text: dict[str, list[int]] = {}
    for pk, text in fragments.items():
        by_text.setdefault(_digest(text), []).append(pk)

    matched: dict[str, tuple[int, object]] = {}
    unmatched_sources = []
    counts = {"by_guid": 0, "by_text": 0}
    for source in project.sources:
        pk = fragment_of_guid.get(source.guid)
        how = "by_guid"
        if pk is None and source.text is not None:
            candidates = by_text.get(_digest(_normalise(source.text)), [])
            pk = candidates[0] if len(candidates) == 1 else None
            how = "by_text"
        if pk is None:
            unmatched_sources.append(
                {"name": source.name[:200], "reason": _("no fragment of this study has this text")}
            )
            continue
        convert = _offset_map(source.text, fragments[pk]) if source.text is not None else None
        if convert is None:
            unmatched_sources.append(
                {"name": source.name[:200], "reason": _("the text differs from the fragment")}
            )
            continue
        counts[how] += 1
        matched[source.guid] = (pk, convert)
    report["sources"] = {
        "total": len(project.sources),
        **counts,
        "unmatched": len(unmatched_sources),
        "unmatched_list": unmatched_sources[:LISTED],
    }

    # The codebook: categories and codes, matched by GUID, then by name.
    categories = {c.pk: c for c in Category.objects.filter(study=study)}
    codes = {c.pk: c for c in Code.objects.filter(study=study)}
    category_guid = {guid("category", pk): pk for pk in categories}
    code_guid = {guid("code", pk): pk for pk in codes}
    category_name = {c.name.lower(): c.pk for c in categories.values()}
    code_name = {c.name.lower(): c.pk for c in codes.values()}
    nodes = {node.guid: node for node in project.nodes}
    case_nodes = {n.guid for n in project.nodes if n.guid in project.case_guids}
    skipped = {
        n.guid
        for n in project.nodes
        if n.guid == guid("cases", 0) or (not n.codable and n.name == CASES_CATEGORY)
    } | case_nodes

    def category_of(node: Node) -> str | None:
        parent = nodes.get(node.parent or "")
        while parent is not None and (parent.codable or parent.guid in skipped):
            parent = nodes.get(parent.parent or "")
        return parent.guid if parent is not None else None

    plan_categories, plan_codes, changes = [], [], []
    keys_by_name: dict[tuple[str, str], str] = {}
    nested = 0
    for node in project.nodes:
        if node.guid in skipped or not node.name:
            continue
        name = clean_name(node.name)
        kind = "code" if node.codable else "category"
        if kind == "category":
            existing = category_guid.get(node.guid) or category_name.get(name.lower())
        else:
            existing = code_guid.get(node.guid) or code_name.get(name.lower())
        # Two elements of one name are one code (or category) here.
        key = keys_by_name.setdefault((kind, name.lower()), node.guid)
        parent = category_of(node)
        enclosing = nodes.get(node.parent or "")
        if kind == "code" and enclosing is not None and enclosing.codable:
            nested += 1
        if key != node.guid:
            target = plan_codes if kind == "code" else plan_categories
            target.append({"key": node.guid, "same_as": key})
            continue
        entry = {"key": node.guid, "name": name, "parent": parent, "match": existing}
        if existing is not None:
            current = (categories if kind == "category" else codes)[existing]
            if current.name.lower() != name.lower() and (
                (category_name if kind == "category" else code_name).get(name.lower()) is None
            ):
                changes.append(
                    {
                        "kind": kind,
                        "id": existing,
                        "change": "rename",
                        "from": current.name,
                        "to": name,
                    }
                )
            entry["current_parent"] = (
                current.parent_id if kind == "category" else current.category_id
            )
        (plan_categories if kind == "category" else plan_codes).append(entry)

    # Moves: a matched code or category whose category differs in the file.
    key_to_existing = {e["key"]: e.get("match") for e in plan_categories if "same_as" not in e}
    for entry in plan_categories + plan_codes:
        if "same_as" in entry or entry.get("match") is None:
            continue
        new_parent = key_to_existing.get(entry["parent"]) if entry["parent"] else None
        if entry["parent"] and new_parent is None:
            new_parent = "new:" + entry["parent"]
        if new_parent != entry["current_parent"]:
            kind = "code" if entry in plan_codes else "category"
            table = codes if kind == "code" else categories
            changes.append(
                {
                    "kind": kind,
                    "id": entry["match"],
                    "change": "move",
                    "from": _path_name(categories, entry["current_parent"]),
                    "to": _node_name(nodes, entry["parent"]),
                    "parent": entry["parent"],
                    "name": table[entry["match"]].name,
                }
            )

    # Memos: each Note a code refers to; a Description without notes is one memo.
    pseudonymiser = pseudonymiser_for_export()
    known_memos: dict[int, set[str]] = {}
    for code_id, text in Memo.objects.filter(code__study=study).values_list("code_id", "text"):
        known_memos.setdefault(code_id, set()).update(
            {text.strip(), pseudonymiser.apply(text).strip()}
        )
    plan_memos = []
    memo_skipped = 0
    used_notes: set[str] = set()
    for entry in plan_codes:
        if "same_as" in entry:
            continue
        node = nodes[entry["key"]]
        texts = []
        for note_guid in node.notes:
            note = project.notes.get(note_guid)
            if note and note["text"].strip():
                used_notes.add(note_guid)
                texts.append((note["text"].strip(), note["user"], note["at"]))
        if not node.notes and node.description:
            texts.append((node.description, None, None))
        for text, author, at in texts:
            if text in known_memos.get(entry.get("match"), set()):
                memo_skipped += 1
                continue
            plan_memos.append(
                {"code": entry["key"], "text": text, "author": person(author), "at": _parse_at(at)}
            )
    # Codings.
    resolve = {e["key"]: e.get("same_as", e["key"]) for e in plan_codes}
    match_of = {e["key"]: e.get("match") for e in plan_codes if "same_as" not in e}
    existing_codings = set(
        Coding.objects.filter(fragment_id__in=[pk for pk, _c in matched.values()]).values_list(
            "fragment_id", "code_id", "start", "end", "coder_id"
        )
    )
    plan_codings, present, problems = [], 0, []
    for source in project.sources:
        if source.guid not in matched:
            continue
        pk, convert = matched[source.guid]
        length = len(fragments[pk])
        for selection in source.selections:
            start, end = convert(selection.start), convert(selection.end)
            for code_guid_, user_guid, at in selection.codes:
                if code_guid_ in skipped:
                    continue
                key = resolve.get(code_guid_)
                if key is None:
                    problems.append(
                        {
                            "source": source.name[:200],
                            "reason": _("the code is not in the codebook"),
                        }
                    )
                    continue
                if not 0 <= start < end <= length:
                    problems.append(
                        {
                            "source": source.name[:200],
                            "reason": _("characters %(start)s–%(end)s lie outside the text")
                            % {"start": start, "end": end},
                        }
                    )
                    continue
                coder = person(user_guid)
                if (pk, match_of.get(key), start, end, coder) in existing_codings:
                    present += 1
                    continue
                plan_codings.append(
                    {
                        "fragment": pk,
                        "code": key,
                        "start": start,
                        "end": end,
                        "coder": coder,
                        "at": _parse_at(at),
                    }
                )
    report["codes"] = {
        "categories_new": sum(
            1 for e in plan_categories if "same_as" not in e and e["match"] is None
        ),
        "categories_matched": sum(1 for e in plan_categories if e.get("match") is not None),
        "codes_new": sum(1 for e in plan_codes if "same_as" not in e and e["match"] is None),
        "codes_matched": sum(1 for e in plan_codes if e.get("match") is not None),
        "merged_by_name": sum(1 for e in plan_categories + plan_codes if "same_as" in e),
        "nested_codes": nested,
        "case_codes_skipped": len(case_nodes),
        "new_names": sorted(
            e["name"] for e in plan_codes if "same_as" not in e and e["match"] is None
        )[:LISTED],
    }
    report["changes"] = changes
    report["memos"] = {
        "new": len(plan_memos),
        "present": memo_skipped,
        "notes_not_taken": len(set(project.notes) - used_notes)
        + sum(source.notes for source in project.sources),
    }
    report["codings"] = {
        "new": len(plan_codings),
        "present": present,
        "unmatched": len(problems),
        "unmatched_list": problems[:LISTED],
    }
    report["unknown_people"] = sorted(unknown_people)
    return {
        "categories": plan_categories,
        "codes": plan_codes,
        "memos": plan_memos,
        "codings": plan_codings,
        "changes": changes,
        "report": report,
    }


def _path_name(categories, pk) -> str:
    return categories[pk].name if pk in categories else ""


def _node_name(nodes, key) -> str:
    return clean_name(nodes[key].name) if key in nodes else ""


__all__ = ["MAX_UPLOAD", "QdpxError", "plan_import", "read_qdpx", "research_team"]
