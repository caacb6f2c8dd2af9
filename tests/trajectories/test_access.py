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


def test_role_lookups_do_not_load_every_trajectory_of_the_user(
    world, django_assert_num_queries
):
    """A coach of many trajectories pays for the ones a page asks about: the roles held
    anywhere are one query, a page of trajectories one more, whatever their number."""
    from tests.factories import MembershipFactory, TrajectoryFactory

    extra = TrajectoryFactory.create_batch(30, study=world.study)
    for trajectory in extra:
        MembershipFactory(trajectory=trajectory, user=world.coach, role="coach")
    MembershipFactory(trajectory=extra[0], user=world.coach, role="participant")
    access.forget(world.coach)
    with django_assert_num_queries(2):
        access.prime(world.coach, extra[:10])
        assert access.all_roles(world.coach) == {"coach", "participant"}
        assert [access.roles_for(world.coach, t) for t in extra[:3]] == [
            {"coach", "participant"},
            {"coach"},
            {"coach"},
        ]
    # Not primed: one query for that trajectory, remembered for the request.
    with django_assert_num_queries(1):
        assert access.roles_for(world.coach, extra[20]) == {"coach"}
        assert access.roles_for(world.coach, extra[20]) == {"coach"}
    assert access.roles_for(world.coach, TrajectoryFactory(study=world.study)) == frozenset()


def test_the_independent_researcher_role_is_the_same_from_either_lookup(world):
    """`roles_for` (per trajectory) and `all_roles` (anywhere) agree on the research
    team member who neither coaches nor researches a trajectory of their study."""
    independent, researcher = world.independent, world.researcher
    for user in (independent, researcher):
        access.forget(user)
    assert access.roles_for(independent, world.trajectory) == {"study_researcher"}
    assert "study_researcher" in access.all_roles(independent)
    assert "study_researcher" not in access.roles_for(researcher, world.trajectory)


def test_the_research_team_branch_is_only_in_the_sql_of_who_holds_that_role(world):
    """`visible_trajectories` leaves the research team's OR out for everyone who is not
    an independent researcher anywhere (it would match nothing, and the OR made
    PostgreSQL check every trajectory); the rows are the same as the per-trajectory rule."""
    from trajectories.models import Trajectory

    everything = list(Trajectory.objects.all())
    for persona in PERSONAS:
        user = world.users[persona]
        access.forget(user)
        visible = access.visible_trajectories(user)
        assert set(visible) == {
            t for t in everything if access.can(user, Capability.VIEW_TRAJECTORY, t)
        }, persona
        holds = "study_researcher" in access.all_roles(user)
        assert ("trajectories_studymembership" in str(visible.query)) == holds, persona
    assert "study_researcher" in access.all_roles(world.independent)
    assert "study_researcher" not in access.all_roles(world.champion)


def test_the_rule_asked_through_another_model_is_the_per_trajectory_rule(world):
    """`through` (the rule asked of each row of another model, here dialogue sessions by
    their trajectory) finds the same rows as the per-trajectory rule, for every persona,
    also for the independent researcher (the research team's branch) and staff."""
    from django.db.models import Q
    from django.utils import timezone

    from dialogues.models import DialogueSession
    from trajectories.access import CAPABILITIES

    for trajectory in (world.trajectory, world.other):
        DialogueSession.objects.create(
            trajectory=trajectory, starts_at=timezone.now(), facilitator=world.coach,
            researcher=world.researcher,
        )
    sessions = list(DialogueSession.objects.select_related("trajectory"))
    assert len({s.trajectory_id for s in sessions}) == 2
    roles = CAPABILITIES[Capability.VIEW_TRAJECTORY]
    seen = {}
    for persona in PERSONAS:
        user = world.users[persona]
        access.forget(user)
        # OR-ed with another condition, as the sessions list does with its invitees.
        found = set(DialogueSession.objects.filter(access.through(user, roles) | Q(pk=-1)))
        assert found == {
            s for s in sessions if access.can(user, Capability.VIEW_TRAJECTORY, s.trajectory)
        }, persona
        seen[persona] = len(found)
    assert seen["independent"] == 2 and seen["staff"] == 2 and seen["outsider"] == 1


def test_every_capability_s_sql_rule_is_the_per_trajectory_rule_for_a_team_member_who_coaches(world):
    """The research team's branch excludes only the roles the capability does not allow:
    a member of the research team who coaches one trajectory of the study and researches
    another sees, through every capability's SQL, what the per-trajectory rule gives
    (not the independent researcher's rights where they coach, all of the coach's there),
    and for the team's capabilities the SQL has no membership exclusion left, with the
    study's condition first."""
    from tests.factories import MembershipFactory, StudyMembershipFactory, TrajectoryFactory
    from trajectories.access import CAPABILITIES, TEAM
    from trajectories.models import Role, StudyRole, Trajectory

    third = TrajectoryFactory(study=world.study)
    member = world.users["independent"]
    MembershipFactory(trajectory=world.trajectory, user=member, role=Role.COACH)
    MembershipFactory(trajectory=world.other, user=member, role=Role.RESEARCHER)
    both = world.users["researcher"]
    MembershipFactory(trajectory=third, user=both, role=Role.COACH)
    MembershipFactory(trajectory=third, user=both, role=Role.RESEARCHER)
    StudyMembershipFactory(study=world.study, user=world.coach, role=StudyRole.RESEARCHER)
    everything = list(Trajectory.objects.all())
    checked = 0
    for user in (member, both, world.coach, world.champion, world.staff):
        for capability in CAPABILITIES:
            access.forget(user)
            found = set(access.visible_trajectories(user, capability))
            assert found == {t for t in everything if access.can(user, capability, t)}, (
                user, capability,
            )
            checked += 1
    access.forget(member)
    assert access.roles_for(member, world.trajectory) == {"coach"}
    assert access.roles_for(member, third) == {"study_researcher"}
    assert set(access.visible_trajectories(member, Capability.HOLD_CLOSING_INTERVIEW)) == {third}
    assert set(access.visible_trajectories(member, Capability.STEP_BACK_PHASE)) == {world.trajectory}
    assert checked == 5 * len(CAPABILITIES)
    team_sql = str(access.visible_trajectories(member, Capability.READ_DIALOGUE_CONTENT).query)
    assert CAPABILITIES[Capability.READ_DIALOGUE_CONTENT] == TEAM
    where = team_sql.split(" WHERE ", 1)[1]
    assert where.index("trajectories_studymembership") < where.index("trajectories_membership")
    assert "NOT" not in where
    research_sql = str(access.visible_trajectories(member, Capability.READ_RESEARCH_DATA).query)
    assert "NOT" in research_sql.split(" WHERE ", 1)[1]


def test_study_roles_are_the_union_of_the_roles_in_the_study_s_trajectories(world):
    """`study_roles` (one EXISTS per role held anywhere) is the union of the
    per-trajectory roles over the study, for every persona; a study the person has no
    part in gives nothing."""
    from tests.factories import StudyFactory, TrajectoryFactory
    from trajectories.models import Trajectory

    empty = StudyFactory()
    TrajectoryFactory(study=empty)
    for persona in PERSONAS:
        user = world.users[persona]
        access.forget(user)
        union = set()
        for trajectory in Trajectory.objects.filter(study=world.study):
            union |= access.roles_for(user, trajectory)
        assert access.study_roles(user, world.study.pk) == union, persona
        expected_elsewhere = {"staff"} if user.is_staff else set()
        assert access.study_roles(user, empty.pk) == expected_elsewhere, persona
