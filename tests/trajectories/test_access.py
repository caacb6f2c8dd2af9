"""The access model: roles per trajectory, 404 for outsiders, 403 for roles without the capability."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tests.conftest import PERSONAS
from trajectories import access
from trajectories.access import Capability

pytestmark = pytest.mark.django_db

# Expected status of the trajectory page of Het Baken College, per persona.
DETAIL = {
    "coach": 200,
    "researcher": 200,
    "independent": 200,
    "champion": 200,
    "buddy": 200,
    "manager": 200,
    "participant": 403,
    "outsider": 404,
    "staff": 200,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_trajectory_detail_per_role(world, client_for, persona):
    response = client_for(world.users[persona]).get(f"/trajecten/{world.trajectory.pk}/")
    assert response.status_code == DETAIL[persona]


def test_trajectory_detail_anonymous_goes_to_login(world, client):
    response = client.get(f"/trajecten/{world.trajectory.pk}/")
    assert response.status_code == 302
    assert "/account/inloggen/" in response.url


@pytest.mark.parametrize("persona", PERSONAS)
def test_trajectory_list_shows_only_visible(world, client_for, persona):
    response = client_for(world.users[persona]).get("/trajecten/")
    html = response.content.decode()
    assert response.status_code == 200
    sees_own = DETAIL[persona] == 200
    assert ("Het Baken College" in html) is sees_own
    sees_other = persona in {"coach", "independent", "researcher", "outsider", "staff"}
    assert ("ROC De Delta" in html) is sees_other


def test_trajectory_list_search_and_query_count(world, client_for, django_assert_max_num_queries):
    client = client_for(world.coach)
    with django_assert_max_num_queries(8):
        html = client.get("/trajecten/?q=baken").content.decode()
    assert "Het Baken College" in html
    assert "ROC De Delta" not in html


def test_roles_and_capabilities(world):
    assert access.roles_for(world.champion, world.trajectory) == {"champion"}
    assert access.roles_for(world.independent, world.trajectory) == {"study_researcher"}
    # A researcher involved in the trajectory is not its independent researcher.
    assert access.roles_for(world.researcher, world.trajectory) == {"researcher"}
    assert access.can(world.independent, Capability.HOLD_CLOSING_INTERVIEW, world.trajectory)
    assert not access.can(world.researcher, Capability.HOLD_CLOSING_INTERVIEW, world.trajectory)
    assert not access.can(world.manager, Capability.READ_RESEARCH_DATA, world.trajectory)
    assert not access.can(world.staff, Capability.READ_RESEARCH_DATA, world.trajectory)
    assert access.can(world.buddy, Capability.ADD_LEARNING_OUTCOMES, world.trajectory)


def test_get_trajectory_refuses_outsiders_with_404_and_roles_without_capability_with_403(world):
    with pytest.raises(Http404):
        access.get_trajectory(world.outsider, world.trajectory.pk)
    with pytest.raises(PermissionDenied):
        access.get_trajectory(world.manager, world.trajectory.pk, Capability.EDIT_PLAN)
    with pytest.raises(Http404):
        access.get_trajectory(world.coach, "not-a-number")
    assert access.get_trajectory(world.coach, world.trajectory.pk) == world.trajectory


def test_one_user_can_hold_different_roles_in_different_trajectories(world):
    from tests.factories import MembershipFactory

    MembershipFactory(trajectory=world.other, user=world.champion, role="participant")
    access.forget(world.champion)
    assert access.roles_for(world.champion, world.other) == {"participant"}
    assert access.roles_for(world.champion, world.trajectory) == {"champion"}
    assert access.all_roles(world.champion) == {"champion", "participant"}


def test_role_lookups_cost_two_queries_per_request(world, django_assert_num_queries):
    user = world.coach
    access.forget(user)
    with django_assert_num_queries(2):
        for _ in range(5):
            access.roles_for(user, world.trajectory)
            access.all_roles(user)
