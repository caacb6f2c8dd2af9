"""Setting up: an organisation registered at the first contact and its trajectory opened."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import access
from ..models import (
    HistoryEvent,
    HistoryKind,
    Location,
    Membership,
    Organisation,
    Phase,
    Role,
    Study,
    Trajectory,
)
from ..selectors import organisation_name_taken


def _locations_save(organisation: Organisation, locations) -> None:
    seen = set()
    for name, city in locations:
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        location = Location(organisation=organisation, name=name, city=city)
        location.full_clean()
        location.save()


@transaction.atomic
def trajectory_open(
    *,
    study: Study,
    name: str,
    sector: str,
    kind: str,
    short_name: str = "",
    locations=(),
    starts_on=None,
    ends_on=None,
    by,
) -> Trajectory:
    """Register the organisation and open its trajectory in phase 1 (recruitment).

    The team coach who does this becomes the trajectory's coach; an
    administrator adds the coach afterwards on the people page.
    """
    if not access.setup_studies(by).filter(pk=study.pk).exists():
        raise ValidationError({"study": _("You cannot open trajectories in this study.")})
    if organisation_name_taken(name):
        raise ValidationError({"name": _("An organisation with this name already exists.")})
    organisation = Organisation(name=name.strip(), short_name=short_name, sector=sector, kind=kind)
    organisation.full_clean()
    organisation.save()
    _locations_save(organisation, locations)
    trajectory = Trajectory(
        study=study,
        organisation=organisation,
        phase=Phase.RECRUITMENT,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    trajectory.full_clean()
    trajectory.save()
    HistoryEvent.objects.create(trajectory=trajectory, kind=HistoryKind.CREATED, by=by)
    if not by.is_staff or study.memberships.filter(user=by, role=Role.COACH).exists():
        Membership.objects.create(trajectory=trajectory, user=by, role=Role.COACH)
        HistoryEvent.objects.create(
            trajectory=trajectory, kind=HistoryKind.PERSON_ADDED, by=by, person=by, role=Role.COACH
        )
        access.forget(by)
    return trajectory


@transaction.atomic
def organisation_update(
    *,
    trajectory: Trajectory,
    name: str,
    sector: str,
    kind: str,
    short_name: str = "",
    new_locations=(),
    by=None,
) -> Organisation:
    """Change an organisation's details and add locations; written to the history."""
    organisation = trajectory.organisation
    if organisation_name_taken(name, exclude_pk=organisation.pk):
        raise ValidationError({"name": _("An organisation with this name already exists.")})
    organisation.name = name.strip()
    organisation.short_name = short_name
    organisation.sector = sector
    organisation.kind = kind
    organisation.full_clean()
    organisation.save()
    existing = {name.lower() for name in organisation.locations.values_list("name", flat=True)}
    _locations_save(organisation, [loc for loc in new_locations if loc[0].lower() not in existing])
    HistoryEvent.objects.create(trajectory=trajectory, kind=HistoryKind.ORGANISATION_CHANGED, by=by)
    return organisation
