"""Query counts of every demo login's landing page ("Wat wacht op mij" on top).

Measured inside tests/dashboards/test_dashboards_scale.py, which already seeds
the demo at 1x and 20x: one 20x seeding serves both measurements.
"""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from tests.role_matrix import LOGINS


def measure_landing_pages(client_for) -> tuple[dict, dict, dict]:
    """({login: queries}, {login: open actions shown}, {login: (trajectory rows, "N van M"
    as shown: (N, M, whether it said "meer dan M"))}) for GET / of every demo login."""
    counts, actions, trajectories = {}, {}, {}
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
        html = response.content.decode()
        section = html[html.index('id="my-trajectories"') :]
        shown = re.search(r"(\d+)–(\d+) van (meer dan )?([\d.]+) trajecten", section)
        trajectories[key] = (
            max(section.count("<tr>") - 1, 0),  # minus the header row
            shown
            and (int(shown[2]) - int(shown[1]) + 1, int(shown[4].replace(".", "")), bool(shown[3])),
        )
    return counts, actions, trajectories
