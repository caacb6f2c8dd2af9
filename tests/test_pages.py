"""Landing pages, error pages and /healthz."""

import json
import re

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path

from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

LANDING_HEADINGS = {
    "coach": ("coach", "Overzicht teamcoach"),
    "researcher": ("researcher", "Overzicht onderzoeker"),
    "independent": ("study_researcher", "Overzicht onafhankelijk onderzoeker"),
    "champion": ("champion", "Mijn traject (aanjager)"),
    "buddy": ("buddy", "Mijn traject (maatje)"),
    "manager": ("manager", "Voortgang van je organisatie"),
    "participant": ("participant", "Mijn dialoogsessies"),
    "outsider": ("champion", "Mijn traject (aanjager)"),
    "staff": ("staff", "Beheer"),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_lands_on_its_own_page(world, client_for, persona):
    response = client_for(world.users[persona]).get("/")
    html = response.content.decode()
    role, heading = LANDING_HEADINGS[persona]
    assert response.status_code == 200
    assert f'data-landing-role="{role}"' in html
    assert heading in html


def test_home_lists_only_own_trajectories(world, client_for):
    html = client_for(world.champion).get("/").content.decode()
    assert "Het Baken College" in html
    assert "ROC De Delta" not in html


def test_anonymous_home_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/account/inloggen/")


def test_navigation_differs_per_role(world, client_for):
    staff_html = client_for(world.staff).get("/").content.decode()
    champion_html = client_for(world.champion).get("/").content.decode()
    assert "Beheersite" in staff_html
    assert "Beheersite" not in champion_html
    assert 'href="/trajecten/"' in champion_html


def test_unknown_url_gives_dutch_404(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def _boom(request):
    raise RuntimeError("geheime details uit de database")


urlpatterns = [path("boom/", _boom)]


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_server_error_page_leaks_nothing():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Er is iets misgegaan" in html
    assert "geheime details" not in html
    assert "Traceback" not in html


def test_healthz_reports_database_and_eager_worker(client):
    response = client.get("/healthz")
    data = json.loads(response.content)
    assert response.status_code == 200
    assert data == {"status": "ok", "database": "ok", "broker": "eager", "worker": "eager"}


def test_security_headers_are_set(client):
    response = client.get("/account/inloggen/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_home_query_count_does_not_grow_with_trajectories(world, client_for):
    from tests.factories import MembershipFactory, TrajectoryFactory

    client = client_for(world.coach)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    before = count()
    for _ in range(5):
        MembershipFactory(trajectory=TrajectoryFactory(study=world.study), user=world.coach, role="coach")
    assert count() == before


def _coach_in_more_trajectories(world, count):
    from tests.factories import MembershipFactory, TrajectoryFactory

    for _ in range(count):
        trajectory = TrajectoryFactory(study=world.trajectory.study)
        MembershipFactory(trajectory=trajectory, user=world.coach, role="coach")


def test_coach_landing_is_paged_and_costs_the_same_with_more_trajectories(
    world, client_for, django_assert_num_queries
):
    client = client_for(world.coach)
    client.get("/")  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert client.get("/").status_code == 200
    _coach_in_more_trajectories(world, 30)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/")
    html = response.content.decode()
    rows = re.findall(r'<td><a href="/trajecten/\d+/">', html)
    assert len(rows) == 10  # one page of the 32 (the world's 2 and 30 more), with the count
    assert "1–10 van 32 trajecten" in html
    assert 'href="/trajecten/">Al mijn trajecten, met zoeken</a>' in html
    assert "Pagina 1 van 4" in html
    last = client.get("/?page=4").content.decode()
    assert "Pagina 4 van 4" in last
    assert "31–32 van 32 trajecten" in last
