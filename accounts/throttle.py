"""Failed-login throttle shared by every door that checks a password (the login page, the API token
endpoint, the Django admin): all of them call `authenticate()`, and `accounts.backends` applies it.

Two counters, kept in the cache:
- per client IP address *and* account: the first LOGIN_THROTTLE_ATTEMPTS failures are free (typos),
  then each further failure makes the next attempt wait twice as long as the last, from
  LOGIN_THROTTLE_DELAY_SECONDS up to LOGIN_THROTTLE_MAX_DELAY_SECONDS. The key holds the IP, so
  guessing someone's password from elsewhere never locks that person out: we never lock an account.
- per client IP address across accounts: LOGIN_THROTTLE_IP_ATTEMPTS failures within
  LOGIN_THROTTLE_WINDOW_SECONDS, then that address waits for the window to close (spraying one
  password over many accounts).

A success clears the pair's counter (not the IP's). Keys are hashed: e-mail addresses and IPv6
addresses may hold characters that some cache backends refuse in keys, and hashes keep addresses out
of the cache.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

_PREFIX = "accounts:login-failures"
# A pair's counter is forgotten this long after its last failure.
_PAIR_MEMORY_SECONDS = 24 * 3600


def client_ip(request: HttpRequest | None) -> str | None:
    # REMOTE_ADDR only (ForwardedForMiddleware rewrites it behind trusted proxies): a forwarded-for
    # header is written by the client and would let it dodge the throttle.
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _pair_key(email: str, ip: str | None) -> str:
    pair = f"{ip or '-'}|{email.strip().lower()}"
    return f"{_PREFIX}:pair:{_hash(pair)}"


def _ip_key(ip: str) -> str:
    return f"{_PREFIX}:ip:{_hash(ip)}"


def pair_delay_seconds(failures: int) -> int:
    """The wait after `failures` failures of one IP on one account: 0 while free, then doubling, capped."""
    extra = failures - settings.LOGIN_THROTTLE_ATTEMPTS
    if extra < 0:
        return 0
    delay = settings.LOGIN_THROTTLE_DELAY_SECONDS * 2 ** min(extra, 30)
    return min(delay, settings.LOGIN_THROTTLE_MAX_DELAY_SECONDS)


def throttle_check(*, email: str, ip: str | None) -> int:
    """Seconds to wait before another attempt on this account from this IP; 0 when allowed now."""
    pair = _pair_key(email, ip)
    names = [f"{pair}:until"] + ([_ip_key(ip), f"{_ip_key(ip)}:until"] if ip else [])
    values = cache.get_many(names)
    now = time.time()
    wait = max(0.0, values.get(f"{pair}:until", now) - now)
    if ip and values.get(_ip_key(ip), 0) >= settings.LOGIN_THROTTLE_IP_ATTEMPTS:
        # At least one second: the count may outlive its end time by the moment between their writes.
        wait = max(wait, 1, values.get(f"{_ip_key(ip)}:until", now) - now)
    return math.ceil(wait)


def _incr(key: str, ttl: int) -> int:
    cache.add(key, 0, ttl)
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between `add` and `incr`
        cache.set(key, 1, ttl)
        return 1


def throttle_fail(*, email: str, ip: str | None) -> None:
    """Count one failed attempt: the pair's delay grows, the IP's window count goes up."""
    pair = _pair_key(email, ip)
    failures = _incr(pair, _PAIR_MEMORY_SECONDS)
    delay = pair_delay_seconds(failures)
    if delay:
        cache.set(f"{pair}:until", time.time() + delay, delay)
    if ip:
        window = settings.LOGIN_THROTTLE_WINDOW_SECONDS
        # `add` only writes when the key is absent, so the first failure fixes the window.
        cache.add(f"{_ip_key(ip)}:until", time.time() + window, window)
        _incr(_ip_key(ip), window)


def throttle_reset(*, email: str, ip: str | None) -> None:
    """Forget this IP's failures on the account (after a successful login); the IP's count stays."""
    pair = _pair_key(email, ip)
    cache.delete_many([pair, f"{pair}:until"])


def mail_ip_take(*, ip: str | None) -> bool:
    """Count one mail-sending request (sign-up, verification, reset) from this IP address; False once
    it has made MAIL_IP_LIMIT_PER_HOUR of them within the hour."""
    if not ip:
        return True
    return _incr(f"accounts:mail-requests:{_hash(ip)}", 3600) <= settings.MAIL_IP_LIMIT_PER_HOUR


def mail_address_take(*, address: str) -> bool:
    """True at most once per MAIL_ADDRESS_INTERVAL_SECONDS per address: nobody can flood an inbox."""
    key = f"accounts:mail-sent:{_hash(address.strip().lower())}"
    return cache.add(key, True, settings.MAIL_ADDRESS_INTERVAL_SECONDS)
