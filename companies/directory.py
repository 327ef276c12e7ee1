"""The directory page's body (filters, count, rows, page links), kept in the cache per language,
filter set and page until a write changes what the directory shows.

Why: the body is the same for everyone who asks for the same filters in the same language, and
rendering it (seven filter menus, twenty rows) and counting the matches cost most of the request
(docs/benchmarks.md, "Pages under load"). What stays per visitor (the header: menu, unread badge,
CSRF token) is rendered around it on every request.

Invalidation: every service that writes what the directory shows (a profile's fields, its status,
its existence) calls `directory_changed()`, which gives the directory a new version at once and
again when the transaction commits; cached bodies of older versions are never read again and
expire. The second change matters: a reader between the first and the commit could have cached
the rows as they were before the write under the new version. `BODY_SECONDS` only bounds what a
write path that forgot to call it would leave on show.

The search form is kept on its own too (`directory_cached(part="filters")`): it is the same on
every page of a filter set and costs as much to render as the twenty rows.

The cache is an optimisation: when it fails, the body is rendered as if nothing were cached.
"""

import hashlib
import json
import logging
import secrets
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)

VERSION_KEY = "companies:directory:version"
BODY_SECONDS = 300


def directory_changed() -> None:
    """What the directory shows may have changed: drop every cached body, now and on commit."""
    _new_version()
    transaction.on_commit(_new_version)


def _new_version() -> None:
    try:
        cache.set(VERSION_KEY, secrets.token_hex(8), timeout=None)
    except Exception:  # the cache is down: nothing is cached either, so nothing can be stale
        logger.warning("Directory cache unavailable; its version was not changed", exc_info=True)


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, secrets.token_hex(8), timeout=None)
        version = cache.get(VERSION_KEY)
    return str(version)


def directory_cached(*, part: str, language: str, filters: dict[str, Any], render: Callable[[], str]) -> SafeString:
    """The cached `part` of the body for these filters (with the page number for the results) in
    `language`, or `render()`, kept. Parts: "body", and "filters" (the search form: the same on
    every page of one filter set, and half the cost of rendering a body)."""
    try:
        wanted = json.dumps([_version(), part, language, filters], sort_keys=True, ensure_ascii=False)
        key = "companies:directory:" + hashlib.sha256(wanted.encode()).hexdigest()
        body = cache.get(key)
    except Exception:
        logger.warning("Directory cache unavailable; the page is rendered without it", exc_info=True)
        return mark_safe(render())  # a template rendered (and escaped) by the template engine
    if body is None:
        body = render()
        try:
            cache.set(key, str(body), timeout=BODY_SECONDS)
        except Exception:
            logger.warning("Directory cache unavailable; the body was not kept", exc_info=True)
    return mark_safe(body)  # our own rendered template, stored as it was rendered
