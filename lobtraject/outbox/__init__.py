"""Transactional outbox: tasks are enqueued with the data that needs them.

`enqueue(task, *args, **kwargs)` is what services call instead of
`transaction.on_commit(lambda: task.delay(...))`:

- eager mode (no broker, `make run` and most tests): the task runs in-process
  on commit, as before;
- with a broker: an OutboxMessage row is written in the caller's transaction
  and sent on commit. When the broker is down the send fails quietly, the row
  stays pending and the relay sends it later, so the request does not fail and
  nothing is lost. Tasks are idempotent, so the rare double send (a relay that
  dies between sending and marking) does no harm.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

# One quick attempt per send: a request must not hang on a broker that is down.
SEND_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.1, "interval_max": 0.1}


def _app():
    from lobtraject.celery import app

    return app


def enqueue(task, *args, **kwargs):
    """Send `task(*args, **kwargs)` once the current transaction commits.

    `task` is a task or its registered name ("coding.tasks.build_export"):
    services name their tasks, so a services module need not import the tasks
    module that imports it. Returns the OutboxMessage (None in eager mode).
    Arguments must be JSON values (ids, not objects), as the house style asks
    of every task anyway.
    """
    name = task if isinstance(task, str) else task.name
    if _app().conf.task_always_eager:
        transaction.on_commit(lambda: _registered(name).delay(*args, **kwargs))
        return None
    from .models import OutboxMessage

    message = OutboxMessage.objects.create(task_name=name, args=list(args), kwargs=kwargs)
    transaction.on_commit(lambda: _send_and_catch_up(message.pk))
    return message


def _registered(name: str):
    """The task called `name`; a web process imports the apps' tasks modules on first use
    (a worker does so when it starts)."""
    app = _app()
    if name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[name]


def _send_and_catch_up(message_id) -> None:
    # A send that works means the broker is back: take what piled up along.
    if send(message_id):
        relay(limit=50)


def send(message_id) -> bool:
    """Hand one pending message to the broker; True when it was sent (now or earlier).

    The row is locked while it is sent (other senders skip it), so the relay
    and the on-commit send never both send it.
    """
    from .models import OutboxMessage

    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, sent_at__isnull=True)
            .first()
        )
        if message is None:
            return True
        try:
            _app().send_task(
                message.task_name,
                args=message.args,
                kwargs=message.kwargs,
                task_id=str(message.pk),
                # Nobody waits for these results, and subscribing to one would
                # make a send with Redis down hang on the result backend's retries.
                ignore_result=True,
                retry=True,
                retry_policy=SEND_RETRY_POLICY,
            )
        except Exception as error:  # noqa: BLE001 - any broker failure leaves the row pending
            logger.warning("outbox: broker refused %s (%s); the relay will retry", message, error)
            OutboxMessage.objects.filter(pk=message.pk).update(
                attempts=message.attempts + 1, last_error=str(error)[:2000]
            )
            return False
        OutboxMessage.objects.filter(pk=message.pk).update(
            sent_at=timezone.now(), attempts=message.attempts + 1, last_error=""
        )
        return True


def relay(*, limit: int = 500) -> int:
    """Send pending messages, oldest first; stop at the first broker failure.

    Returns how many were sent.
    """
    from .models import OutboxMessage

    if _app().conf.task_always_eager:
        return 0
    sent = 0
    pending = OutboxMessage.objects.filter(sent_at__isnull=True).order_by("created_at")
    for message_id in pending.values_list("pk", flat=True)[:limit]:
        if not send(message_id):
            break
        sent += 1
    return sent


def pending_count() -> int:
    from .models import OutboxMessage

    return OutboxMessage.objects.filter(sent_at__isnull=True).count()
