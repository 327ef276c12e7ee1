"""config.cache: Django's Redis cache with one client per connection pool."""

from django.core.cache import caches


def test_redis_cache_reuses_one_client_per_pool(settings):
    """One redis.Redis per connection pool, not one per call (nothing is sent: no server needed)."""
    settings.CACHES = {"default": {"BACKEND": "config.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    client = caches["default"]._cache

    assert client.get_client("a") is client.get_client("b", write=True)
