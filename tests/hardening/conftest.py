import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_rate_limit_counters():
    """Rate-limit counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def redis_cache(redis_server, settings):
    """The default cache on the throwaway Redis, as in production (CACHE_URL=redis://…)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"{redis_server.url.rsplit('/', 1)[0]}/5",
        }
    }
    from django.core.cache import cache as redis_backed

    redis_backed.clear()
    yield redis_backed
    redis_backed.clear()
