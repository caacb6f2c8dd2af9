"""Demo organisations, studies, trajectories and the demo logins.

The package: `organisations` (organisations, trajectories, people, logins), `planning`
(phase 1, half-day details, hours, feeds) and `closing` (goal statuses, the
closing meeting and interviews).
"""

from .organisations import DEMO_LOGINS, seed

__all__ = ["DEMO_LOGINS", "seed"]
