from celery import shared_task

from . import services


@shared_task(
    bind=True, autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5
)
def send_password_reset(self, user_id: int) -> bool:
    return services.password_reset_send(user_id=user_id)


@shared_task(name="accounts.tasks.prune_housekeeping", ignore_result=True)
def prune_housekeeping() -> dict:
    from .housekeeping import prune

    pruned = prune()
    return {"outbox": pruned.outbox, "login_records": pruned.login_records}
