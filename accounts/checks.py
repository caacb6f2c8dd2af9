"""System checks for what the login lockout and the rate limits rely on."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

IN_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache": "keeps its counters per process",
    "django.core.cache.backends.dummy.DummyCache": "keeps no counters",
    "django.core.cache.backends.filebased.FileBasedCache": "does not increment atomically",
    "django.core.cache.backends.db.DatabaseCache": "does not increment atomically",
}


@checks.register(checks.Tags.caches, checks.Tags.security, deploy=True)
def rate_limit_cache_is_shared(app_configs, **kwargs):
    """In production the rate-limit counters must live in a cache every process shares."""
    backend = settings.CACHES[settings.RATELIMIT_USE_CACHE]["BACKEND"]
    reason = IN_PROCESS_CACHES.get(backend)
    if reason is None:
        return []
    return [
        checks.Warning(
            f"The cache {backend} {reason}, so rate limits and the per-address login limit "
            "do not hold across server processes.",
            hint="Set CACHE_URL=redis://… (docker-compose.yml does).",
            id="lobtraject.W001",
        )
    ]
