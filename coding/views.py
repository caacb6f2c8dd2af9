"""The coding workbench and the anonymised exports: research team only."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from lobtraject.actions import perform
from lobtraject.files import private_download
from lobtraject.paging import Paginator

from . import access, selectors, services
from .agreement import compare
from .forms import (
    AgreementForm,
    CategoryForm,
    CodeCategoryForm,
    CodeMergeForm,
    CodeNameForm,
    CodingForm,
    CoOccurrenceForm,
    ExportForm,
    FragmentFilterForm,
    MatrixForm,
    MemoForm,
    QdpxConfirmForm,
    QdpxUploadForm,
)
from .matrices import co_occurrence, code_by_case, heat
from .models import Code, Export, ExportStatus, Fragment, ImportStatus, QdpxImport
from .synthesis import cross_case

PAGE_SIZE = 25


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@login_required
@require_GET
def index(request):
    studies = access.studies_or_403(request.user)
    if len(studies) == 1:
        return redirect("coding:fragments", study=studies[0].pk)
    return render(request, "coding/index.html", {"studies": studies})


@login_required
@require_GET
def fragment_list(request, study):
    study = access.get_study(request.user, study)
    trajectory_ids = access.readable_trajectories(request.user, study.pk)
    form = FragmentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    fragments = selectors.fragments(
        trajectory_ids=trajectory_ids,
        user=request.user,
        organisation=filters.get("organisation", ""),
        kind=filters.get("kind", ""),
        coded=filters.get("coded", ""),
        q=filters.get("q", ""),
        code=filters.get("code"),
        code2=filters.get("code2"),
        by=filters.get("by", ""),
        value=filters.get("value", ""),
    )
    page = Paginator(fragments, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_coding_counts(page.object_list)
    return render(request, "coding/fragment_list.html",
                  {"study": study, "form": form, "page": page})


@login_required
@require_POST
def fragments_check_names(request, study):
    """Queue deduce's review of the study's fragments that were not checked yet."""
    study = access.get_study(request.user, study)
    trajectory_ids = access.readable_trajectories(request.user, study.pk)
    ids = selectors.fragment_ids_to_check(trajectory_ids=trajectory_ids)
    queued = services.fragments_check_names_request(fragment_ids=ids)
    if queued:
        messages.success(
            request,
            ngettext(
                "%(count)s fragment is being checked for names the system does not know.",
                "%(count)s fragments are being checked for names the system does not know.",
                queued,
            )
            % {"count": queued},
        )
    else:
        messages.info(request, _("Every fragment has been checked for unknown names already."))
    return redirect("coding:fragments", study=study.pk)


@login_required
@require_POST
def fragments_sync(request, study):
    study = access.get_study(request.user, study)
    trajectory_ids = access.readable_trajectory_ids(request.user, study.pk)
    made = services.fragments_sync(trajectory_ids=trajectory_ids)
    messages.success(request, _("%(count)s new fragments.") % {"count": made})
    return redirect("coding:fragments", study=study.pk)


@login_required
@require_GET
def fragment_detail(request, pk):
    fragment = access.get_fragment(request.user, pk)
    return _render_fragment(request, fragment, CodingForm(study=fragment.trajectory.study))


def _render_fragment(request, fragment, form, status=200):
    show_mine = request.GET.get("show") == "mine"
    codings = selectors.fragment_codings(fragment, user=request.user if show_mine else None)
    return render(
        request,
        "coding/fragment_detail.html",
        {
            "fragment": fragment,
            "study": fragment.trajectory.study,
            "segments": selectors.segments(fragment.text, codings),
            "codings": codings,
            "show_mine": show_mine,
            "form": form,
            "text_length": len(fragment.text),
            "paragraphs": selectors.paragraph_starts(fragment.text),
            "memos": selectors.fragment_memos(fragment),
        },
        status=status,
    )


@login_required
@require_POST
def coding_add(request, pk):
    fragment = access.get_fragment(request.user, pk)
    form = CodingForm(request.POST, study=fragment.trajectory.study)
    if not form.is_valid():
        return _render_fragment(request, fragment, form, status=400)
    data = form.cleaned_data
    done, _codings = perform(
        request,
        lambda: services.coding_add(
            fragment=fragment, user=request.user, start=data["start"], end=data["end"],
            codes=list(data["codes"]), new_names=data["new_code_names"],
        ),
        success=_("The text has been coded."),
    )
    return redirect("coding:fragment", pk=fragment.pk)


@login_required
@require_POST
def fragment_memo_add(request, pk):
    fragment = access.get_fragment(request.user, pk)
    _memo_from_post(request, lambda text: services.memo_add(fragment=fragment, text=text,
                                                            user=request.user))
    return redirect(reverse("coding:fragment", args=[fragment.pk]) + "#memos")


@login_required
@require_POST
def coding_memo_add(request, pk):
    coding = access.get_coding(request.user, pk)
    _memo_from_post(request, lambda text: services.memo_add(coding=coding, text=text,
                                                            user=request.user))
    return redirect(reverse("coding:fragment", args=[coding.fragment_id]) + f"#coding-{coding.pk}")


def _memo_from_post(request, add) -> None:
    form = MemoForm(request.POST)
    if form.is_valid():
        perform(request, lambda: add(form.cleaned_data["text"]),
                success=_("The memo has been saved."))
    else:
        _form_errors(request, form)


@login_required
@require_POST
def coding_delete(request, pk):
    coding = access.get_coding(request.user, pk)
    perform(request, lambda: services.coding_delete(coding=coding, user=request.user),
            success=_("The coding has been removed."))
    return redirect("coding:fragment", pk=coding.fragment_id)


@login_required
@require_GET
def codebook(request, study):
    study = access.get_study(request.user, study)
    trajectory_ids = access.readable_trajectories(request.user, study.pk)
    rows, codes = selectors.codebook(study=study, trajectory_ids=trajectory_ids)
    return render(
        request,
        "coding/codebook.html",
        {"study": study, "rows": rows, "code_total": len(codes),
         "category_form": CategoryForm(study=study)},
    )


@login_required
@require_GET
def code_detail(request, pk):
    code = access.get_code(request.user, pk)
    trajectory_ids = access.readable_trajectories(request.user, code.study_id)
    codings = (
        code.codings.filter(fragment__trajectory_id__in=trajectory_ids)
        .select_related("fragment", "coder")
        .order_by("fragment_id", "start")
    )
    page = Paginator(codings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "coding/code_detail.html",
        {
            "code": code,
            "study": code.study,
            "page": page,
            "memos": code.memos.select_related("author"),
            "name_form": CodeNameForm(initial={"name": code.name}),
            "category_form": CodeCategoryForm(study=code.study,
                                              initial={"category": code.category_id}),
            "merge_form": CodeMergeForm(code=code),
            "memo_form": MemoForm(),
        },
    )


@login_required
@require_POST
def code_rename(request, pk):
    code = access.get_code(request.user, pk)
    form = CodeNameForm(request.POST)
    if form.is_valid():
        perform(request, lambda: services.code_rename(code=code, name=form.cleaned_data["name"],
                                                      user=request.user),
                success=_("The code has been renamed."))
    else:
        _form_errors(request, form)
    return redirect("coding:code", pk=code.pk)


@login_required
@require_POST
def code_category(request, pk):
    code = access.get_code(request.user, pk)
    form = CodeCategoryForm(request.POST, study=code.study)
    if form.is_valid():
        perform(request, lambda: services.code_set_category(
            code=code, category=form.cleaned_data["category"], user=request.user),
            success=_("The category has been changed."))
    else:
        _form_errors(request, form)
    return redirect("coding:code", pk=code.pk)


@login_required
@require_POST
def code_merge(request, pk):
    code = access.get_code(request.user, pk)
    form = CodeMergeForm(request.POST, code=code)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("coding:code", pk=code.pk)
    target = form.cleaned_data["target"]
    done, _result = perform(
        request, lambda: services.code_merge(source=code, target=target, user=request.user),
        success=_("The codes have been merged."),
    )
    return redirect("coding:code", pk=target.pk if done else code.pk)


@login_required
@require_POST
def code_delete(request, pk):
    code = access.get_code(request.user, pk)
    study_id = code.study_id
    done, _result = perform(request, lambda: services.code_delete(code=code, user=request.user),
                            success=_("The code has been deleted."))
    if done:
        return redirect("coding:codebook", study=study_id)
    return redirect("coding:code", pk=code.pk)


@login_required
@require_POST
def memo_add(request, pk):
    code = access.get_code(request.user, pk)
    form = MemoForm(request.POST)
    if form.is_valid():
        perform(request, lambda: services.memo_add(code=code, text=form.cleaned_data["text"],
                                                   user=request.user),
                success=_("The memo has been saved."))
    else:
        _form_errors(request, form)
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure()):
        return redirect(back)
    return redirect("coding:code", pk=code.pk)


@login_required
@require_POST
def category_create(request, study):
    study = access.get_study(request.user, study)
    form = CategoryForm(request.POST, study=study)
    if form.is_valid():
        perform(request, lambda: services.category_create(
            study=study, name=form.cleaned_data["name"], parent=form.cleaned_data["parent"],
            user=request.user), success=_("The category has been added."))
    else:
        _form_errors(request, form)
    return redirect("coding:codebook", study=study.pk)


@login_required
def category_edit(request, pk):
    category = access.get_category(request.user, pk)
    if request.method == "POST":
        form = CategoryForm(request.POST, study=category.study, exclude=category)
        if form.is_valid():
            done, _result = perform(request, lambda: services.category_update(
                category=category, name=form.cleaned_data["name"],
                parent=form.cleaned_data["parent"], user=request.user),
                success=_("The category has been changed."))
            if done:
                return redirect("coding:codebook", study=category.study_id)
    elif request.method == "GET":
        form = CategoryForm(study=category.study, exclude=category,
                            initial={"name": category.name, "parent": category.parent_id})
    else:
        return redirect("coding:codebook", study=category.study_id)
    return render(request, "coding/category_edit.html",
                  {"category": category, "study": category.study, "form": form})


@login_required
@require_POST
def category_delete(request, pk):
    category = access.get_category(request.user, pk)
    done, _result = perform(
        request, lambda: services.category_delete(category=category, user=request.user),
        success=_("The category has been deleted; its codes are now without category."),
    )
    if done:
        return redirect("coding:codebook", study=category.study_id)
    return redirect("coding:category", pk=category.pk)


@login_required
@require_GET
def export_list(request, study):
    study = access.get_study(request.user, study)
    readable = access.readable_trajectory_ids(request.user, study.pk)
    recent = Export.objects.filter(study=study).select_related("requested_by")[:500]
    exports = [export for export in recent if access.may_read_export(request.user, export,
                                                                      readable)]
    page = Paginator(exports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "coding/export_list.html",
                  {"study": study, "page": page, "form": ExportForm()})


@login_required
@require_POST
def export_request(request, study):
    study = access.get_study(request.user, study)
    form = ExportForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("coding:exports", study=study.pk)
    done, export = perform(request, lambda: services.export_request(
        study=study, fmt=form.cleaned_data["fmt"], user=request.user,
        trajectory_ids=access.readable_trajectory_ids(request.user, study.pk),
        case_codes=form.cleaned_data["case_codes"]))
    if not done:
        return redirect("coding:exports", study=study.pk)
    return redirect("coding:export", pk=export.pk)


@login_required
@require_GET
def export_detail(request, pk):
    export = access.get_export(request.user, pk)
    return render(request, "coding/export_detail.html", {"export": export, "study": export.study})


@login_required
@require_GET
def export_status(request, pk):
    export = access.get_export(request.user, pk)
    return render(request, "coding/_export_status.html", {"export": export})


@login_required
@require_GET
def export_download(request, pk):
    export = access.get_export(request.user, pk)
    if export.status != ExportStatus.DONE:
        raise Http404
    return private_download(export.file, filename=export.download_name)



@login_required
def import_list(request, study):
    """Upload a .qdpx; the list of earlier imports."""
    study = access.get_study(request.user, study)
    readable = access.readable_trajectory_ids(request.user, study.pk)
    form = QdpxUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            done, qdpx_import = perform(request, lambda: services.qdpx_import_preview(
                study=study, upload=form.cleaned_data["file"], user=request.user,
                trajectory_ids=readable))
            if done:
                return redirect("coding:import", pk=qdpx_import.pk)
        status = 400
    elif request.method == "GET":
        status = 200
    else:
        return redirect("coding:imports", study=study.pk)
    imports = QdpxImport.objects.filter(study=study).select_related("uploaded_by").defer(
        "plan")
    page = Paginator(imports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "coding/import_list.html",
                  {"study": study, "form": form, "page": page}, status=status)


@login_required
@require_GET
def import_detail(request, pk):
    qdpx_import = access.get_import(request.user, pk)
    codes = qdpx_import.report.get("codes", {})
    return render(request, "coding/import_detail.html", {
        "imp": qdpx_import, "study": qdpx_import.study, "report": qdpx_import.report,
        "matched": codes.get("codes_matched", 0) + codes.get("categories_matched", 0),
        "form": QdpxConfirmForm(), "is_preview": qdpx_import.status == ImportStatus.PREVIEW,
    })


@login_required
@require_POST
def import_confirm(request, pk):
    qdpx_import = access.get_import(request.user, pk)
    form = QdpxConfirmForm(request.POST)
    apply_changes = form.is_valid() and form.cleaned_data["apply_changes"]
    perform(request, lambda: services.qdpx_import_apply(
        qdpx_import=qdpx_import, user=request.user, apply_changes=apply_changes),
        success=_("The codebook, memos and codings of the file have been taken over."))
    return redirect("coding:import", pk=qdpx_import.pk)


@login_required
@require_POST
def import_cancel(request, pk):
    qdpx_import = access.get_import(request.user, pk)
    perform(request, lambda: services.qdpx_import_cancel(qdpx_import=qdpx_import,
                                                         user=request.user),
            success=_("The import has been cancelled; nothing was changed."))
    return redirect("coding:imports", study=qdpx_import.study_id)


def _comparison(request, study):
    """The agreement form and, when two coders are chosen, their comparison."""
    trajectory_ids = access.readable_trajectories(request.user, study.pk)
    coders = selectors.coders(trajectory_ids=trajectory_ids)
    form = AgreementForm(request.GET or None, coders=coders)
    if not form.is_valid():
        return form, coders, None
    data = form.cleaned_data
    spans, lengths = selectors.agreement_spans(trajectory_ids=trajectory_ids,
                                               coder_ids=[data["a"], data["b"]])
    comparison = compare(spans, lengths, coder_a=data["a"], coder_b=data["b"],
                         threshold=data["threshold"])
    return form, coders, comparison


@login_required
@require_GET
def agreement(request, study):
    """Percentage agreement and Cohen's kappa per code and per source, for two coders."""
    study = access.get_study(request.user, study)
    form, coders, comparison = _comparison(request, study)
    context = {"study": study, "form": form, "coders": coders, "comparison": comparison}
    if comparison is not None:
        code_names = dict(Code.objects.filter(study=study).values_list("id", "name"))
        titles = dict(Fragment.objects.filter(pk__in=comparison.fragments).values_list(
            "id", "title"))
        context["by_code"] = [
            {"id": code, "name": code_names.get(code, "?"), "chars": comparison.by_code[code],
             "segments": comparison.segments_by_code.get(code)}
            for code in sorted(comparison.codes, key=lambda c: code_names.get(c, "").lower())
        ]
        context["by_fragment"] = [
            {"id": pk, "title": titles.get(pk, ""), "chars": comparison.by_fragment[pk]}
            for pk in comparison.fragments
        ]
        context["query"] = request.GET.urlencode()
    return render(request, "coding/agreement.html", context)


