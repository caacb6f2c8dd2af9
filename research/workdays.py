"""Dutch working days, for the five-day withdrawal window.

A working day is Monday to Friday and not a Dutch public holiday as the
`holidays` package knows them for the Netherlands (New Year, Good Friday,
Easter Monday, King's Day, Liberation Day in lustrum years, Ascension Day,
Whit Monday, Christmas).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

WITHDRAWAL_WINDOW_WORKING_DAYS = 5


@lru_cache(maxsize=64)
def _dutch_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NL", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _dutch_holidays(day.year)


def add_working_days(start: date, count: int) -> date:
    """The date `count` working days after `start` (`start` itself never counts)."""
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def withdrawal_deadline(reference: date) -> date:
    """The last day on which a withdrawal still destroys the data given on `reference`."""
    return add_working_days(reference, WITHDRAWAL_WINDOW_WORKING_DAYS)
