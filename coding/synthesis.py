"""The cross-case synthesis of a study (seed 003 §3): each organisation a
column, as in a multiple case study, with the study's own results in rows:
the phase-1 decision factors per category (helping or hindering), the goals
reached according to the closing interviews, the intervention types of the
half-days, and the codes given to each case's material.

Six queries whatever the number of cases, factors, goals or codings.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import Count

from trajectories.goals import GOAL_SHORT_LABELS, Goal
from trajectories.models import (
    DecisionFactor,
    FactorCategory,
    GoalProgress,
    GoalSource,
    GoalStatus,
    HalfDay,
    InterventionType,
    Trajectory,
)

from .models import Code, Coding


def cross_case(*, study, trajectory_ids) -> dict:
    cases = list(
        Trajectory.objects.filter(pk__in=trajectory_ids, study=study)
        .select_related("organisation", "decision")
        .order_by("organisation__name", "pk")
    )
    ids = [case.pk for case in cases]

    factors = defaultdict(list)  # (category, helping, trajectory) -> labels
    for trajectory_id, category, helping, option, free_text in DecisionFactor.objects.filter(
        decision__trajectory_id__in=ids
    ).values_list("decision__trajectory_id", "category", "is_helping", "option__name", "free_text"):
        factors[(category, helping, trajectory_id)].append(option or free_text)
    factor_rows = []
    for category in FactorCategory:
        for helping in (True, False):
            cells = [sorted(factors.get((category.value, helping, pk), [])) for pk in ids]
            if any(cells):
                factor_rows.append({"category": category.label, "helping": helping, "cells": cells})

    # The goal status a closing interview gave wins; otherwise the latest one.
    goals: dict[tuple[int, int], tuple] = {}
    for trajectory_id, goal, source, status in (
        GoalStatus.objects.filter(trajectory_id__in=ids, goal__isnull=False)
        .order_by("recorded_on", "pk")
        .values_list("trajectory_id", "goal", "source", "status")
    ):
        key = (trajectory_id, goal)
        closing = source == GoalSource.CLOSING_INTERVIEW
        if closing or not goals.get(key, (None, False))[1]:
            goals[key] = (status, closing)
    labels = dict(GoalProgress.choices)
    goal_rows = [
        {
            "goal": GOAL_SHORT_LABELS.get(goal, goal.label),
            "cells": [
                {
                    "status": goals[(pk, goal.value)][0],
                    "label": labels[goals[(pk, goal.value)][0]],
                    "from_interview": goals[(pk, goal.value)][1],
                }
                if (pk, goal.value) in goals
                else None
                for pk in ids
            ],
        }
        for goal in Goal
    ]

    interventions = defaultdict(Counter)
    for trajectory_id, types in HalfDay.objects.filter(trajectory_id__in=ids).values_list(
        "trajectory_id", "intervention_types"
    ):
        interventions[trajectory_id].update(types or [])
    intervention_rows = [
        {"type": kind.label, "cells": [interventions[pk][kind.value] for pk in ids]}
        for kind in InterventionType
        if any(interventions[pk][kind.value] for pk in ids)
    ]

    counts = {
        (row["code_id"], row["fragment__trajectory_id"]): row["n"]
        for row in Coding.objects.filter(fragment__trajectory_id__in=ids)
        .values("code_id", "fragment__trajectory_id")
        .annotate(n=Count("id"))
    }
    code_rows = [
        {"id": pk, "name": name, "cells": [counts.get((pk, case), 0) for case in ids]}
        for pk, name in Code.objects.filter(study=study).order_by("name").values_list("id", "name")
        if any(counts.get((pk, case), 0) for case in ids)
    ]
    return {
        "cases": cases,
        "factors": factor_rows,
        "goals": goal_rows,
        "interventions": intervention_rows,
        "codes": code_rows,
    }