@login_required
@require_GET
def disagreements(request, study):
    """The segments the two coders do not share, side by side, to discuss."""
    study = access.get_study(request.user, study)
    form, coders, comparison = _comparison(request, study)
    if comparison is None:
        return redirect("coding:agreement", study=study.pk)
    page = Paginator(comparison.disagreements, PAGE_SIZE).get_page(request.GET.get("page"))
    fragments = selectors.fragment_texts({span.fragment_id for span, _around in page})
    code_names = dict(Code.objects.filter(study=study).values_list("id", "name"))
    names = {user.pk: user.get_full_name() or user.email for user in coders}
    rows = []
    for span, around in page:
        fragment = fragments[span.fragment_id]
        rows.append({
            "span": span, "fragment": fragment, "code": code_names.get(span.code_id, "?"),
            "coder": names.get(span.coder_id, "—"), "quote": fragment.text[span.start:span.end],
            "other": names.get(comparison.coder_b if span.coder_id == comparison.coder_a
                               else comparison.coder_a, "—"),
            "around": [{"span": s, "code": code_names.get(s.code_id, "?"),
                        "quote": fragment.text[s.start:s.end]} for s in around],
            "memo_start": _("Decision on %(code)s in “%(title)s”, characters %(start)s–%(end)s: ")
            % {"code": code_names.get(span.code_id, "?"), "title": fragment.title,
               "start": span.start, "end": span.end},
        })
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "coding/disagreements.html", {
        "study": study, "form": form, "comparison": comparison, "page": page, "rows": rows,
        "query": query.urlencode(), "here": request.get_full_path(),
    })


