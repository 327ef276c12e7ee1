"""Sessions read from the shared cache, written through to the database (settings.SESSION_ENGINE
when CACHE_URL names Redis; docs/operations.md, "Sessions").

Django's cached_db store, with three changes:
- A copy in the cache lives at most SESSION_CACHE_SECONDS (Django keeps it as long as the session,
  two weeks). Whatever a failed cache write or delete leaves behind (a logout while Redis did not
  answer, a race between a logout and a request of the same session that refills the cache) is
  gone after that; the database, which every logout and every login (a new key) changes, stays
  the truth.
- A cache that fails is skipped: the session is read from and written to the database alone, as
  with the database store (Django's store raises on the cache write that follows a miss, so every
  signed-in page would answer 500 while Redis is down).
- Deleting (logout, a login's new key) deletes the cached copy before and after the row, so a
  request that read the row just before it went cannot leave its copy behind for longer than the
  cap.

Everything else that ends a session works on the user, not on the session store, and is unchanged:
a password change or reset (the session's hash of the password no longer matches, checked against
the user row on every request), a deactivated user (read on every request).
"""

import logging

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.sessions.backends import cached_db

logger = logging.getLogger(__name__)


class SessionStore(cached_db.SessionStore):
    cache_key_prefix = "kizuna.session:"

    def _cache_seconds(self, expiry_age: int) -> int:
        return max(0, min(expiry_age, settings.SESSION_CACHE_SECONDS))

    def load(self) -> dict:
        try:
            data = self._cache.get(self.cache_key)
        except Exception:
            logger.warning("Session cache unavailable; the session is read from the database", exc_info=True)
            return self._load_from_db(keep=False)
        return data if data is not None else self._load_from_db(keep=True)

    def _load_from_db(self, *, keep: bool) -> dict:
        row = self._get_session_from_db()
        if row is None:
            return {}
        data = self.decode(row.session_data)
        if keep:
            self._cache_set(data, self._cache_seconds(self.get_expiry_age(expiry=row.expire_date)))
        return data

    def save(self, must_create: bool = False) -> None:
        super(cached_db.SessionStore, self).save(must_create)  # the row (the database store's save)
        self._cache_set(self._session, self._cache_seconds(self.get_expiry_age()))

    def _cache_set(self, data: dict, seconds: int) -> None:
        try:
            self._cache.set(self.cache_key, data, seconds)
        except Exception:
            logger.warning("Session cache unavailable; the session was not cached", exc_info=True)
            self._cache_delete(self.cache_key)  # an older copy must not outlive this write

    def delete(self, session_key: str | None = None) -> None:
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        key = self.cache_key_prefix + session_key
        self._cache_delete(key)
        super(cached_db.SessionStore, self).delete(session_key)  # the row (the database store's delete)
        self._cache_delete(key)

    def _cache_delete(self, key: str) -> None:
        try:
            self._cache.delete(key)
        except Exception:
            logger.warning("Session cache unavailable; a cached session copy lives until it expires", exc_info=True)

    def exists(self, session_key: str) -> bool:
        """Whether a new key is taken: the rows alone say so (Django asks the cache first, which
        fails while Redis is down, and so would every login)."""
        return super(cached_db.SessionStore, self).exists(session_key)

    # The async API (unused: the site is served over WSGI) does the same as the sync one above.
    async def aload(self) -> dict:
        return await sync_to_async(self.load)()

    async def asave(self, must_create: bool = False) -> None:
        await sync_to_async(self.save)(must_create)

    async def adelete(self, session_key: str | None = None) -> None:
        await sync_to_async(self.delete)(session_key)

    async def aexists(self, session_key: str) -> bool:
        return await sync_to_async(self.exists)(session_key)
