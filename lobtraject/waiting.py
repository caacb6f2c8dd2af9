""" "Wat wacht op mij": every open action of one person, from every app, in one list.

Used by the landing page and by the notification e-mails, so both show the same.
Each kind is an `ActionSource` (a query): the landing page shows the first
PER_KIND of each with their total ("10 van 37") and links to the full list of
a kind, a page at a time (`waiting_page`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page
from django.http import Http404
from django.utils import timezone

from accounts.actions import ActionSource, OpenAction
from dialogues import selectors as dialogue_selectors
from lobtraject.paging import Paginator, count_at_most
from logbooks import selectors as logbook_selectors
from reports import selectors as report_selectors
from trajectories import selectors as trajectory_selectors

WAITING_PAGE_SIZE = 25


def sources(user) -> list[ActionSource]:
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    return [
        *trajectory_selectors.action_sources(user),
        *logbook_selectors.open_action_sources(user, today=today),
        *dialogue_selectors.open_action_sources(user),
        *report_selectors.open_action_sources(user),
    ]


def open_actions(user) -> list[OpenAction]:
    """The first PER_KIND actions of every kind (what the e-mails send)."""
    return [action for source in sources(user) for action in source.first()]


# "N van M" counts at most this many per kind ("10 van 100+"): a coach of a
# national programme has thousands, and an exact count would read them all.
COUNT_CAP = 100


@dataclass(frozen=True)
class Waiting:
    """Per kind: what the landing page shows, and how many there are (at most COUNT_CAP)."""

    source: ActionSource
    actions: list[OpenAction]
    total: int

    @property
    def more(self) -> bool:
        return self.total > len(self.actions)

    capped: bool = False  # more than `total` (= COUNT_CAP)


def waiting(user) -> list[Waiting]:
    """Every kind that has open actions, its first PER_KIND with the total: two
    queries per kind, whatever the amount of data (the first rows walk an index
    in their order and stop; the count stops at COUNT_CAP)."""
    result = []
    for source in sources(user):
        actions = source.first()
        total = count_at_most(source.queryset, COUNT_CAP + 1)
        if actions:
            capped = total > COUNT_CAP
            result.append(
                Waiting(source, actions, COUNT_CAP if capped else max(total, len(actions)), capped)
            )
    return result


def waiting_page(user, slug: str, page_number) -> tuple[ActionSource, Page, list[OpenAction]]:
    """One page of the open actions of one kind; 404 for a kind this user has none of."""
    source = next((s for s in sources(user) if s.slug == slug), None)
    if source is None:
        raise Http404
    page = Paginator(source.queryset, WAITING_PAGE_SIZE).get_page(page_number)
    return source, page, [source.to_action(row) for row in page.object_list]
