"""Open actions from trajectories: start agreements to sign, closing interviews to
plan or hold. A fixed number of queries, whatever the amount of data."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.actions import PER_KIND, OpenAction
from accounts.models import NotificationKind

from .. import access
from ..models import (
    ClosingInterview,
    InterviewStatus,
    Phase,
    Role,
    Signature,
    StartAgreement,
    Trajectory,
)


def agreements_to_sign(user) -> list[OpenAction]:
    condition = Q(pk__in=[])
    for party, roles in access.SIGNING_ROLES.items():
        ids = access.trajectory_ids_with(user, roles)
        if ids:
            condition |= Q(trajectory_id__in=ids) & ~Exists(
                Signature.objects.filter(agreement=OuterRef("pk"), party=party)
            )
    newer = StartAgreement.objects.filter(
        trajectory_id=OuterRef("trajectory_id"), version__gt=OuterRef("version")
    )
    agreements = (
        StartAgreement.objects.filter(condition)
        .exclude(Exists(newer))
        .exclude(trajectory__phase__in=[Phase.DECLINED, Phase.FINISHED])
        .select_related("trajectory__organisation")
        .order_by("trajectory__organisation__name")[:PER_KIND]
    )
    return [
        OpenAction(
            kind=NotificationKind.SIGN_AGREEMENT,
            key=f"sign_agreement:{agreement.pk}",
            title=_("Sign the start agreement"),
            where=agreement.trajectory.organisation.name,
            url=reverse("trajectories:agreement", args=[agreement.trajectory_id]),
        )
        for agreement in agreements
    ]


def closing_interviews_waiting(user) -> list[OpenAction]:
    actions = []
    to_hold = (
        ClosingInterview.objects.filter(interviewer=user, status=InterviewStatus.PLANNED)
        .select_related("trajectory__organisation")
        .order_by("planned_at", "pk")[:PER_KIND]
    )
    for interview in to_hold:
        actions.append(
            OpenAction(
                kind=NotificationKind.CLOSING_INTERVIEW,
                key=f"closing_interview_hold:{interview.pk}",
                title=_("Hold a closing interview"),
                where=interview.trajectory.organisation.name,
                url=reverse(
                    "trajectories:closing_interview_guide",
                    args=[interview.trajectory_id, interview.pk],
                ),
            )
        )
    coached = access.trajectory_ids_with(user, {Role.COACH})
    if coached:
        to_plan = (
            Trajectory.objects.filter(pk__in=coached, phase=Phase.CLOSING)
            .annotate(
                interviews=Count("closing_interviews"),
                unplanned=Count(
                    "closing_interviews",
                    filter=Q(
                        closing_interviews__status=InterviewStatus.PLANNED,
                        closing_interviews__planned_at__isnull=True,
                    ),
                ),
            )
            .filter(Q(interviews=0) | Q(unplanned__gt=0))
            .select_related("organisation")
            .order_by("organisation__name")[:PER_KIND]
        )
        for trajectory in to_plan:
            actions.append(
                OpenAction(
                    kind=NotificationKind.CLOSING_INTERVIEW,
                    key=f"closing_interview_plan:{trajectory.pk}",
                    title=_("Plan the closing interviews"),
                    where=trajectory.organisation.name,
                    url=reverse("trajectories:closing", args=[trajectory.pk]),
                )
            )
    return actions


def open_actions(user) -> list[OpenAction]:
    return agreements_to_sign(user) + closing_interviews_waiting(user)
