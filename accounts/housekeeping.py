"""Housekeeping with a retention policy: rows that only served a moment go.

- Outbox rows whose task the broker accepted (`sent_at` set) are kept
  settings.OUTBOX_SENT_RETENTION (default 14 days, for tracing a mail that did
  not arrive), then deleted. Rows not yet sent are never deleted here.
- django-axes' login records (failed attempts, lockout counters, the access
  log with e-mail address, IP address and browser) are kept
  settings.LOGIN_RECORD_RETENTION (default 30 days), then deleted. A lock
  lasts AXES_COOLOFF_TIME (15 minutes), far shorter.

Run daily by Celery beat (accounts/schedule.py, task
"accounts.tasks.prune_housekeeping") and by hand with
`manage.py prune_housekeeping`; both call `prune`.
"""

from __future__ import annotations

from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lobtraject.outbox.models import OutboxMessage


@dataclass(frozen=True)
class Pruned:
    outbox: int
    login_records: int


@transaction.atomic
def prune(*, now=None) -> Pruned:
    now = now or timezone.now()
    outbox, _by_model = OutboxMessage.objects.filter(
        sent_at__isnull=False, sent_at__lt=now - settings.OUTBOX_SENT_RETENTION
    ).delete()
    cutoff = now - settings.LOGIN_RECORD_RETENTION
    login_records = 0
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        deleted, _by_model = model.objects.filter(attempt_time__lt=cutoff).delete()
        login_records += deleted
    return Pruned(outbox=outbox, login_records=login_records)
