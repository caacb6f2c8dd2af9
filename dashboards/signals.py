"""Mark a trajectory's overview row stale whenever one of its inputs is saved or deleted.

The inputs are listed in `dashboards.services` (with why). Receivers, not calls in every
service: the services that write these rows live in lower layers (trajectories, logbooks,
dialogues), which must not import the dashboards."""

from django.db.models.signals import post_delete, post_save

from dialogues.models import DialogueSession, HarvestReport
from logbooks.models import Entry
from trajectories.models import (
    BudgetExtension,
    ClosingInterview,
    HalfDay,
    HourEntry,
    Membership,
    Organisation,
    Signature,
    StartAgreement,
    Trajectory,
)

from . import services
from .models import OverviewRow


def _of_trajectory(instance):
    return instance.trajectory_id


def _of_signature(instance):
    return (
        StartAgreement.objects.filter(pk=instance.agreement_id)
        .values_list("trajectory_id", flat=True)
        .first()
    )


def _of_report(instance):
    return (
        DialogueSession.objects.filter(pk=instance.session_id)
        .values_list("trajectory_id", flat=True)
        .first()
    )


INPUTS = {
    HourEntry: _of_trajectory,
    BudgetExtension: _of_trajectory,
    StartAgreement: _of_trajectory,
    Signature: _of_signature,
    HalfDay: _of_trajectory,
    Entry: _of_trajectory,
    Membership: _of_trajectory,
    DialogueSession: _of_trajectory,
    HarvestReport: _of_report,
    ClosingInterview: _of_trajectory,
}


def _changed(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata
        return
    services.mark_stale([INPUTS[sender](instance)])


def _trajectory_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        OverviewRow.objects.get_or_create(
            trajectory=instance,
            defaults={"valid_until": services.STALE, "refreshed_at": services.STALE},
        )
    else:
        services.mark_stale([instance.pk])


def _organisation_saved(sender, instance, created, raw=False, **kwargs):
    # Its name orders ties and is stored in lower case in the rows of its trajectories.
    if not (raw or created):
        services.mark_stale(instance.trajectories.values_list("pk", flat=True))


def connect() -> None:
    for model in INPUTS:
        post_save.connect(_changed, sender=model, dispatch_uid=f"overview-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"overview-d-{model.__name__}")
    post_save.connect(_trajectory_saved, sender=Trajectory, dispatch_uid="overview-trajectory")
    post_save.connect(
        _organisation_saved, sender=Organisation, dispatch_uid="overview-organisation"
    )
