"""Logging filters (settings.LOGGING)."""

import logging


class ForbiddenOnOneLine(logging.Filter):
    """A refused request (403) is logged as its one message line, without traceback.

    Django logs PermissionDenied on `django.request` with the exception attached;
    a 403 is the access rules working, not a fault, and a traceback per refusal
    buries the real errors.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403 and record.exc_info:
            record.exc_info = None
            record.exc_text = None
        return True
