"""An open action: one thing a person should do, shown under "Wat wacht op mij".

Each app's selectors list the open actions of its own data (trajectories: sign
the start agreement, closing interviews; logbooks: this week's entry;
dialogues: approve a report, answer a change request; reports: a report that
is ready). The landing page shows them; the notification e-mails send them.
"""

from __future__ import annotations

from dataclasses import dataclass

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
