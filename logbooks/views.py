import os
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lobtraject.audio import max_audio_bytes
from lobtraject.files import ranged_file_response
from trajectories import access as core_access
from trajectories.access import Capability
from trajectories.models import Role

from . import access, services
from .forms import (
    AudioForm,
    EmailUploadForm,
    EntryForm,
    NoteForm,
    SettingsForm,
    TimelineFilterForm,
)
from .models import Entry, EntryStatus
from .timeline import timeline_page

WEEKS_SHOWN = 26


def _week_overview(entries_by_week: dict, start, today):
    """Streak of submitted weeks up to now and the missing weeks since `start`."""
    year, week, _day = today.isocalendar()
    monday = today - timedelta(days=today.weekday())
    current_done = (year, week) in entries_by_week
    cursor = monday if current_done else monday - timedelta(days=7)
    streak = 0
    while cursor.isocalendar()[:2] in entries_by_week:
        streak += 1
        cursor -= timedelta(days=7)
    first = max(start or monday, monday - timedelta(weeks=WEEKS_SHOWN))
    first -= timedelta(days=first.weekday())
    missing = []
    cursor = monday - timedelta(days=7)
    while cursor >= first:
        iso = cursor.isocalendar()
        if (iso[0], iso[1]) not in entries_by_week:
            missing.append({"year": iso[0], "week": iso[1], "monday": cursor})
        cursor -= timedelta(days=7)
    return streak, missing


@login_required
def index(request):
    user = request.user
    writable, readable = access.index_trajectories(user)
    today = timezone.localdate()
    year, week, _day = today.isocalendar()
    entries = list(
        Entry.objects.filter(author=user, trajectory__in=writable)
        .order_by("-week_start")
        .only("id", "trajectory_id", "iso_year", "iso_week", "status", "week_start")
    )
    sections = []
    for trajectory in writable:
        mine = [e for e in entries if e.trajectory_id == trajectory.pk]
        submitted = {(e.iso_year, e.iso_week) for e in mine if e.status == EntryStatus.SUBMITTED}
        streak, missing = _week_overview(submitted, trajectory.starts_on, today)
        sections.append(
            {
                "trajectory": trajectory,
                "entries": mine[:12],
                "streak": streak,
                "missing": missing,
                "this_week_done": (year, week) in submitted,
            }
        )
    return render(
        request,
        "logbooks/index.html",
        {
            "sections": sections,
            "readable": readable,
            "year": year,
            "week": week,
        },
    )


def _entry_context(request, trajectory, iso_year, iso_week):
    access.check_write(request.user, trajectory)
    try:
        monday = Entry.monday(iso_year, iso_week)
    except ValueError:
        raise Http404 from None
    if monday > timezone.localdate():
        raise Http404
    role = access.writer_role(request.user, trajectory)
    entry = services.entry_for_week(
        author=request.user, trajectory=trajectory, iso_year=iso_year, iso_week=iso_week, role=role
    )
    return entry, role


def _entry_form(request, entry, role, data=None):
    return EntryForm(data, instance=entry, show_share=role != Role.COACH)


