"""Writes of the coding workbench: fragments, codes, categories, memos,
codings, merges, exports, and forgetting a person who withdrew.

Views, the Celery task, the management command and the demo seeder all call
these functions.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lobtraject import outbox
from lobtraject.files import save_generated
from research.audit import audit_record
from research.pseudonymise import pseudonymiser_for_export

from . import exports
from .models import (
    Category,
    Code,
    Coding,
    Export,
    ExportStatus,
    Fragment,
    ImportStatus,
    Memo,
    QdpxImport,
)
from .qdpx_import import MAX_UPLOAD, QdpxError, plan_import, read_qdpx
from .selectors import person_labels
from .sources import all_sources

logger = logging.getLogger(__name__)

BATCH = 200


# --- audit -------------------------------------------------------------------


def _audit(*, actor, action: str, target: str, detail: dict | None = None, study=None) -> None:
    """One event in the research audit log: ids and counts only, never names or text."""

    audit_record(actor, action, target=target, detail=detail or {}, study=study)


# --- fragments ---------------------------------------------------------------


def fragments_sync(*, trajectory_ids=None, pseudonymiser=None) -> int:
    """Make a pseudonymised fragment of every source text that has none yet, and
    bring uncoded fragments up to date with their source.

    A fragment that has codings is left as it is: its codings point at
    character offsets in the pseudonymised text, which must not shift. Returns
    the number of fragments made or updated. `pseudonymiser`: one the caller built
    just before with `pseudonymiser_for_export()` (the demo seeder), not built twice.
    """

    pseudonymiser = pseudonymiser or pseudonymiser_for_export()
    by_user, _by_email, by_invitee = person_labels()
    existing = Fragment.objects.all()
    if trajectory_ids is not None:
        existing = existing.filter(trajectory_id__in=trajectory_ids)
    # {(kind, source id): (fragment id, digest of its text) or None when coded}:
    # a digest instead of the text keeps this small.
    coded = set(Coding.objects.filter(fragment__in=existing).values_list("fragment_id",
                                                                         flat=True).distinct())
    known: dict[tuple[str, int], tuple[int, bytes] | None] = {}
    for pk, kind, source_id, text in existing.values_list(
        "id", "kind", "source_id", "text"
    ).iterator(chunk_size=BATCH):
        known[(kind, source_id)] = None if pk in coded else (pk, _digest(text))
    changed = 0
    batch: list[Fragment] = []
    updates: list[Fragment] = []
    for source in all_sources(trajectory_ids):
        key = (source.kind, source.source_id)
        if not source.text.strip() or (key in known and known[key] is None):
            continue
        # Browsers turn CR LF into LF: store LF only, so the offsets a
        # selection in the browser gives match the stored text.
        text = pseudonymiser.apply(_normalise_newlines(source.text))
        title = pseudonymiser.apply(source.title)[:300]
        if key in known:
            pk, digest = known[key]
            if digest != _digest(text):
                updates.append(Fragment(pk=pk, text=text, title=title))
        else:
            author = by_user.get(source.user_id) if source.user_id else by_invitee.get(
                source.invitee_id, ""
            )
            batch.append(
                Fragment(
                    trajectory_id=source.trajectory_id,
                    kind=source.kind,
                    source_id=source.source_id,
                    title=title,
                    text=text,
                    occurred_on=source.occurred_on,
                    user_id=source.user_id,
                    invitee_id=source.invitee_id,
                    author_label=author or "",
                )
            )
        if len(batch) >= BATCH:
            changed += _save_fragments(batch)
            batch = []
        if len(updates) >= BATCH:
            changed += _update_fragments(updates)
            updates = []
    changed += _save_fragments(batch) + _update_fragments(updates)
    return changed


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def _update_fragments(fragments: list[Fragment]) -> int:
    if not fragments:
        return 0
    with transaction.atomic():
        # Only fragments still without codings: a coding made meanwhile wins.
        free = set(
            Fragment.objects.filter(pk__in=[f.pk for f in fragments], codings__isnull=True)
            .select_for_update(of=("self",))
            .values_list("pk", flat=True)
        )
        fragments = [fragment for fragment in fragments if fragment.pk in free]
        for fragment in fragments:  # new text: its names must be checked again
            fragment.name_findings = []
            fragment.names_checked_at = None
        Fragment.objects.bulk_update(
            fragments, ["text", "title", "name_findings", "names_checked_at"]
        )
    return len(fragments)


def fragments_check_names_request(*, fragment_ids: list[int]) -> int:
    """Queue deduce's check of the given fragments that were not checked yet."""
    ids = list(
        Fragment.objects.filter(pk__in=fragment_ids, names_checked_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    if ids:
        outbox.enqueue("coding.tasks.check_fragment_names", ids)
    return len(ids)


def fragments_check_names(*, fragment_ids: list[int]) -> int:
    """Let deduce look for names the system does not know in the pseudonymised text.

    Known names are already replaced by pseudonyms, so whatever deduce still
    finds is a name (or place) the pseudonymiser could not know: it is stored
    on the fragment for a researcher to review, never replaced automatically.
    Returns the number of fragments with findings.
    """

    pseudonymiser = pseudonymiser_for_export()
    with_findings = 0
    for fragment in Fragment.objects.filter(
        pk__in=fragment_ids, names_checked_at__isnull=True
    ).only("pk", "text"):
        findings = [
            {"start": f.start, "end": f.end, "text": f.text, "tag": f.tag}
            for f in pseudonymiser.review(fragment.text)
        ]
        with_findings += bool(findings)
        # Only if the text is still the one that was checked.
        Fragment.objects.filter(pk=fragment.pk, text=fragment.text).update(
            name_findings=findings, names_checked_at=timezone.now()
        )
    return with_findings


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _save_fragments(batch: list[Fragment]) -> int:
    if not batch:
        return 0
    # ignore_conflicts: two syncs running at once must not fail on the
    # one-fragment-per-source constraint.
    with transaction.atomic():
        created = Fragment.objects.bulk_create(batch, ignore_conflicts=True)
    return len(created)


@transaction.atomic
def fragment_forget_person(
    *, user_id: int | None = None, invitee_ids=(), kinds=None, trajectory_ids=None
) -> int:
    """Delete the fragments holding this person's words, and the codings on them.

    Called by the withdrawal service when consent is withdrawn inside the
    window; `kinds` (source kinds) and `trajectory_ids` narrow it to a
    withdrawal of one kind of data. Returns the number of fragments deleted.
    """
    condition = Q(pk__in=[])
    if user_id is not None:
        condition |= Q(user_id=user_id)
    if invitee_ids:
        condition |= Q(invitee_id__in=list(invitee_ids))
    fragments = Fragment.objects.filter(condition)
    if kinds is not None:
        fragments = fragments.filter(kind__in=list(kinds))
    if trajectory_ids is not None:
        fragments = fragments.filter(trajectory_id__in=list(trajectory_ids))
    Coding.objects.filter(fragment__in=fragments).delete()
    _total, details = fragments.delete()
    return details.get("coding.Fragment", 0)


# --- codes and categories ----------------------------------------------------


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Give the code a name."))
    if len(name) > 120:
        raise ValidationError(_("A name can have at most 120 characters."))
    return name


def code_for_name(*, study, name: str, user) -> Code:
    """The study's code with this name (any capitalisation), made if it does not exist."""
    name = _clean_name(name)
    code = Code.objects.filter(study=study, name__iexact=name).first()
    if code is not None:
        return code
    code = Code(study=study, name=name, created_by=user)
    try:
        # A savepoint: when a colleague made the same code a moment ago, the
        # unique constraint refuses ours and theirs is used.
        with transaction.atomic():
            code.save()
    except IntegrityError:
        return Code.objects.get(study=study, name__iexact=name)
    _audit(actor=user, action="change_code", target=f"code #{code.pk}",
           detail={"change": "create"}, study=study)
    return code


@transaction.atomic
def code_create(*, study, name: str, user, category: Category | None = None) -> Code:
    name = _clean_name(name)
    if Code.objects.filter(study=study, name__iexact=name).exists():
        raise ValidationError(_("A code with this name already exists."))
    if category is not None and category.study_id != study.pk:
        raise ValidationError(_("This category belongs to another study."))
    code = Code(study=study, name=name, category=category, created_by=user)
    code.full_clean()
    code.save()
    _audit(actor=user, action="change_code", target=f"code #{code.pk}",
           detail={"change": "create"}, study=study)
    return code


@transaction.atomic
def code_rename(*, code: Code, name: str, user) -> Code:
    name = _clean_name(name)
    if Code.objects.filter(study_id=code.study_id, name__iexact=name).exclude(pk=code.pk).exists():
        raise ValidationError(
            _("A code with this name already exists; merge the two codes instead.")
        )
    code.name = name
    code.full_clean()
    code.save(update_fields=["name"])
    _audit(actor=user, action="change_code", target=f"code #{code.pk}",
           detail={"change": "rename"}, study=code.study)
    return code


@transaction.atomic
def code_set_category(*, code: Code, category: Category | None, user) -> Code:
    if category is not None and category.study_id != code.study_id:
        raise ValidationError(_("This category belongs to another study."))
    old = code.category_id
    code.category = category
    code.save(update_fields=["category"])
    _audit(actor=user, action="change_code", target=f"code #{code.pk}",
           detail={"change": "category", "from": old, "to": category.pk if category else None},
           study=code.study)
    return code


@transaction.atomic
def code_merge(*, source: Code, target: Code, user) -> Code:
    """Axial coding: the codings and memos of `source` move to `target`; `source` disappears.

    A coding that `target` already has on the same span by the same coder is
    not duplicated.
    """
    if source.pk == target.pk:
        raise ValidationError(_("Choose another code to merge with."))
    if source.study_id != target.study_id:
        raise ValidationError(_("Codes of different studies cannot be merged."))
    # Lock both codes so a concurrent merge of the same pair waits.
    list(Code.objects.select_for_update().filter(pk__in=[source.pk, target.pk]))
    duplicates = Coding.objects.filter(code=source).filter(
        fragment_id__in=Coding.objects.filter(code=target).values("fragment_id")
    )
    target_spans = set(
        Coding.objects.filter(code=target).values_list("fragment_id", "start", "end", "coder_id")
    )
    dropped = [
        coding_id
        for coding_id, fragment_id, start, end, coder_id in duplicates.values_list(
            "id", "fragment_id", "start", "end", "coder_id"
        )
        if (fragment_id, start, end, coder_id) in target_spans
    ]
    Coding.objects.filter(pk__in=dropped).delete()
    moved = Coding.objects.filter(code=source).update(code=target)
    Memo.objects.filter(code=source).update(code=target)
    detail = {"change": "merge", "from": source.pk, "into": target.pk,
              "codings_moved": moved, "duplicates_dropped": len(dropped)}
    source_pk = source.pk
    source.delete()
    _audit(actor=user, action="change_code", target=f"code #{source_pk} → #{target.pk}",
           detail=detail, study=target.study)
    return target


@transaction.atomic
def code_delete(*, code: Code, user) -> None:
    if code.codings.exists():
        raise ValidationError(_("This code is still used; merge it into another code instead."))
    detail = {"change": "delete"}
    study = code.study
    target = f"code #{code.pk}"
    code.delete()
    _audit(actor=user, action="change_code", target=target, detail=detail, study=study)


@transaction.atomic
def memo_add(
    *, text: str, user, code: Code | None = None, fragment: Fragment | None = None,
    coding: Coding | None = None,
) -> Memo:
    """A memo on exactly one of: a code, a fragment, a coding (one coded segment)."""
    if sum(target is not None for target in (code, fragment, coding)) != 1:
        raise ValueError("a memo belongs to exactly one code, fragment or coding")
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write something in the memo."))
    memo = Memo(code=code, fragment=fragment, coding=coding, text=text, author=user)
    memo.full_clean()
    memo.save()
    if code is not None:  # the codebook's changes are audited; work on fragments is not
        _audit(actor=user, action="change_code", target=f"code #{code.pk}",
               detail={"change": "memo", "memo": memo.pk}, study=code.study)
    return memo


def _check_parent(category: Category | None, parent: Category | None, study) -> None:
    if parent is None:
        return
    if parent.study_id != study.pk:
        raise ValidationError(_("This category belongs to another study."))
    node = parent
    seen = set()
    while node is not None and node.pk not in seen:
        if category is not None and node.pk == category.pk:
            raise ValidationError(_("A category cannot be placed inside itself."))
        seen.add(node.pk)
        node = node.parent


@transaction.atomic
def category_create(*, study, name: str, user, parent: Category | None = None) -> Category:
    name = _clean_name(name)
    if Category.objects.filter(study=study, name__iexact=name).exists():
        raise ValidationError(_("A category with this name already exists."))
    _check_parent(None, parent, study)
    category = Category(study=study, name=name, parent=parent, created_by=user)
    category.full_clean()
    category.save()
    _audit(actor=user, action="change_code", target=f"category #{category.pk}",
           detail={"change": "create category"}, study=study)
    return category


@transaction.atomic
def category_update(*, category: Category, name: str, parent: Category | None, user) -> Category:
    name = _clean_name(name)
    if (
        Category.objects.filter(study_id=category.study_id, name__iexact=name)
        .exclude(pk=category.pk)
        .exists()
    ):
        raise ValidationError(_("A category with this name already exists."))
    _check_parent(category, parent, category.study)
    old_parent = category.parent_id
    category.name = name
    category.parent = parent
    category.full_clean()
    category.save(update_fields=["name", "parent"])
    _audit(actor=user, action="change_code", target=f"category #{category.pk}",
           detail={"change": "update category", "parent_from": old_parent,
                   "parent_to": parent.pk if parent else None},
           study=category.study)
    return category


@transaction.atomic
def category_delete(*, category: Category, user) -> None:
    if category.children.exists():
        raise ValidationError(_("Move or delete the categories inside it first."))
    detail = {"change": "delete category"}
    study = category.study
    target = f"category #{category.pk}"
    category.codes.update(category=None)
    category.delete()
    _audit(actor=user, action="change_code", target=target, detail=detail, study=study)


# --- codings -----------------------------------------------------------------


@transaction.atomic
def coding_add(*, fragment: Fragment, user, start: int, end: int, codes=(),
               new_names=()) -> list[Coding]:
    """Give the span [start, end) of `fragment` one or more codes (open coding).

    `codes` are existing codes of the study; `new_names` are made on the fly
    (or found, if a code with that name exists).
    """
    if start is None or end is None or start < 0 or end > len(fragment.text) or end <= start:
        raise ValidationError(_("Select a piece of the text first."))
    study = fragment.trajectory.study
    chosen: dict[int, Code] = {}
    for code in codes:
        if code.study_id != study.pk:
            raise ValidationError(_("This code belongs to another study."))
        chosen[code.pk] = code
    for name in new_names:
        if name and name.strip():
            code = code_for_name(study=study, name=name, user=user)
            chosen[code.pk] = code
    if not chosen:
        raise ValidationError(_("Choose a code or type the name of a new one."))
    made = []
    for code in chosen.values():
        coding, _created = Coding.objects.get_or_create(
            fragment=fragment, code=code, start=start, end=end, coder=user
        )
        made.append(coding)
    return made


@transaction.atomic
def coding_delete(*, coding: Coding, user) -> None:
    if coding.coder_id != user.pk:
        raise ValidationError(_("You can only remove your own codings."))
    coding.delete()


# --- exports -----------------------------------------------------------------


@transaction.atomic
def export_request(*, study, fmt: str, user, trajectory_ids: list[int],
                   case_codes: bool = False) -> Export:
    """Record an export request and queue the export after the transaction commits."""
    if not trajectory_ids:
        raise ValidationError(_("You cannot export this study."))
    export = Export(study=study, fmt=fmt, requested_by=user, trajectory_ids=sorted(trajectory_ids),
                    case_codes=case_codes and fmt == "qdpx")
    export.full_clean()
    export.save()
    outbox.enqueue("coding.tasks.build_export", export.pk)
    return export


def _set(export_id: int, **fields) -> None:
    Export.objects.filter(pk=export_id).update(**fields)


def export_build(*, export_id: int) -> Export | None:
    """Write the export file; idempotent (a finished export is left alone).

    The file reaches the storage only complete (`save_generated`), so a worker
    killed halfway leaves no half-written export.
    """
    export = Export.objects.select_related("study", "requested_by").filter(pk=export_id).first()
    if export is None or export.status == ExportStatus.DONE:
        return export
    _set(export_id, status=ExportStatus.RUNNING, progress=1)
    fragments_sync(trajectory_ids=export.trajectory_ids)
    last = [0]

    def progress(fraction: float) -> None:
        percent = min(99, max(1, int(fraction * 100)))
        if percent >= last[0] + 5:
            last[0] = percent
            _set(export_id, progress=percent)

    name, size, counts = save_generated(
        export.file.storage,
        export.file.field.generate_filename(export, "export"),
        key=f"export-{export_id}",
        write=lambda output: exports.export_anonymised(
            out=output, fmt=export.fmt, progress=progress, trajectory_ids=export.trajectory_ids,
            case_codes=export.case_codes,
        ),
    )
    _set(export_id, status=ExportStatus.DONE, progress=100, file=name, error="",
         size=size, finished_at=timezone.now())
    _audit(actor=export.requested_by, action="export", target=f"export #{export_id}",
           detail={"format": export.fmt, "counts": counts, "trajectories": export.trajectory_ids},
           study=export.study)
    export.refresh_from_db()
    return export


def export_mark_failed(*, export_id: int, error: Exception) -> None:
    logger.exception("export %s failed", export_id, exc_info=error)
    # Stored in the default language: the worker has no request to take one from.
    with translation.override(settings.LANGUAGE_CODE):
        message = _(
            "The export could not be made. Try again; if it fails again, tell the developers."
        )
    _set(export_id, status=ExportStatus.FAILED, error=message, finished_at=timezone.now())


# --- QDPX import ---------------------------------------------------------------


def qdpx_import_preview(*, study, upload, user, trajectory_ids: list[int]) -> QdpxImport:
    """Read an uploaded .qdpx and record what taking it over would do; nothing
    in the codebook changes until `qdpx_import_apply`."""
    if not trajectory_ids:
        raise ValidationError(_("You cannot import into this study."))
    if upload.size > MAX_UPLOAD:
        raise ValidationError(
            _("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD // (1024 * 1024)}
        )
    try:
        project = read_qdpx(upload)
    except QdpxError as error:
        raise ValidationError(str(error)) from error
    plan = plan_import(project, study=study, trajectory_ids=trajectory_ids, user=user)
    report = plan.pop("report")
    return QdpxImport.objects.create(
        study=study, file_name=(upload.name or "project.qdpx")[:200],
        trajectory_ids=sorted(trajectory_ids), plan=plan, report=report, uploaded_by=user,
    )


@transaction.atomic
def qdpx_import_cancel(*, qdpx_import: QdpxImport, user) -> None:
    updated = QdpxImport.objects.filter(pk=qdpx_import.pk, status=ImportStatus.PREVIEW).update(
        status=ImportStatus.CANCELLED
    )
    if not updated:
        raise ValidationError(_("This import has been taken over or cancelled already."))


@transaction.atomic
def qdpx_import_apply(*, qdpx_import: QdpxImport, user, apply_changes: bool = False) -> dict:
    """Take over the codebook, memos and codings of a previewed import.

    New categories, codes, memos and codings are added; a coding that exists
    already is not doubled. Renames and moves of existing codes and
    categories happen only with `apply_changes`. Returns the counts.
    """
    imp = QdpxImport.objects.select_for_update().select_related("study").get(pk=qdpx_import.pk)
    if imp.status != ImportStatus.PREVIEW:
        raise ValidationError(_("This import has been taken over or cancelled already."))
    # A preview always has every part; a row without them (made by hand) applies nothing.
    plan = {"categories": [], "codes": [], "memos": [], "codings": [], "changes": [],
            **(imp.plan or {})}
    study = imp.study
    done = {"categories": 0, "codes": 0, "changes": 0, "changes_skipped": 0, "memos": 0,
            "codings": 0}

    categories: dict[str, Category] = {}
    for entry in plan["categories"]:
        if "same_as" in entry:
            continue
        category = None
        if entry.get("match"):
            category = Category.objects.filter(study=study, pk=entry["match"]).first()
        category = category or Category.objects.filter(study=study,
                                                       name__iexact=entry["name"]).first()
        if category is None:
            category = Category.objects.create(study=study, name=entry["name"],
                                               parent=categories.get(entry["parent"]),
                                               created_by=user)
            done["categories"] += 1
        categories[entry["key"]] = category
    for entry in plan["categories"]:
        if "same_as" in entry and entry["same_as"] in categories:
            categories[entry["key"]] = categories[entry["same_as"]]

    codes: dict[str, Code] = {}
    for entry in plan["codes"]:
        if "same_as" in entry:
            continue
        code = None
        if entry.get("match"):
            code = Code.objects.filter(study=study, pk=entry["match"]).first()
        code = code or Code.objects.filter(study=study, name__iexact=entry["name"]).first()
        if code is None:
            code = Code.objects.create(study=study, name=entry["name"],
                                       category=categories.get(entry["parent"]), created_by=user)
            done["codes"] += 1
        codes[entry["key"]] = code
    for entry in plan["codes"]:
        if "same_as" in entry and entry["same_as"] in codes:
            codes[entry["key"]] = codes[entry["same_as"]]

    if apply_changes:
        for change in plan["changes"]:
            done["changes" if _apply_change(study, change, categories) else "changes_skipped"] += 1

    authors = set(
        get_user_model().objects.filter(
            pk__in={m["author"] for m in plan["memos"]} | {c["coder"] for c in plan["codings"]}
        ).values_list("pk", flat=True)
    )
    for entry in plan["memos"]:
        code = codes.get(entry["code"])
        if code is None:
            continue
        memo = Memo.objects.create(code=code, text=entry["text"],
                                   author_id=entry["author"] if entry["author"] in authors
                                   else user.pk)
        if entry.get("at"):
            Memo.objects.filter(pk=memo.pk).update(created_at=entry["at"])
        done["memos"] += 1

    lengths = dict(
        Fragment.objects.filter(
            pk__in={c["fragment"] for c in plan["codings"]}, trajectory_id__in=imp.trajectory_ids
        ).annotate(length=Length("text")).values_list("pk", "length")
    )
    batch = [
        Coding(fragment_id=c["fragment"], code=codes[c["code"]], start=c["start"], end=c["end"],
               coder_id=c["coder"] if c["coder"] in authors else user.pk)
        for c in plan["codings"]
        if c["code"] in codes and c["end"] <= lengths.get(c["fragment"], -1)
    ]
    before = Coding.objects.filter(fragment_id__in=lengths).count()
    Coding.objects.bulk_create(batch, ignore_conflicts=True, batch_size=BATCH)
    done["codings"] = Coding.objects.filter(fragment_id__in=lengths).count() - before

    imp.status = ImportStatus.APPLIED
    imp.changes_applied = apply_changes
    imp.applied_at = timezone.now()
    imp.report = {**imp.report, "applied": done}
    imp.save(update_fields=["status", "changes_applied", "applied_at", "report"])
    _audit(actor=user, action="change_code", target=f"qdpx import #{imp.pk}",
           detail={"change": "import", **done}, study=study)
    return done


def _apply_change(study, change: dict, categories: dict[str, Category]) -> bool:
    """One rename or move of an existing code or category; False when it no
    longer fits (the object is gone, or the new name is taken meanwhile)."""
    model = Code if change["kind"] == "code" else Category
    target = model.objects.filter(study=study, pk=change["id"]).first()
    if target is None:
        return False
    if change["change"] == "rename":
        if model.objects.filter(study=study, name__iexact=change["to"]).exclude(
            pk=target.pk
        ).exists():
            return False
        target.name = change["to"]
        target.save(update_fields=["name"])
        return True
    parent = categories.get(change["parent"]) if change["parent"] else None
    if change["parent"] and parent is None:
        return False
    if model is Code:
        target.category = parent
        target.save(update_fields=["category"])
        return True
    try:
        _check_parent(target, parent, study)
    except ValidationError:
        return False
    target.parent = parent
    target.save(update_fields=["parent"])
    return True
