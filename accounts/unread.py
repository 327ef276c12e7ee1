"""The header's unread-notifications badge, kept in the cache per user.

Every signed-in page shows it and counting it was a query (about 0.5 ms of CPU through the ORM:
as much as the rest of a cached directory page). The count is kept under a key of the user and of
a *generation* of the user's notifications. Every write that can change which of a user's
notifications exist or are unread calls `unread_changed(user_ids)`, which gives those users a new
generation at once and again when the transaction commits: a page rendered in between, from the
rows as they were, is kept under the generation the commit replaces and never read again.
The writers: accounts.services (notification_send, notification_mark_read,
notifications_mark_all_read) and the admin's delete (accounts.admin). **A new way of creating,
reading or deleting notifications must call it** (tests/accounts/test_unread.py checks each path);
COUNT_SECONDS bounds what a forgotten call, or a cache that failed during a write, leaves on show.

The cache is an optimisation: when it fails, the badge is counted as before.
"""

import logging
import secrets
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

COUNT_SECONDS = 300


def _generation_key(user_id: int) -> str:
    return f"accounts:unread:generation:{user_id}"


def unread_count(*, user_id: int, count: Callable[[], int]) -> int:
    """The user's unread count from the cache, else `count()` (kept for the next page)."""
    try:
        generation = cache.get(_generation_key(user_id))
        if generation is None:
            cache.add(_generation_key(user_id), secrets.token_hex(8), timeout=None)
            generation = cache.get(_generation_key(user_id))
        key = f"accounts:unread:{user_id}:{generation}"
        found = cache.get(key)
    except Exception:
        logger.warning("Unread-count cache unavailable; the badge is counted", exc_info=True)
        return count()
    if found is None:
        found = count()
        try:
            cache.set(key, found, timeout=COUNT_SECONDS)
        except Exception:
            logger.warning("Unread-count cache unavailable; the count was not kept", exc_info=True)
    return int(found)


def unread_changed(user_ids: Iterable[int]) -> None:
    """These users' notifications changed: their badges are counted again, now and on commit."""
    ids = sorted(set(user_ids))
    if ids:
        _new_generations(ids)
        transaction.on_commit(lambda: _new_generations(ids))


def _new_generations(user_ids: list[int]) -> None:
    try:
        cache.set_many({_generation_key(pk): secrets.token_hex(8) for pk in user_ids}, timeout=None)
    except Exception:
        logger.warning("Unread-count cache unavailable; users %s keep their badge generation", user_ids, exc_info=True)