@login_required
def entry_write(request, trajectory_pk, iso_year, iso_week):
    trajectory = core_access.get_trajectory(request.user, trajectory_pk, Capability.WRITE_LOGBOOK)
    entry, role = _entry_context(request, trajectory, iso_year, iso_week)
    if request.method == "POST":
        form = _entry_form(request, entry, role, request.POST)
        submit = request.POST.get("action") == "submit"
        if form.is_valid():
            try:
                services.entry_save(
                    entry=entry, editor=request.user, data=form.cleaned_data, submit=submit
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if submit or entry.is_submitted:
                    messages.success(request, _("Your logbook entry has been saved."))
                    return redirect("logbooks:entry_detail", pk=entry.pk)
                messages.success(request, _("Your draft has been saved."))
                return redirect(
                    "logbooks:write",
                    trajectory_pk=trajectory.pk,
                    iso_year=iso_year,
                    iso_week=iso_week,
                )
    else:
        form = _entry_form(request, entry, role)
    return render(
        request,
        "logbooks/entry_form.html",
        {
            "trajectory": trajectory,
            "entry": entry,
            "form": form,
            "audio_form": AudioForm(),
            "clips": list(entry.audio_clips.all()) if entry.pk else [],
            "iso_year": iso_year,
            "iso_week": iso_week,
            "storage_key": f"logbook-{request.user.pk}-{trajectory.pk}-{iso_year}-{iso_week}",
            "max_audio_mb": max_audio_bytes() // (1024 * 1024),
        },
    )


@login_required
@require_POST
def entry_autosave(request, trajectory_pk, iso_year, iso_week):
    trajectory = core_access.get_trajectory(request.user, trajectory_pk, Capability.WRITE_LOGBOOK)
    entry, role = _entry_context(request, trajectory, iso_year, iso_week)
    if entry.is_submitted:
        return JsonResponse(
            {"saved": False, "error": _("Submitted entries are saved with the save button.")},
            status=409,
        )
    form = _entry_form(request, entry, role, request.POST)
    if not form.is_valid():
        return JsonResponse({"saved": False, "errors": form.errors}, status=400)
    try:
        services.entry_save(
            entry=entry, editor=request.user, data=form.cleaned_data, draft_only=True
        )
    except ValidationError as error:
        return JsonResponse({"saved": False, "error": " ".join(error.messages)}, status=400)
    saved_at = timezone.localtime(entry.updated_at)
    return JsonResponse(
        {
            "saved": True,
            "entry": entry.pk,
            "message": _("Draft saved at %(time)s") % {"time": saved_at.strftime("%H:%M:%S")},
        }
    )


@login_required
@require_POST
def audio_upload(request, trajectory_pk, iso_year, iso_week):
    trajectory = core_access.get_trajectory(request.user, trajectory_pk, Capability.WRITE_LOGBOOK)
    entry, _role = _entry_context(request, trajectory, iso_year, iso_week)
    form = AudioForm(request.POST, request.FILES)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    error = None
    if form.is_valid():
        try:
            services.audio_add(entry=entry, uploaded=form.cleaned_data["audio"])
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _("Choose an audio file.")
    if wants_json:
        if error:
            return JsonResponse({"saved": False, "error": error}, status=400)
        return JsonResponse({"saved": True, "message": _("Voice message added.")})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Voice message added."))
    return redirect(
        "logbooks:write", trajectory_pk=trajectory.pk, iso_year=iso_year, iso_week=iso_week
    )


@login_required
def entry_detail(request, pk):
    entry = access.get_entry(request.user, pk)
    show_history = access.may_see_history(request.user, entry)
    return render(
        request,
        "logbooks/entry_detail.html",
        {
            "entry": entry,
            "clips": list(entry.audio_clips.all()),
            "revisions": list(entry.revisions.select_related("edited_by")) if show_history else [],
            "is_author": entry.author_id == request.user.pk,
        },
    )


@login_required
def audio_stream(request, pk):
    clip = access.get_audio_clip(request.user, pk)
    return ranged_file_response(request, clip.file, clip.content_type)


@login_required
def attachment_download(request, pk):
    attachment = access.get_attachment(request.user, pk)
    response = ranged_file_response(request, attachment.file, "application/octet-stream")
    safe_name = os.path.basename(attachment.filename).replace('"', "")
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    return response


@login_required
def timeline(request, trajectory_pk):
    trajectory = core_access.get_trajectory(
        request.user, trajectory_pk, Capability.READ_DATA_POINTS
    )
    form = TimelineFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = timeline_page(
        user=request.user,
        trajectory=trajectory,
        filters=filters,
        page_number=request.GET.get("page"),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "logbooks/timeline.html",
        {
            "trajectory": trajectory,
            "form": form,
            "page": page,
            "query_string": query.urlencode(),
            "can_write_notes": core_access.can(request.user, Capability.WRITE_NOTES, trajectory),
        },
    )


@login_required
def email_upload(request, trajectory_pk):
    trajectory = core_access.get_trajectory(request.user, trajectory_pk, Capability.UPLOAD_EMAIL)
    if request.method == "POST":
        form = EmailUploadForm(request.POST, request.FILES, trajectory=trajectory)
        if form.is_valid():
            try:
                services.email_import(
                    trajectory=trajectory,
                    uploaded=form.cleaned_data["eml"],
                    created_by=request.user,
                    half_day=form.cleaned_data["half_day"],
                )
            except ValidationError as error:
                form.add_error("eml", error)
            else:
                messages.success(request, _("The e-mail has been added."))
                return redirect("logbooks:timeline", trajectory_pk=trajectory.pk)
    else:
        form = EmailUploadForm(trajectory=trajectory)
    return render(
        request,
        "logbooks/data_point_form.html",
        {"trajectory": trajectory, "form": form, "title": _("Add an e-mail"), "multipart": True},
    )


@login_required
def note_create(request, trajectory_pk):
    trajectory = core_access.get_trajectory(request.user, trajectory_pk, Capability.WRITE_NOTES)
    if request.method == "POST":
        form = NoteForm(request.POST, trajectory=trajectory)
        if form.is_valid():
            try:
                services.note_create(
                    trajectory=trajectory, author=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The note has been added."))
                return redirect("logbooks:timeline", trajectory_pk=trajectory.pk)
    else:
        form = NoteForm(trajectory=trajectory, initial={"occurred_on": timezone.localdate()})
    return render(
        request,
        "logbooks/data_point_form.html",
        {"trajectory": trajectory, "form": form, "title": _("Add a note"), "multipart": False},
    )


@login_required
def settings_edit(request):
    access.require_writer_somewhere(request.user)
    prefs = services.settings_for(request.user)
    if request.method == "POST":
        form = SettingsForm(request.POST, instance=prefs)
        if form.is_valid():
            services.settings_update(user=request.user, **form.cleaned_data)
            messages.success(request, _("Your logbook settings have been saved."))
            return redirect("logbooks:index")
    else:
        form = SettingsForm(instance=prefs)
    return render(request, "logbooks/settings.html", {"form": form})
