"""Goal progress: the timeline per goal from agreement, interim evaluations and interviews."""

from datetime import date

from tests.factories import HalfDayFactory
from tests.trajectories.factories import StartAgreementFactory
from trajectories import selectors
from trajectories.goals import Goal
from trajectories.models import GoalProgress, GoalSource, GoalStatus


def _status(trajectory, goal, on, status, source=GoalSource.START_AGREEMENT, **kwargs):
    return GoalStatus.objects.create(
        trajectory=trajectory,
        goal=goal,
        sub_goal=kwargs.pop("sub_goal", ""),
        source=source,
        recorded_on=on,
        status=status,
        **kwargs,
    )


def test_goal_progress_lists_four_goals_and_sub_goals_even_without_statuses(world):
    StartAgreementFactory(trajectory=world.trajectory, sub_goals="Mentoruren\n\nLOB in PTA\n")
    tracks = selectors.goal_progress(world.trajectory)
    assert [t.goal for t in tracks] == [1, 2, 3, 4, None, None]
    assert [t.sub_goal for t in tracks][4:] == ["Mentoruren", "LOB in PTA"]
    assert tracks[0].label == str(Goal.VISION.label)
    assert all(t.points == [] for t in tracks)
    assert tracks[4].is_sub_goal and tracks[4].latest is None


def test_goal_progress_orders_points_by_date_and_keeps_content(world):
    trajectory = world.trajectory
    interim = HalfDayFactory(trajectory=trajectory, intervention_types=["interim"])
    _status(
        trajectory, 1, date(2026, 6, 1), "partly", GoalSource.INTERIM_EVALUATION, half_day=interim
    )
    _status(trajectory, 1, date(2026, 2, 1), "not_started")
    _status(trajectory, None, date(2026, 3, 1), "in_progress", sub_goal="Mentoruren")
    tracks = {(t.goal, t.sub_goal): t for t in selectors.goal_progress(trajectory)}
    vision = tracks[(1, "")]
    assert [(p.recorded_on, p.status) for p in vision.points] == [
        (date(2026, 2, 1), "not_started"),
        (date(2026, 6, 1), "partly"),
    ]
    assert vision.latest.status_label == str(GoalProgress.PARTLY.label)
    assert vision.points[0].level == 0 and vision.points[1].level == 2
    assert vision.points[0].source_label == str(GoalSource.START_AGREEMENT.label)
    assert vision.points[1].source == GoalSource.INTERIM_EVALUATION
    # A sub-goal no longer in the agreement still shows because it has a status.
    assert tracks[(None, "Mentoruren")].points[0].status == "in_progress"


def test_goal_progress_for_many_trajectories_costs_two_queries(world, django_assert_num_queries):
    for trajectory in (world.trajectory, world.other):
        StartAgreementFactory(trajectory=trajectory)
        for goal in (1, 2, 3, 4):
            _status(trajectory, goal, date(2026, 2, 1), "not_started")
    with django_assert_num_queries(2):
        result = selectors.goal_progress_for([world.trajectory, world.other])
    assert set(result) == {world.trajectory.pk, world.other.pk}
    assert all(len(track.points) == 1 for track in result[world.other.pk][:4])


def test_a_very_long_or_repeated_sub_goal_line_cannot_break_the_baseline(world):
    from trajectories import services

    long_line = "Elke mentor " + "x" * 400
    agreement = StartAgreementFactory(
        trajectory=world.trajectory, sub_goals=f"{long_line}\nLOB in PTA\nLOB in PTA"
    )
    assert services.goal_baseline_record(agreement=agreement) == 6
    tracks = selectors.goal_progress(world.trajectory)
    assert [len(t.points) for t in tracks] == [1, 1, 1, 1, 1, 1]
    assert len(tracks[4].sub_goal) == 300
