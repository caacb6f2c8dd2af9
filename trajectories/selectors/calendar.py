"""The calendar view and the ics feed."""


from datetime import date

from django.utils import timezone
from django.utils.translation import gettext

from .. import access
from ..models import (
    HalfDay,
)

# --- calendar ----------------------------------------------------------------

SUMMER_MONTHS = (7, 8)


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _add_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def calendar_months(trajectory_ids, *, today: date, max_months: int = 24):
    """Half-days of `trajectory_ids` grouped per month, summer months flagged.

    Two queries, whatever the number of trajectories or half-days. The range
    runs from the earliest to the latest half-day (at least the current month
    and the eleven after it), at most `max_months` months.
    """
    days = list(
        HalfDay.objects.filter(trajectory_id__in=trajectory_ids)
        .select_related("trajectory__organisation")
        .order_by("starts_at")
    )
    first = _month_start(today)
    last = first
    for _ in range(11):
        last = _add_month(last)
    if days:
        first = min(first, _month_start(timezone.localtime(days[0].starts_at).date()))
        last = max(last, _month_start(timezone.localtime(days[-1].starts_at).date()))
    months = []
    by_month: dict[date, list] = {}
    for day in days:
        by_month.setdefault(_month_start(timezone.localtime(day.starts_at).date()), []).append(day)
    month = first
    while month <= last and len(months) < max_months:
        months.append(
            {
                "month": month,
                "is_summer": month.month in SUMMER_MONTHS,
                "half_days": by_month.get(month, []),
                "is_current": month == _month_start(today),
            }
        )
        month = _add_month(month)
    return months


def ics_for(user, *, host: str) -> bytes:
    """The user's half-days as an iCalendar document."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//LOB-traject//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "LOB-traject")
    ids = access.calendar_trajectory_ids(user)
    for day in (
        HalfDay.objects.filter(trajectory_id__in=ids)
        .select_related("trajectory__organisation")
        .order_by("starts_at")
    ):
        event = Event()
        event.add("uid", f"halfday-{day.pk}@{host.split(':')[0]}")
        title = day.title or (
            gettext("Start dialogue") if day.is_start_dialogue else gettext("Half-day")
        )
        event.add("summary", f"{title} — {day.trajectory.organisation.name}")
        event.add("dtstart", timezone.localtime(day.starts_at))
        event.add("dtend", timezone.localtime(day.ends_at))
        event.add("dtstamp", timezone.now())
        event.add("location", gettext("Online") if day.is_online else day.place)
        if day.preparation_notes:
            event.add("description", day.preparation_notes)
        calendar.add_component(event)
    return calendar.to_ical()
