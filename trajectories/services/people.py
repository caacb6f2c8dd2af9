"""Who takes part in a trajectory or a study: adding, removing, adding again, inviting.

Removing someone ends their role, not their research data: what they wrote or
said stays, under the consent they gave (withdrawing that is a research action,
see research.services). Every change is written to the trajectory's history.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.tokens import set_password_url
from lobtraject import outbox

from .. import access
from ..models import (
    HistoryEvent,
    HistoryKind,
    Membership,
    Role,
    Study,
    StudyMembership,
    StudyRole,
    Trajectory,
)

INVITATION_TASK = "trajectories.tasks.send_person_invitation"


def _account(*, email: str, first_name: str, last_name: str, infix: str = ""):
    """The account with this address, created (without a password) when there is none."""
    User = get_user_model()
    email = User.objects.normalize_email(email.strip()).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, first_name=first_name, infix=infix, last_name=last_name)
        user.set_unusable_password()
        user.full_clean()
        user.save()
    return user


def _check_allowed(by, trajectory: Trajectory, role: str) -> None:
    if by is not None and role not in access.addable_roles(by, trajectory):
        raise ValidationError(_("You cannot add or remove people in this role."))


def _role_label(role: str) -> str:
    return Role(role).label if role in Role.values else role


@transaction.atomic
def person_assign(
    *,
    trajectory: Trajectory,
    role: str,
    email: str,
    first_name: str,
    last_name: str,
    infix: str = "",
    is_alumnus: bool = False,
    by=None,
) -> Membership:
    """Give someone `role` in `trajectory`, creating the account if needed, and invite them.

    A new account gets an invitation e-mail with a set-password link; someone
    who already logs in gets a short notice instead (both from a task).
    """
    if role not in Role.values:
        raise ValidationError(_("Choose a role."))
    _check_allowed(by, trajectory, role)
    user = _account(email=email, first_name=first_name, last_name=last_name, infix=infix)
    return _membership_add(
        trajectory=trajectory, user=user, role=role, is_alumnus=is_alumnus, by=by
    )


def _membership_add(*, trajectory, user, role, is_alumnus=False, by=None) -> Membership:
    if Membership.objects.filter(trajectory=trajectory, user=user, role=role).exists():
        raise ValidationError(
            _("%(name)s is already %(role)s in this trajectory.")
            % {"name": user.get_full_name() or user.email, "role": _role_label(role)}
        )
    membership = Membership(trajectory=trajectory, user=user, role=role, is_alumnus=is_alumnus)
    membership.full_clean()
    membership.save()
    if role == Role.COACH:
        # The team coach of a trajectory is in its study's team: that is where
        # they open the study's next trajectories.
        StudyMembership.objects.get_or_create(
            study_id=trajectory.study_id, user=user, role=StudyRole.COACH
        )
    was_removed = HistoryEvent.objects.filter(
        trajectory=trajectory, person=user, role=role, kind=HistoryKind.PERSON_REMOVED
    ).exists()
    HistoryEvent.objects.create(
        trajectory=trajectory,
        kind=HistoryKind.PERSON_READDED if was_removed else HistoryKind.PERSON_ADDED,
        by=by,
        person=user,
        role=role,
    )
    outbox.enqueue(
        INVITATION_TASK, user.pk, role, trajectory_id=trajectory.pk, by_id=by.pk if by else None
    )
    access.forget(user)
    return membership


@transaction.atomic
def person_readd(*, trajectory: Trajectory, user_id: int, role: str, by=None) -> Membership:
    """Give a removed person their role back (only someone removed from this trajectory)."""
    _check_allowed(by, trajectory, role)
    removed = (
        HistoryEvent.objects.filter(
            trajectory=trajectory, person_id=user_id, role=role, kind=HistoryKind.PERSON_REMOVED
        )
        .select_related("person")
        .first()
    )
    if removed is None or removed.person is None:
        raise ValidationError(_("This person was not removed from this trajectory."))
    return _membership_add(trajectory=trajectory, user=removed.person, role=role, by=by)


@transaction.atomic
def person_remove(*, membership: Membership, by=None) -> None:
    """End someone's role in a trajectory; their data and consent stay as they are."""
    trajectory = membership.trajectory
    _check_allowed(by, trajectory, membership.role)
    if by is not None and membership.user_id == by.pk:
        raise ValidationError(_("You cannot remove yourself from a trajectory."))
    HistoryEvent.objects.create(
        trajectory=trajectory,
        kind=HistoryKind.PERSON_REMOVED,
        by=by,
        person_id=membership.user_id,
        role=membership.role,
    )
    user = membership.user
    membership.delete()
    access.forget(user)


