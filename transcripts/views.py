"""The transcript page: the recording, the machine's draft per segment, correction and approval."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lobtraject.actions import perform
from lobtraject.transcription import model_available

from . import access, selectors, services
from .models import TranscriptStatus

SEGMENT_FIELD = "segment-"


def _texts(post) -> dict[int, str]:
    texts = {}
    for name, value in post.items():
        if name.startswith(SEGMENT_FIELD) and name[len(SEGMENT_FIELD) :].isdigit():
            texts[int(name[len(SEGMENT_FIELD) :])] = value
    return texts


def _visible(transcript, editor: bool) -> bool:
    """Others than the editor read the text only once it is approved."""
    return editor or transcript.status == TranscriptStatus.APPROVED


@login_required
def detail(request, pk):
    transcript, ref = access.get_transcript(request.user, pk)
    editor = access.may_edit(request.user, ref)
    if request.method == "POST":
        access.check_edit(request.user, transcript, ref)
        approve = request.POST.get("action") == "approve"
        ok, _result = perform(
            request,
            lambda: services.transcript_correct(
                transcript=transcript,
                user=request.user,
                texts=_texts(request.POST),
                approve=approve,
            ),
            success=_("The transcript has been approved.")
            if approve
            else _("The corrections have been saved."),
        )
        return redirect("transcripts:detail", pk=transcript.pk)
    visible = _visible(transcript, editor)
    return render(
        request,
        "transcripts/detail.html",
        {
            "transcript": transcript,
            "ref": ref,
            "editor": editor,
            "visible": visible,
            "segments": list(transcript.segments.all()) if visible else [],
            "model_available": model_available(),
            "editable": editor
            and transcript.status in (TranscriptStatus.DRAFT, TranscriptStatus.APPROVED),
        },
    )


@login_required
def progress(request, pk):
    """Polled by the page while the machine runs: how far it is and the segments so far."""
    transcript, ref = access.get_transcript(request.user, pk)
    editor = access.may_edit(request.user, ref)
    try:
        after = max(0, int(request.GET.get("vanaf", "0")))
    except ValueError:
        after = 0
    segments = selectors.segments_after(transcript, after) if _visible(transcript, editor) else []
    return JsonResponse(
        {
            "status": transcript.status,
            "label": str(transcript.get_status_display()),
            "percent": transcript.progress_percent,
            "done": round(transcript.done_seconds, 1),
            "duration": round(transcript.duration or 0, 1),
            "segments": segments,
            "finished": not transcript.in_progress,
        }
    )


@login_required
@require_POST
def retry(request, pk):
    transcript, ref = access.get_transcript(request.user, pk)
    access.check_edit(request.user, transcript, ref)
    ok, _result = perform(
        request,
        lambda: services.transcript_retry(transcript=transcript, user=request.user),
        success=_("The transcription has been started again."),
    )
    if ok and not model_available():
        messages.warning(request, _("There is still no speech model installed on this server."))
    return redirect("transcripts:detail", pk=transcript.pk)
