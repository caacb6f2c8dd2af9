"""The plan, half-days, the calendar, hours and the calendar feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lobtraject.actions import add_errors

from .. import access, selectors, services
from ..access import Capability
from ..forms import (
    BudgetExtensionForm,
    HalfDayForm,
    HourEntryForm,
    OutcomesForm,
)
from ..models import (
    CalendarFeed,
    HalfDay,
    HourEntry,
)

# --- planning -----------------------------------------------------------------------


@login_required
def plan(request, pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.VIEW_PLAN)
    return render(
        request,
        "trajectories/plan.html",
        {
            "trajectory": trajectory,
            "half_days": selectors.half_days(trajectory),
            "can_edit_plan": access.can(request.user, Capability.EDIT_PLAN, trajectory),
            "can_plan_half_days": access.can(request.user, Capability.PLAN_HALF_DAYS, trajectory),
            "can_add_outcomes": access.can(
                request.user, Capability.ADD_LEARNING_OUTCOMES, trajectory
            ),
            "can_read_outcomes": access.can(
                request.user, Capability.READ_LEARNING_OUTCOMES, trajectory
            ),
        },
    )


@login_required
def half_day_form(request, pk, half_day_pk=None):
    # Champions and buddies organise the half-days in the method, beside the coach.
    trajectory = access.get_trajectory(request.user, pk, Capability.PLAN_HALF_DAYS)
    instance = (
        get_object_or_404(HalfDay, pk=half_day_pk, trajectory=trajectory)
        if half_day_pk
        else HalfDay(trajectory=trajectory)
    )
    form = HalfDayForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.half_day_save(half_day=form.instance)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The half-day has been saved."))
            return redirect("trajectories:plan", pk=trajectory.pk)
    return render(
        request,
        "trajectories/half_day_form.html",
        {"trajectory": trajectory, "form": form, "half_day": instance},
        status=400 if form.errors else 200,
    )


@login_required
def half_day_delete(request, pk, half_day_pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.EDIT_PLAN)
    half_day = get_object_or_404(HalfDay, pk=half_day_pk, trajectory=trajectory)
    back = reverse("trajectories:plan", args=[trajectory.pk])
    locked = services.half_day_lock_reason(half_day)
    if request.method == "POST" and not locked:
        services.half_day_delete(half_day=half_day)
        messages.success(request, _("The half-day has been deleted."))
        return redirect(back)
    when = date_format(timezone.localtime(half_day.starts_at), "l j F Y H:i")
    return render(
        request,
        "includes/confirm_delete.html",
        {
            "title": _("Delete a half-day"),
            "what": f"{when} {half_day.title}".strip(),
            "cancel_url": back,
            "locked_reason": locked,
        },
        status=403 if request.method == "POST" and locked else 200,
    )


@login_required
def half_day_outcomes(request, pk, half_day_pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.ADD_LEARNING_OUTCOMES)
    half_day = get_object_or_404(HalfDay, pk=half_day_pk, trajectory=trajectory)
    form = OutcomesForm(
        request.POST or None, initial={"learning_outcomes": half_day.learning_outcomes}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.half_day_add_outcomes(
                half_day=half_day,
                learning_outcomes=form.cleaned_data["learning_outcomes"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The learning outcomes have been saved."))
            return redirect("trajectories:plan", pk=trajectory.pk)
    return render(
        request,
        "trajectories/outcomes_form.html",
        {"trajectory": trajectory, "form": form, "half_day": half_day},
    )


@login_required
def calendar(request):
    """One month of the half-days across all trajectories the user plans or follows."""
    ids = access.calendar_trajectory_ids(request.user)
    today = timezone.localdate()
    month = selectors.parse_month(request.GET.get("maand"), today=today)
    shown = selectors.calendar_month(ids, month=month, today=today, page=request.GET.get("page"))
    feed = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).first()
    feed_url = (
        request.build_absolute_uri(reverse("trajectories:feed", args=[feed.token]))
        if feed
        else None
    )
    return render(request, "trajectories/calendar.html", {"calendar": shown, "feed_url": feed_url})


# --- hours --------------------------------------------------------------------------


@login_required
def hours(request, pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.EDIT_PLAN)
    form = HourEntryForm(request.POST or None, prefix="entry")
    extension_form = BudgetExtensionForm(prefix="extra")
    status = 200
    if request.method == "POST" and "extra-hours" in request.POST:
        form = HourEntryForm(prefix="entry")
        extension_form = BudgetExtensionForm(request.POST, prefix="extra")
        if extension_form.is_valid():
            try:
                services.budget_extend(
                    trajectory=trajectory, by=request.user, **extension_form.cleaned_data
                )
            except ValidationError as error:
                add_errors(extension_form, error)
            else:
                messages.success(request, _("The budget has been extended."))
                return redirect("trajectories:hours", pk=trajectory.pk)
        status = 400
    elif request.method == "POST":
        if form.is_valid():
            try:
                services.hours_log(trajectory=trajectory, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The hours have been logged."))
                return redirect("trajectories:hours", pk=trajectory.pk)
        status = 400
    return render(
        request,
        "trajectories/hours.html",
        {
            "trajectory": trajectory,
            "form": form,
            "extension_form": extension_form,
            "summary": selectors.hours_summary(trajectory),
            "entries": trajectory.hour_entries.select_related("user"),
            "extensions": trajectory.budget_extensions.select_related("added_by"),
        },
        status=status,
    )


def _hour_entry(request, pk, entry_pk):
    trajectory = access.get_trajectory(request.user, pk, Capability.EDIT_PLAN)
    entry = get_object_or_404(
        HourEntry.objects.select_related("trajectory"), pk=entry_pk, trajectory=trajectory
    )
    return trajectory, entry


@login_required
def hours_edit(request, pk, entry_pk):
    trajectory, entry = _hour_entry(request, pk, entry_pk)
    initial = {
        "date": entry.date,
        "activity": entry.activity,
        "hours": entry.hours,
        "note": entry.note,
    }
    form = HourEntryForm(request.POST or None, initial=initial, prefix="entry")
    if request.method == "POST" and form.is_valid():
        try:
            services.hours_change(entry=entry, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The hours have been changed."))
            return redirect("trajectories:hours", pk=trajectory.pk)
    return render(
        request,
        "trajectories/hours_form.html",
        {"trajectory": trajectory, "entry": entry, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def hours_delete(request, pk, entry_pk):
    trajectory, entry = _hour_entry(request, pk, entry_pk)
    back = reverse("trajectories:hours", args=[trajectory.pk])
    if request.method == "POST":
        services.hours_delete(entry=entry)
        messages.success(request, _("The hours have been deleted."))
        return redirect(back)
    what = _("%(date)s: %(hours)s hours, %(activity)s") % {
        "date": date_format(entry.date, "j F Y"),
        "hours": formats.number_format(entry.hours.normalize()),
        "activity": entry.get_activity_display(),
    }
    return render(
        request,
        "includes/confirm_delete.html",
        {"title": _("Delete logged hours"), "what": what, "cancel_url": back},
    )


# --- calendar feed ------------------------------------------------------------------


@login_required
@require_POST
def feed_create(request):
    services.feed_get_or_create(user=request.user)
    messages.success(request, _("Your private calendar link is ready."))
    return redirect("trajectories:calendar")


@login_required
@require_POST
def feed_revoke(request):
    services.feed_revoke(user=request.user)
    messages.success(request, _("Your calendar link no longer works."))
    return redirect("trajectories:calendar")


def feed(request, token):
    """The .ics feed; no login, the token is the key. Revoked or unknown → 404."""
    feed = (
        CalendarFeed.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if feed is None or not feed.user.is_active:
        raise Http404
    body = selectors.ics_for(feed.user, host=request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="lob-traject.ics"'
    return response
