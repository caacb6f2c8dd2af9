"""Thin Celery tasks: ids in, a service does the work."""

from celery import shared_task

from . import services


@shared_task(
    name="trajectories.tasks.send_person_invitation",
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def send_person_invitation(
    user_id: int,
    role: str,
    trajectory_id: int | None = None,
    study_id: int | None = None,
    by_id: int | None = None,
) -> str:
    return services.invitation_deliver(
        user_id=user_id, role=role, trajectory_id=trajectory_id, study_id=study_id, by_id=by_id
    )
