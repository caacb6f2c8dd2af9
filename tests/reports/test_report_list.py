"""The report page offers its request forms a page at a time, searchable by
school, so it costs the same with 2 trajectories as with 1,200."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import MembershipFactory, OrganisationFactory, TrajectoryFactory
from trajectories.models import Role

pytestmark = pytest.mark.django_db


def _more_trajectories(world, count: int, name: str = "Scholengroep") -> list:
    made = []
    for number in range(count):
        organisation = OrganisationFactory(name=f"{name} {number:02d}")
        trajectory = TrajectoryFactory(study=world.study, organisation=organisation)
        MembershipFactory(trajectory=trajectory, user=world.researcher, role=Role.RESEARCHER)
        made.append(trajectory)
    return made


def _get(client, url: str = "/rapporten/"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def test_query_count_and_size_do_not_grow_with_trajectories(world, client_for):
    client = client_for(world.researcher)
    small, small_queries = _get(client)
    _more_trajectories(world, 25)
    large, large_queries = _get(client)

    assert large_queries == small_queries
    summaries = large.context["summaries"]["page"]
    assert summaries.paginator.count == small.context["summaries"]["page"].paginator.count + 25
    assert len(summaries.object_list) == 10
    forms = sum(t.for_research + t.for_progress for t in summaries.object_list)
    assert 10 <= forms <= 20  # a research team version and/or a manager version each
    assert large.content.decode().count('value="summary"') == forms
    assert len(large.context["portraits"]["page"].object_list) == 10


def test_pages_of_trajectories_and_portraits_keep_each_other(world, client_for):
    client = client_for(world.researcher)
    _more_trajectories(world, 25)
    first, _queries = _get(client)
    everything = sorted(
        [t.organisation.name for t in first.context["summaries"]["page"].paginator.object_list]
    )
    next_link = first.context["summaries"]["next"]
    assert next_link == "?trajecten=2"

    second, _queries = _get(client, f"/rapporten/{next_link}&organisaties=3")
    names = [t.organisation.name for t in second.context["summaries"]["page"].object_list]
    assert names == everything[10:20]
    assert second.context["portraits"]["page"].number == 3
    assert second.context["summaries"]["previous"] == "?trajecten=1&organisaties=3"


def test_search_narrows_to_schools_by_name(world, client_for):
    client = client_for(world.researcher)
    _more_trajectories(world, 12)
    _more_trajectories(world, 2, name="Montessori Lyceum")

    found, _queries = _get(client, "/rapporten/?q=montessori")
    trajectories = found.context["summaries"]["page"].object_list
    assert [t.organisation.name for t in trajectories] == ["Montessori Lyceum 00",
                                                          "Montessori Lyceum 01"]
    portraits = found.context["portraits"]["page"].object_list
    assert [o.name for o in portraits] == ["Montessori Lyceum 00", "Montessori Lyceum 01"]
    assert 'value="montessori"' in found.content.decode()

    nothing, _queries = _get(client, "/rapporten/?q=Zweinstein")
    assert "Geen traject van een school waarvan de naam “Zweinstein” bevat." in (
        nothing.content.decode()
    )


def test_a_search_does_not_open_the_page_to_someone_without_reports(world, client_for):
    assert client_for(world.participant).get("/rapporten/?q=Baken").status_code == 403
