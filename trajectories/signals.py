"""Keep `Trajectory.interviews_to_plan` current when a phase or a closing interview changes,
and the trajectories' copies of their study's and organisation's names when one is renamed.

Signals, not calls in each service: interviews are also created by the demo seeding,
deleted by withdrawals (through the erasure registry) and by cascades, and phases are
saved by tests and the admin. `QuerySet.update()` and `bulk_create` send no signals;
the code that uses them on these fields calls `interviews_to_plan_refresh` itself.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from .models import ClosingInterview, Organisation, Phase, Study, Trajectory
from .services.closing import interviews_to_plan_refresh


def _trajectory_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        return  # loaddata: the fixture holds the field
    if update_fields is not None and "phase" not in update_fields:
        return
    if created and instance.phase != Phase.CLOSING:
        return  # the default (False) is right
    interviews_to_plan_refresh(trajectory_ids=[instance.pk])


def _interview_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    interviews_to_plan_refresh(trajectory_ids=[instance.trajectory_id])


def _study_saved(sender, instance, created, raw=False, **kwargs):
    if raw or created:
        return  # a new study has no trajectories yet
    Trajectory.objects.filter(study=instance).exclude(study_name=instance.name).update(
        study_name=instance.name
    )


def _organisation_saved(sender, instance, created, raw=False, **kwargs):
    if raw or created:
        return
    Trajectory.objects.filter(organisation=instance).exclude(
        organisation_name=instance.name
    ).update(organisation_name=instance.name)


def connect() -> None:
    post_save.connect(_study_saved, sender=Study, dispatch_uid="trajectory_names_s")
    post_save.connect(_organisation_saved, sender=Organisation, dispatch_uid="trajectory_names_o")
    post_save.connect(_trajectory_saved, sender=Trajectory, dispatch_uid="interviews_to_plan_t")
    post_save.connect(
        _interview_changed, sender=ClosingInterview, dispatch_uid="interviews_to_plan_i"
    )
    post_delete.connect(
        _interview_changed, sender=ClosingInterview, dispatch_uid="interviews_to_plan_d"
    )
