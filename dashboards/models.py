"""The overview's sort keys, stored per trajectory.

The team coach's and researchers' overview sorts all their trajectories by figures such as
"needs action" before it shows a page. Computed on the spot, that is a dozen correlated
subqueries for every trajectory in reach (6,000 in a national programme). A row here holds
the same figures (`dashboards.selectors._with_sort_keys`, the rules of `figures_for`), so the
page sorts stored integers. The rows are kept current by `dashboards.services`: on commit of
any change to their inputs, and when the clock moves past `valid_until` (a half-day or
dialogue starts, a logbook week ends).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from trajectories.models import Trajectory


class OverviewRow(models.Model):
    # The stored sort keys (`dashboards.selectors.SORT_KEYS` less the trajectory's own
    # organisation and phase).
    KEYS = ("action", "hours", "half_days", "missing", "approvals", "interviews")

    trajectory = models.OneToOneField(
        Trajectory, on_delete=models.CASCADE, primary_key=True, related_name="overview_row"
    )
    action = models.IntegerField(_("needs action"), default=0)
    hours = models.IntegerField(_("hours used (%)"), default=0)
    half_days = models.IntegerField(_("half-days held"), default=0)
    missing = models.IntegerField(_("missing logbook weeks"), default=0)
    approvals = models.IntegerField(_("pending approvals"), default=0)
    interviews = models.IntegerField(_("interviews to plan"), default=0)
    # The organisation's name in lower case: ties are ordered A to Z, and the default order
    # (most in need of action first) is one index walked from the top.
    organisation = models.CharField(_("organisation"), max_length=200, default="")
    # The first moment the figures above change without any data changing.
    valid_until = models.DateTimeField(_("valid until"), db_index=True)
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("overview row")
        verbose_name_plural = _("overview rows")
        indexes = [
            models.Index(
                models.F("action").desc(),
                "organisation",
                "trajectory",
                name="overview_row_default_order",
            )
        ]

    def __str__(self):
        return f"{self.trajectory_id}: {self.action}"
