from celery import shared_task

from . import services


@shared_task(bind=True, autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_password_reset(self, user_id: int) -> bool:
    return services.password_reset_send(user_id=user_id)
