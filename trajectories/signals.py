"""Keep `Trajectory.interviews_to_plan` current when a phase or a closing interview changes,
the trajectories' copies of their study's and organisation's names when one is renamed,
and `StudyMembership.independent` when a coach's or researcher's membership, a trajectory
or a research team changes.

Signals, not calls in each service: interviews are also created by the demo seeding,
deleted by withdrawals (through the erasure registry) and by cascades, and phases are
saved by tests and the admin. `QuerySet.update()` and `bulk_create` send no signals;
the code that uses them on these fields calls `interviews_to_plan_refresh` (and for
memberships and trajectories `independence_refresh`) itself.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save

from .models import (
    ClosingInterview,
    Membership,
    Organisation,
    Phase,
    Signature,
    StartAgreement,
    Study,
    StudyMembership,
    StudyRole,
    Trajectory,
)
from .services.agreement import agreements_signed_refresh, is_fully_signed
from .services.closing import interviews_to_plan_refresh
from .services.independence import PARTICIPATING, independence_refresh, is_independent_somewhere


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


def _trajectory_placed(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """A new trajectory has nobody in it yet: the study's whole research team is its
    independent researchers. A trajectory moved to another study: both studies' teams."""
    if raw:
        return
    if created:
        StudyMembership.objects.filter(
            study_id=instance.study_id, role=StudyRole.RESEARCHER, independent=False
        ).update(independent=True)
    else:
        loaded = getattr(instance, "_loaded_study_id", None)
        if loaded is not None and loaded != instance.study_id:
            independence_refresh(study_ids=[loaded, instance.study_id])
    instance._loaded_study_id = instance.study_id


def _trajectory_deleted(sender, instance, **kwargs):
    independence_refresh(study_ids=[instance.study_id])


def _participation_changed(membership) -> None:
    """That person's independence in the membership's study."""
    independence_refresh(
        user_ids=[membership.user_id],
        study_ids=Trajectory.objects.filter(pk=membership.trajectory_id).values("study_id"),
    )


def _membership_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """A coach's or researcher's membership added or changed; another role's only when the
    save may have changed its role (from coach or researcher)."""
    if raw:
        return
    role_may_have_changed = not created and (update_fields is None or "role" in update_fields)
    if instance.role in PARTICIPATING or role_may_have_changed:
        _participation_changed(instance)


def _membership_deleted(sender, instance, **kwargs):
    """A coach's or researcher's membership removed (also by a cascade)."""
    if instance.role in PARTICIPATING:
        _participation_changed(instance)


def _study_membership_saving(sender, instance, raw=False, **kwargs):
    """Every save of a research team's membership writes what is true of it then (so an
    instance held from before a change cannot write an old answer back)."""
    if raw:
        return
    instance.independent = instance.role == StudyRole.RESEARCHER and is_independent_somewhere(
        instance.user_id, instance.study_id
    )


def _signature_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    agreements_signed_refresh(agreement_ids=[instance.agreement_id])


def _agreement_saving(sender, instance, raw=False, **kwargs):
    """A saved agreement writes whether it is signed by all as it is then (a new one has
    no signatures), so an instance held from before a signature cannot undo it."""
    if raw:
        return
    instance.fully_signed = instance.pk is not None and is_fully_signed(instance.pk)


def connect() -> None:
    post_save.connect(_signature_changed, sender=Signature, dispatch_uid="fully_signed_s")
    post_delete.connect(_signature_changed, sender=Signature, dispatch_uid="fully_signed_sd")
    pre_save.connect(_agreement_saving, sender=StartAgreement, dispatch_uid="fully_signed_a")
    post_save.connect(_trajectory_placed, sender=Trajectory, dispatch_uid="independent_t")
    post_delete.connect(_trajectory_deleted, sender=Trajectory, dispatch_uid="independent_td")
    post_save.connect(_membership_saved, sender=Membership, dispatch_uid="independent_m")
    post_delete.connect(_membership_deleted, sender=Membership, dispatch_uid="independent_md")
    pre_save.connect(
        _study_membership_saving, sender=StudyMembership, dispatch_uid="independent_s"
    )
    post_save.connect(_study_saved, sender=Study, dispatch_uid="trajectory_names_s")
    post_save.connect(_organisation_saved, sender=Organisation, dispatch_uid="trajectory_names_o")
    post_save.connect(_trajectory_saved, sender=Trajectory, dispatch_uid="interviews_to_plan_t")
    post_save.connect(
        _interview_changed, sender=ClosingInterview, dispatch_uid="interviews_to_plan_i"
    )
    post_delete.connect(
        _interview_changed, sender=ClosingInterview, dispatch_uid="interviews_to_plan_d"
    )
