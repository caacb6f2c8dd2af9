"""`StudyMembership.independent`: whether a member of a study's research team is the
independent researcher of at least one of its trajectories, stored and kept current through
every change that can move it, and what `all_roles` and `study_roles` answer from."""

from importlib import import_module

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    MembershipFactory,
    StudyFactory,
    StudyMembershipFactory,
    TrajectoryFactory,
    UserFactory,
)
from trajectories import access
from trajectories.models import Membership, Role, StudyMembership, StudyRole, Trajectory

pytestmark = pytest.mark.django_db


def truth(user_id: int, study_id: int) -> bool:
    """Asked of the trajectories one by one, through the per-trajectory rule."""
    from accounts.models import User

    user = User.objects.get(pk=user_id)
    access.forget(user)
    return any(
        access.STUDY_RESEARCHER in access.roles_for(user, trajectory)
        for trajectory in Trajectory.objects.filter(study_id=study_id)
    )


def wrong() -> list[tuple[int, int, bool]]:
    """The research team's memberships whose stored flag is not the truth."""
    return [
        (member.user_id, member.study_id, member.independent)
        for member in StudyMembership.objects.filter(role=StudyRole.RESEARCHER)
        if member.independent != truth(member.user_id, member.study_id)
    ]


def stored(user, study) -> bool:
    return StudyMembership.objects.get(user=user, study=study, role=StudyRole.RESEARCHER).independent


def test_the_flag_follows_every_change_that_moves_it(world):
    researcher, independent, study = world.researcher, world.independent, world.study
    # The world: the researcher takes part in one of the study's two trajectories.
    assert stored(researcher, study) is True and stored(independent, study) is True
    assert wrong() == []

    # Taking part in the other one too: nowhere independent any more.
    joined = MembershipFactory(trajectory=world.other, user=researcher, role=Role.RESEARCHER)
    assert stored(researcher, study) is False
    access.forget(researcher)
    assert access.STUDY_RESEARCHER not in access.all_roles(researcher)
    assert access.STUDY_RESEARCHER not in access.study_roles(researcher, study.pk)

    # A new trajectory in the study: nobody takes part in it yet.
    new = TrajectoryFactory(study=study)
    assert stored(researcher, study) is True
    access.forget(researcher)
    assert access.STUDY_RESEARCHER in access.all_roles(researcher)
    # ... and once it is deleted again, with a coach membership in it (cascade).
    MembershipFactory(trajectory=new, user=researcher, role=Role.COACH)
    assert stored(researcher, study) is False  # coaching it: not its independent researcher
    new.delete()
    assert stored(researcher, study) is False
    assert wrong() == []

    # The membership's role changed (a saved membership), then removed.
    joined.role = Role.CHAMPION
    joined.save()
    assert stored(researcher, study) is True
    joined.role = Role.RESEARCHER
    joined.save(update_fields=["role"])
    assert stored(researcher, study) is False
    joined.delete()
    assert stored(researcher, study) is True
    assert wrong() == []

    # A trajectory moved to another study: both studies' teams.
    elsewhere = StudyFactory()
    StudyMembershipFactory(study=elsewhere, user=researcher, role=StudyRole.RESEARCHER)
    assert stored(researcher, elsewhere) is False  # no trajectories there yet
    moved = Trajectory.objects.get(pk=world.other.pk)
    moved.study = elsewhere
    moved.save()
    assert stored(researcher, elsewhere) is True
    assert stored(researcher, study) is False  # only world.trajectory left, researched
    assert wrong() == []


def test_a_research_team_membership_is_computed_when_saved_and_not_written_back_stale(world):
    """A coach who joins the research team of the study they coach all of is nowhere its
    independent researcher; an instance held from before a change writes the truth."""
    coach, study = world.coach, world.study
    assert set(Membership.objects.filter(user=coach).values_list("trajectory", flat=True)) == {
        world.trajectory.pk, world.other.pk,
    }
    member = StudyMembershipFactory(study=study, user=coach, role=StudyRole.RESEARCHER)
    assert member.independent is False and stored(coach, study) is False
    TrajectoryFactory(study=study)
    assert stored(coach, study) is True
    member.save()  # held since before the new trajectory
    assert stored(coach, study) is True
    outsider = UserFactory()
    team_coach = StudyMembershipFactory(study=study, user=outsider, role=StudyRole.COACH)
    assert team_coach.independent is False  # only the research team is independent
    assert wrong() == []


def test_all_roles_and_study_roles_read_the_stored_flag_not_the_trajectories(world):
    for user in (world.independent, world.researcher, world.coach):
        access.forget(user)
        with CaptureQueriesContext(connection) as queries:
            roles = access.all_roles(user)
        assert len(queries) == 1
        assert "trajectories_trajectory" not in queries[0]["sql"]
        assert (access.STUDY_RESEARCHER in roles) == any(
            truth(user.pk, study.pk) for study in [world.study]
        ) == (user != world.coach)
        with CaptureQueriesContext(connection) as queries:
            in_study = access.study_roles(user, world.study.pk)
        assert not any(
            'FROM "trajectories_trajectory"' in q["sql"] and "NOT" in q["sql"] for q in queries
        )
        assert (access.STUDY_RESEARCHER in in_study) == (user != world.coach)


def test_the_migration_fills_the_flag_of_existing_research_teams(world):
    from django.apps import apps

    fill = import_module("trajectories.migrations.0013_independent_researchers").fill_independent
    MembershipFactory(trajectory=world.other, user=world.researcher, role=Role.RESEARCHER)
    StudyMembership.objects.update(independent=False)
    StudyMembership.objects.filter(user=world.researcher).update(independent=True)
    assert len(wrong()) == 2
    fill(apps, None)
    assert wrong() == []
    assert stored(world.independent, world.study) is True
    assert stored(world.researcher, world.study) is False