def _csv(rows, name: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.write("\ufeff")  # Excel reads the UTF-8 then
    writer = csv.writer(response, delimiter=";")
    for row in rows:
        writer.writerow(["'" + c if isinstance(c, str) and c and c[0] in "=+-@" else c for c in row])
    return response


@login_required
@require_GET
def matrix(request, study):
    """Codes against cases: how often each code was given per organisation,
    sector, role of the author or phase; each cell opens its fragments."""
    study = access.get_study(request.user, study)
    trajectory_ids = access.readable_trajectories(request.user, study.pk)
    form = MatrixForm(request.GET or None)
    by = (form.cleaned_data.get("by") if form.is_valid() else "") or "organisation"
    cells, columns = selectors.matrix_cells(trajectory_ids=trajectory_ids, by=by)
    counts = code_by_case(cells)
    codes = list(Code.objects.filter(study=study).order_by("name").values_list("id", "name"))
    top = max((c["codings"] for c in counts.values()), default=0)
    rows = [
        {"id": code_id, "name": name, "cells": [
            {"key": key, **counts.get((code_id, key), {"codings": 0, "fragments": 0}),
             "heat": heat(counts.get((code_id, key), {}).get("codings", 0), top)}
            for key, _label in columns
        ]}
        for code_id, name in codes
    ]
    if request.GET.get("format") == "csv":
        return _csv([[_("Code"), *(label for _key, label in columns)],
                     *([row["name"], *(c["codings"] for c in row["cells"])] for row in rows)],
                    f"codes-{by}-{study.pk}")
    return render(request, "coding/matrix.html", {
        "study": study, "form": form, "by": by, "columns": columns, "rows": rows,
        "query": request.GET.urlencode(),
    })


@login_required
@require_GET
def cooccurrence(request, study):
    """Codes against codes: in how many fragments two codes occur together."""
    study = access.get_study(request.user, study)
    trajectory_ids = access.readable_trajectories(request.user, study.pk)
    form = CoOccurrenceForm(request.GET or None)
    mode = (form.cleaned_data.get("mode") if form.is_valid() else "") or "overlap"
    cells, _columns = selectors.matrix_cells(trajectory_ids=trajectory_ids, by="phase")
    pairs = co_occurrence(cells, overlapping=mode == "overlap")
    used = sorted({code for pair in pairs for code in pair})
    names = dict(Code.objects.filter(study=study, pk__in=used).values_list("id", "name"))
    codes = sorted(used, key=lambda pk: names.get(pk, "").lower())
    top = max(pairs.values(), default=0)
    rows = [
        {"id": a, "name": names.get(a, "?"), "cells": [
            {"id": b, "count": pairs.get(tuple(sorted((a, b))), 0) if a != b else None,
             "heat": heat(pairs.get(tuple(sorted((a, b))), 0), top) if a != b else 0}
            for b in codes
        ]}
        for a in codes
    ]
    if request.GET.get("format") == "csv":
        return _csv([["", *(names.get(pk, "?") for pk in codes)],
                     *([row["name"], *("" if c["count"] is None else c["count"]
                                       for c in row["cells"])] for row in rows)],
                    f"co-occurrence-{mode}-{study.pk}")
    return render(request, "coding/cooccurrence.html", {
        "study": study, "form": form, "mode": mode,
        "headers": [(pk, names.get(pk, "?")) for pk in codes],
        "rows": rows, "query": request.GET.urlencode(),
    })


@login_required
@require_GET
def synthesis(request, study):
    """The cross-case synthesis: each organisation a column, the study's results in rows."""
    study = access.get_study(request.user, study)
    trajectory_ids = access.readable_trajectories(request.user, study.pk)
    return render(request, "coding/synthesis.html",
                  {"study": study, **cross_case(study=study, trajectory_ids=trajectory_ids)})
