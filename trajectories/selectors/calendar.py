"""The calendar view and the ics feed."""

from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext

from lobtraject.paging import Paginator

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


# A month holds at most this many half-days per page: a coach of a national
# programme can have hundreds in one month.
CALENDAR_PAGE_SIZE = 50
# The feed covers this much of the past and the future around today.
FEED_DAYS_BACK = 92
FEED_DAYS_AHEAD = 366


def parse_month(value: str | None, *, today: date) -> date:
    """`?maand=2026-03` as the first day of that month; anything else (or a month
    outside 2000–2100) is the current month."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        if 2000 <= year <= 2100:
            return date(year, month, 1)
    except ValueError:
        pass
    return _month_start(today)


def _previous_month(day: date) -> date:
    return date(day.year - 1, 12, 1) if day.month == 1 else date(day.year, day.month - 1, 1)


def _aware_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day))


def calendar_month(trajectory_ids, *, month: date, today: date, page: str | int | None = 1):
    """One month of half-days of `trajectory_ids`, a page of them at a time.

    Three queries (count, page, nothing more), whatever the number of
    trajectories or half-days: the page renders at most `CALENDAR_PAGE_SIZE`
    rows.
    """
    days = (
        HalfDay.objects.filter(
            trajectory_id__in=trajectory_ids,
            starts_at__gte=_aware_midnight(month),
            starts_at__lt=_aware_midnight(_add_month(month)),
        )
        .select_related("trajectory__organisation")
        .order_by("starts_at", "pk")
    )
    page_obj = Paginator(days, CALENDAR_PAGE_SIZE).get_page(page)
    return {
        "month": month,
        "previous": _previous_month(month),
        "next": _add_month(month),
        "current": _month_start(today),
        "is_current": month == _month_start(today),
        "is_summer": month.month in SUMMER_MONTHS,
        "page": page_obj,
        "half_days": page_obj.object_list,
    }


def ics_for(user, *, host: str) -> bytes:
    """The user's half-days from `FEED_DAYS_BACK` days ago to `FEED_DAYS_AHEAD`
    days ahead, as an iCalendar document."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//LOB-traject//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "LOB-traject")
    ids = access.calendar_trajectory_ids(user)
    today = timezone.localdate()
    for day in (
        HalfDay.objects.filter(
            trajectory_id__in=ids,
            starts_at__gte=_aware_midnight(today - timedelta(days=FEED_DAYS_BACK)),
            starts_at__lt=_aware_midnight(today + timedelta(days=FEED_DAYS_AHEAD)),
        )
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
