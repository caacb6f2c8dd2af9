"""The cross-case synthesis: each organisation a column with its factors, goals,
interventions and codes; a fixed number of queries."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coding import services
from tests.factories import HalfDayFactory, UserFactory
from tests.trajectories.factories import DecisionFactory
from trajectories.models import (
    ClosingInterview,
    DecisionFactor,
    FactorCategory,
    FactorOption,
    GoalProgress,
    GoalSource,
    GoalStatus,
    InterviewStatus,
)

from .factories import FragmentFactory


def _material(world, trajectory, *, helping, hindering, goal_status, interventions, code):
    decision = DecisionFactory(trajectory=trajectory)
    DecisionFactor.objects.create(
        decision=decision,
        category=FactorCategory.MANAGEMENT,
        is_helping=True,
        option=FactorOption.objects.get_or_create(name=helping)[0],
    )
    DecisionFactor.objects.create(
        decision=decision, category=FactorCategory.CHAMPION, is_helping=False, free_text=hindering
    )
    GoalStatus.objects.create(
        trajectory=trajectory,
        goal=1,
        source=GoalSource.START_AGREEMENT,
        recorded_on=date(2026, 2, 1),
        status=GoalProgress.NOT_STARTED,
    )
    interview = ClosingInterview.objects.create(
        trajectory=trajectory,
        interviewee=UserFactory(),
        interviewee_role="champion",
        interviewer=world.independent,
        status=InterviewStatus.HELD,
    )
    GoalStatus.objects.create(
        trajectory=trajectory,
        goal=1,
        interview=interview,
        source=GoalSource.CLOSING_INTERVIEW,
        recorded_on=date(2026, 11, 1),
        status=goal_status,
    )
    # A later interim status does not overrule what the closing interview said.
    GoalStatus.objects.create(
        trajectory=trajectory,
        goal=1,
        half_day=HalfDayFactory(trajectory=trajectory),
        source=GoalSource.INTERIM_EVALUATION,
        recorded_on=date(2026, 12, 1),
        status=GoalProgress.IN_PROGRESS,
    )
    for types in interventions:
        HalfDayFactory(trajectory=trajectory, intervention_types=types)
    fragment = FragmentFactory(trajectory=trajectory)
    services.coding_add(fragment=fragment, user=world.researcher, start=0, end=10, new_names=[code])


def test_each_organisation_is_a_column_with_its_results(world, client_for):
    _material(
        world,
        world.trajectory,
        helping="Betrokken directeur",
        hindering="Te weinig uren",
        goal_status=GoalProgress.REACHED,
        interventions=[["training"], ["training", "presentation"]],
        code="visie",
    )
    _material(
        world,
        world.other,
        helping="Steun van het MT",
        hindering="Wisseling van baan",
        goal_status=GoalProgress.PARTLY,
        interventions=[["sparring"]],
        code="tijd",
    )
    client = client_for(world.independent)
    response = client.get(reverse("coding:synthesis", args=[world.study.pk]))
    assert response.status_code == 200
    context = response.context
    assert [case.organisation.name for case in context["cases"]] == [
        "Het Baken College",
        "ROC De Delta",
    ]
    factors = {(row["category"], row["helping"]): row["cells"] for row in context["factors"]}
    assert factors[("management", True)] == [["Betrokken directeur"], ["Steun van het MT"]]
    assert factors[("aanjager", False)] == [["Te weinig uren"], ["Wisseling van baan"]]
    vision = context["goals"][0]["cells"]
    assert [cell["status"] for cell in vision] == ["reached", "partly"]
    assert all(cell["from_interview"] for cell in vision)
    assert context["goals"][1]["cells"] == [None, None]
    interventions = {row["type"]: row["cells"] for row in context["interventions"]}
    assert interventions["training voor (een deel van) een team"] == [2, 0]
    assert interventions["sparren met aanjagers over vervolgstappen"] == [0, 1]
    assert {row["name"]: row["cells"] for row in context["codes"]} == {
        "tijd": [0, 1],
        "visie": [1, 0],
    }
    html = response.content.decode()
    assert "Betrokken directeur" in html and "bereikt" in html


def test_synthesis_costs_the_same_queries_for_more_material(world, client_for):
    client = client_for(world.researcher)
    url = reverse("coding:synthesis", args=[world.study.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    _material(
        world,
        world.trajectory,
        helping="Betrokken directeur",
        hindering="Weinig tijd",
        goal_status=GoalProgress.REACHED,
        interventions=[["training"]],
        code="visie",
    )
    few = count()
    _material(
        world,
        world.other,
        helping="Steun",
        hindering="Ziekte",
        goal_status=GoalProgress.PARTLY,
        interventions=[["sparring"]] * 5,
        code="tijd",
    )
    for number in range(8):
        fragment = FragmentFactory(trajectory=world.other)
        services.coding_add(
            fragment=fragment, user=world.researcher, start=0, end=5, new_names=[f"code {number}"]
        )
    assert count() == few
