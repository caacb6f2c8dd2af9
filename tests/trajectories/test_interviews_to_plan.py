"""`Trajectory.interviews_to_plan`: the stored "closing interviews to plan" of the team
coach, kept by signals when a phase or a closing interview changes."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lobtraject.waiting import open_actions
from trajectories import services
from trajectories.models import (
    ClosingInterview,
    InterviewStatus,
    MissedReason,
    Phase,
    Role,
    Trajectory,
)

pytestmark = pytest.mark.django_db


def flag(trajectory) -> bool:
    return Trajectory.objects.values_list("interviews_to_plan", flat=True).get(pk=trajectory.pk)


def computed() -> dict[int, bool]:
    """The rule written out in Python, independent of the UPDATE that stores it."""
    interviews: dict[int, list] = {}
    for trajectory_id, status, planned_at in ClosingInterview.objects.values_list(
        "trajectory_id", "status", "planned_at"
    ):
        interviews.setdefault(trajectory_id, []).append((status, planned_at))
    return {
        pk: phase == Phase.CLOSING
        and (
            pk not in interviews
            or any(s == InterviewStatus.PLANNED and at is None for s, at in interviews[pk])
        )
        for pk, phase in Trajectory.objects.values_list("pk", "phase")
    }


def plan_keys(user) -> list[str]:
    return [a.key for a in open_actions(user) if a.key.startswith("closing_interview_plan:")]


def planned_interview(world, trajectory, interviewee):
    """A closing interview with an interviewer and a date three days ahead."""
    return ClosingInterview.objects.create(
        trajectory=trajectory,
        interviewee=interviewee,
        interviewee_role=Role.CHAMPION,
        interviewer=world.independent,
        planned_at=timezone.now() + timedelta(days=3),
    )


def test_the_flag_follows_the_phase_and_the_interviews(world):
    trajectory = world.trajectory
    assert flag(trajectory) is False
    trajectory.phase = Phase.CLOSING
    trajectory.save(update_fields=["phase"])
    assert flag(trajectory) is True  # closing, no interview yet
    assert plan_keys(world.coach) == [f"closing_interview_plan:{trajectory.pk}"]

    interview = planned_interview(world, trajectory, world.champion)
    assert flag(trajectory) is False
    assert plan_keys(world.coach) == []

    interview.planned_at = None  # the date taken off again
    interview.save()
    assert flag(trajectory) is True
    interview.status = InterviewStatus.MISSED
    interview.missed_reason = MissedReason.ILLNESS
    interview.save()
    assert flag(trajectory) is False  # one interview, no longer to plan

    services.closing_interview_delete(interview=interview)
    assert flag(trajectory) is True  # none left
    trajectory.phase = Phase.CUSTOM  # a step back
    trajectory.save()
    assert flag(trajectory) is False
    assert computed() == dict(Trajectory.objects.values_list("pk", "interviews_to_plan"))


def _flag_updates(queries) -> int:
    return sum(q["sql"].startswith("UPDATE") and "interviews_to_plan" in q["sql"] for q in queries)


def test_a_save_that_does_not_touch_the_phase_costs_no_extra_query(world):
    world.trajectory.ends_on = world.trajectory.starts_on
    with CaptureQueriesContext(connection) as queries:
        world.trajectory.save(update_fields=["ends_on"])
    assert _flag_updates(queries) == 0
    world.trajectory.phase = Phase.CLOSING
    with CaptureQueriesContext(connection) as queries:
        world.trajectory.save(update_fields=["phase"])
    assert _flag_updates(queries) == 1
    # A new trajectory outside the closing phase keeps the default without an UPDATE.
    world.other.delete()
    with CaptureQueriesContext(connection) as queries:
        created = Trajectory.objects.create(
            study=world.trajectory.study, organisation=world.other.organisation
        )
    assert _flag_updates(queries) == 0
    assert flag(created) is False


def test_an_interview_deleted_by_a_queryset_or_cascade_counts_too(world):
    """QuerySet.delete() sends post_delete per row (a receiver turns off the fast delete)."""
    trajectory = world.trajectory
    trajectory.phase = Phase.CLOSING
    trajectory.save()
    interview = planned_interview(world, trajectory, world.champion)
    assert flag(trajectory) is False
    ClosingInterview.objects.filter(pk=interview.pk).delete()  # as a cascade would
    assert flag(trajectory) is True


@pytest.mark.slow  # seeds the demo again at --scale 2 (bulk rounds, which send no signals)
def test_the_seeded_flags_equal_the_rule_at_scale_2(demo_data):
    call_command("seed_demo", scale=2, quiet_logins=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    stored = dict(Trajectory.objects.values_list("pk", "interviews_to_plan"))
    assert stored == computed()
    assert Trajectory.objects.filter(phase=Phase.CLOSING).count() >= 2


def test_the_migration_sets_the_flag_of_existing_trajectories(world):
    """Migration 0011 computes the flag for trajectories made before it (run here on the
    current models, with the flags first cleared as an older database has them)."""
    from importlib import import_module

    from django.apps import apps

    compute = import_module("trajectories.migrations.0011_interviews_to_plan").compute
    Trajectory.objects.filter(pk=world.trajectory.pk).update(phase=Phase.CLOSING)
    Trajectory.objects.filter(pk=world.other.pk).update(phase=Phase.CLOSING)
    planned_interview(world, world.other, world.outsider)
    Trajectory.objects.update(interviews_to_plan=False)
    compute(apps, None)
    assert flag(world.trajectory) is True
    assert flag(world.other) is False
    assert computed() == dict(Trajectory.objects.values_list("pk", "interviews_to_plan"))
