"""Failed-login counters kept in the cache, one per account and one per client IP address.

A counter's window opens at its first failure and lasts LOGIN_THROTTLE_WINDOW_SECONDS. Once a counter
reaches LOGIN_THROTTLE_ATTEMPTS, attempts are refused until its window closes. Refused attempts are not
counted, so the wait never grows. Keys are hashed: e-mail addresses and IPv6 addresses may hold
characters that some cache backends refuse in keys, and hashes keep addresses out of the cache.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache

_PREFIX = "accounts:login-failures"


def _key(scope: str, value: str) -> str:
    return f"{_PREFIX}:{scope}:{hashlib.sha256(value.encode()).hexdigest()}"


def _account_key(email: str) -> str:
    return _key("account", email.strip().lower())


def _keys(*, email: str, ip: str | None) -> list[str]:
    keys = [_account_key(email)]
    if ip:
        keys.append(_key("ip", ip))
    return keys


def throttle_check(*, email: str, ip: str | None) -> int:
    """Seconds to wait before another attempt for this account or from this IP; 0 when allowed now."""
    keys = _keys(email=email, ip=ip)
    values = cache.get_many([name for key in keys for name in (key, f"{key}:until")])
    now = time.time()
    wait = 0
    for key in keys:
        if values.get(key, 0) >= settings.LOGIN_THROTTLE_ATTEMPTS:
            # At least one second: the count may outlive its end time by the moment between their writes.
            wait = max(wait, 1, math.ceil(values.get(f"{key}:until", now) - now))
    return wait


def throttle_fail(*, email: str, ip: str | None) -> None:
    """Count one failed attempt against the account and the IP address."""
    window = settings.LOGIN_THROTTLE_WINDOW_SECONDS
    for key in _keys(email=email, ip=ip):
        # `add` only writes when the key is absent, so the first failure fixes the window.
        cache.add(f"{key}:until", time.time() + window, window)
        cache.add(key, 0, window)
        try:
            cache.incr(key)
        except ValueError:  # the window closed between `add` and `incr`
            cache.set(key, 1, window)


def throttle_reset(*, email: str) -> None:
    """Forget the account's failures (after a successful login); the IP counter stays."""
    key = _account_key(email)
    cache.delete_many([key, f"{key}:until"])
