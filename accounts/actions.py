"""An open action: one thing a person should do, shown under "Wat wacht op mij".

Each app's selectors list the open actions of its own data (trajectories: sign
the start agreement, closing interviews; logbooks: this week's entry;
dialogues: approve a report, answer a change request; reports: a report that
is ready). The landing page shows them; the notification e-mails send them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# At most this many actions of one kind are listed: the page and its query
# count stay the same size however much data there is.
PER_KIND = 10


@dataclass(frozen=True)
class OpenAction:
    kind: str  # a NotificationKind value
    key: str  # stable per action, e.g. "sign_agreement:12" (agreement 12): mailed once
    title: str  # what to do, in the user's language
    where: str  # the organisation or session it is about
    url: str  # one click from where it is done (a path; e-mails make it absolute)


@dataclass(frozen=True)
class ActionSource:
    """One kind of open action as a query, so that the landing page can show its
    first PER_KIND with the total ("10 van 37") and a page can list them all.

    `queryset` is ordered and yields each action once; `to_action` turns one of
    its rows into an OpenAction.
    """

    slug: str  # in the URL of the full list, e.g. "ondertekenen"
    kind: str  # a NotificationKind value
    label: str  # the heading of the full list, in the user's language
    queryset: Any
    to_action: Callable[[Any], OpenAction]

    def first(self, count: int = PER_KIND) -> list[OpenAction]:
        return [self.to_action(row) for row in self.queryset[:count]]
