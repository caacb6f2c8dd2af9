""" "Wat wacht op mij": every open action of one person, from every app, in one list.

Used by the landing page and by the notification e-mails, so both show the same.
"""

from __future__ import annotations

from django.utils import timezone

from accounts.actions import OpenAction
from dialogues import selectors as dialogue_selectors
from logbooks import selectors as logbook_selectors
from reports import selectors as report_selectors
from trajectories import selectors as trajectory_selectors


def open_actions(user) -> list[OpenAction]:
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    return [
        *trajectory_selectors.open_actions(user),
        *logbook_selectors.open_actions(user, today=today),
        *dialogue_selectors.open_actions(user),
        *report_selectors.open_actions(user),
    ]
