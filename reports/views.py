from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dialogues.models import DialogueSession
from lobtraject.actions import perform
from lobtraject.files import private_download
from lobtraject.paging import Paginator
from trajectories import access as trajectory_access
from trajectories.access import Capability
from trajectories.models import Organisation, Study

from . import access, services
from .builders import FINAL_HARVEST
from .forms import PortraitForm, ReportClassificationForm, ReportRequestForm
from .models import Audience, Portrait, ReportKind, ReportStatus

REQUEST_PAGE_SIZE = 10
# _request_options offers summaries of the trajectories in `progress` only.
assert (
    trajectory_access.CAPABILITIES[Capability.READ_RESEARCH_DATA]
    <= trajectory_access.CAPABILITIES[Capability.VIEW_PROGRESS]
)


def _harvest_options(user, research, query: str):
    """Dialogue sessions with a final harvest report this user may put in a PDF,
    each with `.research_team` (may have the research team's version)."""
    sessions = DialogueSession.objects.filter(
        trajectory_id__in=access.content_trajectory_ids(user),
        report__status__in=FINAL_HARVEST,
    )
    if query:
        sessions = sessions.filter(trajectory__organisation__name__icontains=query)
    sessions = list(
        sessions.select_related("trajectory__organisation").order_by("-starts_at")[:REQUEST_PAGE_SIZE]
    )
    research_ids = set(
        research.filter(pk__in={session.trajectory_id for session in sessions}).values_list(
            "pk", flat=True
        )
    )
    for session in sessions:
        session.research_team = session.trajectory_id in research_ids
    return sessions


def _pager(request, page, param: str) -> dict:
    """A page of one of several lists on a page: links keep the other parameters."""

    def link(number):
        params = request.GET.copy()
        params[param] = number
        return f"?{params.urlencode()}"

    return {
        "page": page,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "next": link(page.next_page_number()) if page.has_next() else None,
    }


def _request_options(request, query: str):
    """What this user may ask for, a page at a time: trajectory summaries (each
    with `.for_research` / `.for_progress`), organisation portraits, harvest
    reports and cross-case overviews. A fixed number of queries, however many
    trajectories the user sees."""
    user = request.user
    research = trajectory_access.visible_trajectories(user, Capability.READ_RESEARCH_DATA)
    progress = trajectory_access.visible_trajectories(user, Capability.VIEW_PROGRESS)
    studies = list(
        Study.objects.filter(pk__in=trajectory_access.research_study_ids(user)).order_by("name")
    )
    # Reading research data implies seeing progress (READ_RESEARCH_DATA's roles are
    # a subset of VIEW_PROGRESS's), so the summaries on offer are `progress`; an OR
    # of the two as IN-subqueries made PostgreSQL build both in full.
    trajectories = progress.select_related("organisation", "study")
    organisations = Organisation.objects.filter(
        Exists(research.filter(organisation_id=OuterRef("pk")))
    )
    if query:
        trajectories = trajectories.filter(organisation__name__icontains=query)
        organisations = organisations.filter(name__icontains=query)
    trajectory_page = Paginator(
        trajectories.order_by("organisation__name", "pk"), REQUEST_PAGE_SIZE
    ).get_page(request.GET.get("trajecten"))
    on_page = [trajectory.pk for trajectory in trajectory_page.object_list]
    research_ids = set(research.filter(pk__in=on_page).values_list("pk", flat=True))
    progress_ids = set(progress.filter(pk__in=on_page).values_list("pk", flat=True))
    for trajectory in trajectory_page.object_list:
        trajectory.for_research = trajectory.pk in research_ids
        trajectory.for_progress = trajectory.pk in progress_ids
    organisation_page = Paginator(
        organisations.order_by("name", "pk"), REQUEST_PAGE_SIZE
    ).get_page(request.GET.get("organisaties"))
    return {
        "summaries": _pager(request, trajectory_page, "trajecten"),
        "portraits": _pager(request, organisation_page, "organisaties"),
        "harvests": _harvest_options(user, research, query),
        "studies": studies,
        "may_request": access.may_request_reports(
            studies=studies, research=research, progress=progress
        ),
    }


@login_required
@require_GET
def report_list(request):
    query = request.GET.get("q", "").strip()
    options = _request_options(request, query)
    if not options["may_request"]:
        raise PermissionDenied
    page = Paginator(access.visible_reports(request.user), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/report_list.html",
        {"page": page, "query": query, "form": ReportRequestForm(), **options},
    )


@login_required
def portrait_edit(request, organisation_pk):
    """The research team writes the sections of an organisation portrait."""
    organisation = access.get_portrait_organisation(request.user, organisation_pk)
    portrait = Portrait.objects.filter(organisation=organisation).first()
    form = PortraitForm(request.POST or None, instance=portrait)
    if request.method == "POST" and form.is_valid():
        saved, _portrait = perform(
            request,
            lambda: services.portrait_save(
                organisation=organisation, user=request.user, **form.cleaned_data
            ),
            success=_("The portrait has been saved."),
        )
        if saved:
            return redirect(reverse("reports:portrait", args=[organisation.pk]))
    return render(
        request,
        "reports/portrait_form.html",
        {"organisation": organisation, "portrait": portrait, "form": form},
    )


@login_required
@require_POST
def report_request(request):
    form = ReportRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The report could not be requested: check your choice."))
        return redirect("reports:list")
    data = form.cleaned_data
    access.check_report_target(request.user, data["kind"], data["object_id"], data["audience"])
    requested, report = perform(
        request,
        lambda: services.report_request(
            user=request.user,
            kind=data["kind"],
            object_id=data["object_id"],
            audience=data["audience"],
            theme=data["theme"],
            publication_type=data["publication_type"],
        ),
    )
    if not requested:
        return redirect("reports:list")
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request, pk):
    """The report's status and download; its classification can be changed
    here, which rebuilds the PDF so cover and metadata say the same."""
    report = access.get_report(request.user, pk)
    form = ReportClassificationForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        perform(
            request,
            lambda: services.report_reclassify(
                report=report,
                sector=data["sector"],
                theme=data["theme"],
                year=data["year"],
                publication_type=data["publication_type"],
            ),
            success=_("The classification has been changed; the report is being rebuilt."),
        )
        return redirect("reports:detail", pk=report.pk)
    return render(request, "reports/report_detail.html", {"report": report, "form": form})


@login_required
@require_GET
def report_status(request, pk):
    """The progress fragment the detail page polls (htmx) until the report is ready."""
    report = access.get_report(request.user, pk)
    return render(request, "reports/_status.html", {"report": report})


@login_required
@require_POST
def report_retry(request, pk):
    report = access.get_report(request.user, pk)
    perform(request, lambda: services.report_retry(report=report))
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_GET
def report_download(request, pk):
    report = access.get_report(request.user, pk)
    if report.status != ReportStatus.DONE:
        raise Http404
    filename = f"{slugify(report.title)[:80] or 'rapport'}.pdf"
    return private_download(report.file, filename=filename, content_type="application/pdf")


__all__ = ["Audience", "ReportKind"]