@transaction.atomic
def invitation_resend(*, membership: Membership, by=None) -> None:
    """Send the invitation (or notice) again, with a fresh set-password link."""
    _check_allowed(by, membership.trajectory, membership.role)
    outbox.enqueue(
        INVITATION_TASK,
        membership.user_id,
        membership.role,
        trajectory_id=membership.trajectory_id,
        by_id=by.pk if by else None,
    )


# --- studies ------------------------------------------------------------------


@transaction.atomic
def study_create(*, name: str, description: str = "", starts_on=None, ends_on=None) -> Study:
    if Study.objects.filter(name__iexact=name.strip()).exists():
        raise ValidationError({"name": _("A study with this name already exists.")})
    study = Study(name=name.strip(), description=description, starts_on=starts_on, ends_on=ends_on)
    study.full_clean()
    study.save()
    return study


@transaction.atomic
def study_member_add(
    *,
    study: Study,
    role: str,
    email: str,
    first_name: str,
    last_name: str,
    infix: str = "",
    by=None,
) -> StudyMembership:
    """Put someone in a study's research team (researcher or team coach) and invite them."""
    if role not in StudyRole.values:
        raise ValidationError(_("Choose a role."))
    user = _account(email=email, first_name=first_name, last_name=last_name, infix=infix)
    if StudyMembership.objects.filter(study=study, user=user, role=role).exists():
        raise ValidationError(_("This person is already in the team in this role."))
    member = StudyMembership(study=study, user=user, role=role)
    member.full_clean()
    member.save()
    outbox.enqueue(INVITATION_TASK, user.pk, role, study_id=study.pk, by_id=by.pk if by else None)
    access.forget(user)
    return member


@transaction.atomic
def study_member_remove(*, member: StudyMembership) -> None:
    member.delete()


# --- the e-mail (runs in the worker) ------------------------------------------


def invitation_deliver(
    *,
    user_id: int,
    role: str,
    trajectory_id: int | None = None,
    study_id: int | None = None,
    by_id: int | None = None,
) -> str:
    """E-mail an invitation (no password yet) or a notice (already logs in).

    Returns "invitation", "notice" or "" (the account or the role is gone, for
    instance removed again before the worker got to it).
    """
    User = get_user_model()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return ""
    trajectory = None
    if trajectory_id is not None:
        trajectory = (
            Trajectory.objects.select_related("organisation", "study")
            .filter(pk=trajectory_id, memberships__user=user, memberships__role=role)
            .first()
        )
        if trajectory is None:
            return ""
        where = trajectory.organisation.name
    else:
        study = Study.objects.filter(
            pk=study_id, memberships__user=user, memberships__role=role
        ).first()
        if study is None:
            return ""
        where = study.name
    inviter = User.objects.filter(pk=by_id).first() if by_id else None
    is_new = not user.has_usable_password()
    with translation.override(settings.LANGUAGE_CODE):
        role_label = Role(role).label if role in Role.values else StudyRole(role).label
        context = {
            "user": user,
            "role": role_label,
            "where": where,
            "is_trajectory": trajectory is not None,
            "inviter": inviter.get_full_name() if inviter else "",
            "login_url": settings.SITE_URL.rstrip("/") + reverse("login"),
        }
        if is_new:
            context["set_password_url"] = set_password_url(user)
            context["valid_until"] = timezone.localtime(
                timezone.now() + timedelta(seconds=settings.INVITATION_TIMEOUT)
            )
            template = "trajectories/email/invitation"
        else:
            template = "trajectories/email/notice"
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    send_mail(subject, body, None, [user.email])
    if trajectory is not None:
        HistoryEvent.objects.create(
            trajectory=trajectory,
            kind=HistoryKind.INVITATION_SENT if is_new else HistoryKind.NOTICE_SENT,
            by=inviter,
            person=user,
            role=role,
        )
    return "invitation" if is_new else "notice"
