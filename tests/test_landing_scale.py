"""Every landing page with "Wat wacht op mij" costs the same number of queries at 1x and
20x demo data (seed_demo, so every app's data is there at realistic proportions)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from tests.role_matrix import LOGINS
from trajectories.models import Trajectory

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _measure(client_for):
    counts, actions = {}, {}
    for key, email in LOGINS.items():
        if email is None:
            continue
        client = client_for(User.objects.get(email=email))
        client.get("/")  # warm up: content types, translations, template loading
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/")
        assert response.status_code == 200, key
        assert "Wat wacht op mij" in response.content.decode(), key
        counts[key] = len(queries)
        actions[key] = len(response.context["open_actions"])
    return counts, actions


def test_landing_pages_cost_the_same_at_scale_1_and_20(require_postgres, client_for):
    call_command("seed_demo", scale=1, quiet_logins=True, stdout=io.StringIO())
    small, small_actions = _measure(client_for)
    trajectories_small = Trajectory.objects.count()

    call_command("seed_demo", scale=20, quiet_logins=True, stdout=io.StringIO())
    large, large_actions = _measure(client_for)
    assert Trajectory.objects.count() >= 20 * trajectories_small

    # The team coach has more waiting at 20x (more trajectories to act on) ...
    assert large_actions["tc"] >= small_actions["tc"] > 0
    # ... for exactly the same number of queries, login by login.
    assert large == small
    print("landing-page queries at scale 1 and 20:", small)
    print("open actions at scale 1:", small_actions, "at scale 20:", large_actions)
