"""Who takes part in a trajectory."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import access
from ..models import (
    Membership,
    Role,
    Trajectory,
)


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
):
    """Make someone champion or buddy of `trajectory`, creating the account if needed."""
    if role not in (Role.CHAMPION, Role.BUDDY):
        raise ValidationError(_("Only champions and buddies can be added here."))
    User = get_user_model()
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, first_name=first_name, infix=infix, last_name=last_name
        )
    membership, created = Membership.objects.get_or_create(
        trajectory=trajectory, user=user, role=role, defaults={"is_alumnus": is_alumnus}
    )
    if not created and membership.is_alumnus != is_alumnus:
        membership.is_alumnus = is_alumnus
        membership.save(update_fields=["is_alumnus"])
    access.forget(user)
    return membership
