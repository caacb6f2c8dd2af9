from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dialogues.models import DialogueSession
from lobtraject.actions import perform
from trajectories import access as trajectory_access
from trajectories.access import Capability
from trajectories.models import Study, StudyRole

from . import access, services
from .builders import FINAL_HARVEST
from .forms import PortraitForm, ReportClassificationForm, ReportRequestForm
from .models import Audience, Portrait, ReportKind, ReportStatus


def _harvest_options(user, research_ids: set[int]):
    """Dialogue sessions with a final harvest report this user may put in a PDF,
    each with `.research_team` (may have the research team's version)."""
    sessions = list(
        DialogueSession.objects.filter(
            trajectory_id__in=access.content_trajectory_ids(user),
            report__status__in=FINAL_HARVEST,
        )
        .select_related("trajectory__organisation")
        .order_by("-starts_at")[:50]
    )
    for session in sessions:
        session.research_team = session.trajectory_id in research_ids
    return sessions


def _request_options(user):
    """What this user may ask for: summaries (per audience) and cross-case overviews."""
    research = list(
        trajectory_access.visible_trajectories(user, Capability.READ_RESEARCH_DATA).order_by(
            "organisation__name"
        )
    )
    progress = list(
        trajectory_access.visible_trajectories(user, Capability.VIEW_PROGRESS).order_by(
            "organisation__name"
        )
    )
    studies = list(
        Study.objects.filter(
            memberships__user=user, memberships__role=StudyRole.RESEARCHER
        ).order_by("name")
    )
    return research, progress, studies


@login_required
@require_GET
def report_list(request):
    research, progress, studies = _request_options(request.user)
    if not (research or progress or studies):
        raise PermissionDenied
    page = Paginator(access.visible_reports(request.user), 20).get_page(request.GET.get("page"))
    harvests = _harvest_options(request.user, {trajectory.pk for trajectory in research})
    organisations = sorted(
        {trajectory.organisation for trajectory in research}, key=lambda org: org.name
    )
    return render(
        request,
        "reports/report_list.html",
        {"page": page, "research": research, "progress": progress, "studies": studies,
         "harvests": harvests, "organisations": organisations, "form": ReportRequestForm()},
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
    if report.status != ReportStatus.DONE or not report.file:
        raise Http404
    try:
        handle = report.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    filename = f"{slugify(report.title)[:80] or 'rapport'}.pdf"
    response = FileResponse(handle, as_attachment=True, filename=filename,
                            content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    return response


__all__ = ["Audience", "ReportKind"]
