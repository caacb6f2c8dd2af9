"""Periodic tasks of the outbox, collected by lobtraject/celery.py."""

BEAT_SCHEDULE = {
    "relay-outbox": {
        "task": "lobtraject.outbox.relay_outbox",
        # Often enough that work queued while the broker was down starts soon after it returns.
        "schedule": 60.0,
    },
}
