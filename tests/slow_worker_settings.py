"""Settings for the Celery worker that tests/test_resilience.py kills mid-task.

The project's settings plus: a module that slows report builds down at the
moment a finished temporary file is about to be moved into place, and a short
visibility timeout so a message whose worker died is handed out again within
seconds instead of an hour.
"""

from lobtraject.settings import *  # noqa: F403

CELERY_IMPORTS = ["tests.slow_worker"]
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 4,
    # Look for unacknowledged messages every second (default 10 s), and do not
    # let a restore lock of the killed worker hold for the default 5 minutes.
    "unacked_restore_interval": 1,
    "unacked_mutex_expire": 5,
}
