"""Both dashboards cost the same number of queries with 1x and 20x demo data.

The demo data come from `seed_demo` itself, so the measurement covers every
app's data (half-days, hours, logbooks, dialogues, closing phase) at realistic
proportions. Running it a second time with --scale 20 adds nineteen rounds of
organisations to the first one.
"""

import io
import re
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from lobtraject import paging
from tests.landing_pages import measure_landing_pages
from trajectories.models import Role, Trajectory

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _pages():
    main = Trajectory.objects.filter(
        memberships__user__email="manager@demo.test", memberships__role=Role.MANAGER
    ).get()
    return [
        ("manager@demo.test", reverse("dashboards:manager")),
        ("teamcoach@demo.test", reverse("dashboards:overview")),
        ("onderzoeker@demo.test", reverse("dashboards:overview")),
        ("teamcoach@demo.test", reverse("dashboards:overview") + "?sort=-hours&page=2"),
        ("teamcoach@demo.test", reverse("dashboards:trajectory", args=[main.pk])),
        # The other pages issue 21 made flat: reports, the coding workbench and
        # the full list of one kind of "Wat wacht op mij".
        ("onderzoeker@demo.test", reverse("reports:list")),
        ("onderzoeker@demo.test", reverse("coding:codebook", args=[main.study_id])),
        ("onderzoeker@demo.test", reverse("coding:fragments", args=[main.study_id])),
        ("teamcoach@demo.test", reverse("waiting", args=["logboek"])),
    ]


def _measure(client_for, timings):
    counts, rows = {}, {}
    for email, url in _pages():
        client = client_for(User.objects.get(email=email))
        client.get(url)  # warm up: content types, translations, template loading
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        timings[(email, url)] = round((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (email, url)
        counts[(email, url)] = len(queries)
        caption = re.search(r"<caption>(\d+) ", response.content.decode())
        rows[(email, url)] = int(caption.group(1)) if caption else None
    return counts, rows


def test_dashboards_cost_the_same_at_scale_1_and_20(
    require_postgres, client_for, django_assert_num_queries
):
    call_command("seed_demo", scale=1, quiet_logins=True, stdout=io.StringIO())
    small_ms, large_ms = {}, {}
    small, small_rows = _measure(client_for, small_ms)
    landing_small, waiting_small, listed_small = measure_landing_pages(client_for)
    trajectories_small = Trajectory.objects.count()

    call_command("seed_demo", scale=20, quiet_logins=True, stdout=io.StringIO())
    large, large_rows = _measure(client_for, large_ms)
    landing_large, waiting_large, listed_large = measure_landing_pages(client_for)
    assert Trajectory.objects.count() >= 20 * trajectories_small

    # The overview really lists twenty times as many trajectories ...
    overview = ("teamcoach@demo.test", reverse("dashboards:overview"))
    assert large_rows[overview] >= 20 * small_rows[overview] > 0
    # ... for exactly the same number of queries, page by page.
    assert large == small
    print("dashboard queries at scale 1 and 20:", small)
    print("milliseconds at scale 1:", small_ms, "at scale 20:", large_ms)
    # Every landing page with "Wat wacht op mij": the team coach has more waiting
    # at 20x, for the same number of queries, login by login.
    assert waiting_large["tc"] >= waiting_small["tc"] > 0
    assert landing_large == landing_small
    print("landing-page queries at scale 1 and 20:", landing_small)
    print("open actions at scale 1:", waiting_small, "at scale 20:", waiting_large)
    # The team coach's landing page lists one page of ten of all their trajectories,
    # with the count ("1–10 van 12 trajecten"; "1–10 van meer dan 100 trajecten" once
    # there are more than the paginator counts) and a link to the full list.
    assert listed_small["tc"] == (10, (10, 12, False)), listed_small["tc"]
    coached = (
        Trajectory.objects.filter(memberships__user__email="teamcoach@demo.test").distinct().count()
    )
    assert coached >= 240
    assert listed_large["tc"] == (10, (10, 10 * paging.WINDOW, True)), listed_large["tc"]
    print("landing-page trajectory rows at scale 1 and 20:", listed_small, listed_large)
    email, url = overview
    client = client_for(User.objects.get(email=email))
    with django_assert_num_queries(small[overview]):
        client.get(url)
