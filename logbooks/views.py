import os
import re
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trajectories import access as core_access
from trajectories.access import RESEARCH_TEAM, Capability
from trajectories.models import Role, Trajectory

from . import access, services
from .audio import max_audio_bytes
from .forms import (
    AudioForm,
    EmailUploadForm,
    EntryForm,
    NoteForm,
    SettingsForm,
    TimelineFilterForm,
)
from .models import AudioClip, EmailAttachment, Entry, EntryStatus
from .timeline import timeline_page

WEEKS_SHOWN = 26


def _trajectory(pk) -> Trajectory:
    try:
        return Trajectory.objects.select_related("organisation", "study").get(pk=pk)
    except Trajectory.DoesNotExist:
        raise Http404 from None


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
    writable = core_access.visible_trajectories(user, Capability.WRITE_LOGBOOK)
    readable = [
        t
        for t in core_access.visible_trajectories(user, Capability.VIEW_TRAJECTORY)
        if core_access.roles_for(user, t) & access.DATA_POINT_READERS
    ]
    if not writable and not readable:
        raise PermissionDenied
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
    trajectory = _trajectory(trajectory_pk)
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
    trajectory = _trajectory(trajectory_pk)
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
    trajectory = _trajectory(trajectory_pk)
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
    entry = get_object_or_404(
        Entry.objects.select_related("author", "trajectory__organisation"), pk=pk
    )
    access.check_read_entry(request.user, entry)
    roles = core_access.roles_for(request.user, entry.trajectory_id)
    show_history = entry.author_id == request.user.pk or bool(roles & RESEARCH_TEAM)
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


RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _file_chunks(handle, start, length, chunk=64 * 1024):
    try:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            data = handle.read(min(chunk, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        handle.close()


def ranged_file_response(request, field, content_type):
    """Serve a private file, honouring a single HTTP Range (for seeking in audio)."""
    try:
        size = field.size
        handle = field.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    range_header = request.headers.get("Range", "").strip()
    if not range_header:
        response = FileResponse(handle, content_type=content_type)
        response["Accept-Ranges"] = "bytes"
        response["Content-Length"] = str(size)
    else:
        match = RANGE_RE.match(range_header)
        start = end = None
        if match and (match.group(1) or match.group(2)):
            if match.group(1):
                start = int(match.group(1))
                end = int(match.group(2)) if match.group(2) else size - 1
            else:
                start = max(size - int(match.group(2)), 0)
                end = size - 1
            end = min(end, size - 1)
        if start is None or start >= size or start > end:
            handle.close()
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            response["Accept-Ranges"] = "bytes"
            return response
        length = end - start + 1
        response = StreamingHttpResponse(
            _file_chunks(handle, start, length), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(length)
        response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def audio_stream(request, pk):
    clip = get_object_or_404(AudioClip.objects.select_related("entry"), pk=pk)
    access.check_read_entry(request.user, clip.entry)
    return ranged_file_response(request, clip.file, clip.content_type)


@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(
        EmailAttachment.objects.select_related("email__trajectory"), pk=pk
    )
    access.check_read_data_points(request.user, attachment.email.trajectory)
    response = ranged_file_response(request, attachment.file, "application/octet-stream")
    safe_name = os.path.basename(attachment.filename).replace('"', "")
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    return response


@login_required
def timeline(request, trajectory_pk):
    trajectory = _trajectory(trajectory_pk)
    roles = access.check_read_data_points(request.user, trajectory)
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
            "can_write_notes": bool(roles & access.NOTE_WRITERS),
        },
    )


@login_required
def email_upload(request, trajectory_pk):
    trajectory = _trajectory(trajectory_pk)
    access.check_upload_email(request.user, trajectory)
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
    trajectory = _trajectory(trajectory_pk)
    access.check_write_notes(request.user, trajectory)
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
    if not core_access.visible_trajectories(request.user, Capability.WRITE_LOGBOOK).exists():
        raise PermissionDenied
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
