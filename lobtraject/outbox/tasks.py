"""The relay as a periodic task, and a relay when a worker starts."""

import logging

from celery.signals import worker_ready

from lobtraject.celery import app

logger = logging.getLogger(__name__)


@app.task(name="lobtraject.outbox.relay_outbox", ignore_result=True)
def relay_outbox() -> int:
    from . import relay

    return relay()


@worker_ready.connect
def _relay_on_worker_start(sender=None, **kwargs):
    # A worker that (re)starts after an outage sends what piled up meanwhile.
    from . import relay

    try:
        sent = relay()
    except Exception:  # noqa: BLE001 - the beat relay tries again later
        logger.exception("outbox: relay on worker start failed")
        return
    if sent:
        logger.info("outbox: relayed %s pending messages on worker start", sent)
