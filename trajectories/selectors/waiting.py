"""Open actions from trajectories: start agreements to sign, closing interviews to
plan or hold. A fixed number of queries, whatever the amount of data."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.actions import ActionSource, OpenAction
from accounts.models import NotificationKind

from .. import access
from ..models import (
    ClosingInterview,
    InterviewStatus,
    Membership,
    Phase,
    Role,
    Signature,
    StartAgreement,
    Trajectory,
)


def _member_of(user, roles):
    """The trajectories in which `user` holds one of `roles` (membership roles), as a
    subquery: a national programme's coach is in thousands."""
    return Membership.objects.filter(user=user, role__in=list(roles)).values("trajectory_id")


def _sign_action(agreement) -> OpenAction:
    return OpenAction(
        kind=NotificationKind.SIGN_AGREEMENT,
        key=f"sign_agreement:{agreement.pk}",
        title=_("Sign the start agreement"),
        where=agreement.trajectory.organisation.name,
        url=reverse("trajectories:agreement", args=[agreement.trajectory_id]),
    )


def agreements_to_sign_source(user) -> ActionSource:
    held = access.all_roles(user)
    condition = Q(pk__in=[])
    for party, roles in access.SIGNING_ROLES.items():
        if held & roles:
            condition |= Q(trajectory_id__in=_member_of(user, roles)) & ~Exists(
                Signature.objects.filter(agreement=OuterRef("pk"), party=party)
            )
    newer = StartAgreement.objects.filter(
        trajectory_id=OuterRef("trajectory_id"), version__gt=OuterRef("version")
    )
    agreements = (
        # The open ones first (stored, with a partial index): a national programme's coach
        # has thousands of agreements, nearly all signed.
        StartAgreement.objects.filter(fully_signed=False)
        .filter(condition)
        .exclude(Exists(newer))
        .exclude(trajectory__phase__in=[Phase.DECLINED, Phase.FINISHED])
        .select_related("trajectory__organisation")
        .order_by("trajectory__organisation__name", "pk")
    )
    return ActionSource(
        slug="ondertekenen",
        kind=NotificationKind.SIGN_AGREEMENT,
        label=_("Start agreements to sign"),
        queryset=agreements,
        to_action=_sign_action,
    )


def _hold_action(interview) -> OpenAction:
    return OpenAction(
        kind=NotificationKind.CLOSING_INTERVIEW,
        key=f"closing_interview_hold:{interview.pk}",
        title=_("Hold a closing interview"),
        where=interview.trajectory.organisation.name,
        url=reverse(
            "trajectories:closing_interview_guide",
            args=[interview.trajectory_id, interview.pk],
        ),
    )


def _plan_action(trajectory) -> OpenAction:
    return OpenAction(
        kind=NotificationKind.CLOSING_INTERVIEW,
        key=f"closing_interview_plan:{trajectory.pk}",
        title=_("Plan the closing interviews"),
        where=trajectory.organisation.name,
        url=reverse("trajectories:closing", args=[trajectory.pk]),
    )


def closing_interview_sources(user) -> list[ActionSource]:
    to_hold = (
        ClosingInterview.objects.filter(interviewer=user, status=InterviewStatus.PLANNED)
        .select_related("trajectory__organisation")
        .order_by("planned_at", "pk")
    )
    sources = [
        ActionSource(
            slug="eindgesprekken-houden",
            kind=NotificationKind.CLOSING_INTERVIEW,
            label=_("Closing interviews to hold"),
            queryset=to_hold,
            to_action=_hold_action,
        )
    ]
    if Role.COACH in access.all_roles(user):
        # In the closing phase without closing interviews, or with one not yet planned:
        # the stored flag (trajectories.signals), read from its partial index, so a coach
        # of a thousand closing trajectories does not have each of them checked.
        to_plan = (
            Trajectory.objects.filter(interviews_to_plan=True, pk__in=_member_of(user, {Role.COACH}))
            .select_related("organisation")
            .order_by("organisation__name", "pk")
        )
        sources.append(
            ActionSource(
                slug="eindgesprekken-plannen",
                kind=NotificationKind.CLOSING_INTERVIEW,
                label=_("Closing interviews to plan"),
                queryset=to_plan,
                to_action=_plan_action,
            )
        )
    return sources


def action_sources(user) -> list[ActionSource]:
    return [agreements_to_sign_source(user), *closing_interview_sources(user)]


def open_actions(user) -> list[OpenAction]:
    return [action for source in action_sources(user) for action in source.first()]
