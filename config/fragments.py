"""Rendered HTML fragments kept in the cache under a digest of what they show.

For parts of a page that cost much to render, are asked for again and again, and whose every
input can be named: a partner card, the cards' filter form (matchmaking/card_html.py).

The key of a fragment is a SHA-256 of
- `shown`: plain JSON values, everything the fragment shows. The fragment is rendered from those
  values *after a JSON round trip* and from nothing else (no model object, no request), so equal
  JSON gives equal HTML: a fragment cannot be stale, nor another viewer's, and nothing has to be
  dropped when data changes (the changed values are another key);
- the active language (labels and translations);
- the source of the fragment's templates and the bytes of the project's translation catalogues,
  read once per process (a deploy that changes either makes new keys).
Old keys are never invalidated: they expire after `seconds` (a bound on memory, not on staleness).
What the Python code around the templates computes (a label table in companies.labels, say) is
not in the key: a deploy that changes only that shows fragments rendered before it for at most
`seconds`.

The CSRF token (per session, and not to be shown to anyone else) never enters the cache: the
fragment is rendered with CSRF_PLACEHOLDER as the token and the request's own is put in its place
on the way out. Escaped text cannot contain the replaced string (it has `<` and `"`).

The cache is an optimisation: when it fails, the fragments are rendered as if nothing were cached.
"""

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from functools import cache as memoized
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

CSRF_PLACEHOLDER = "csrf-placeholder-of-a-cached-fragment"
_KEY_PREFIX = "fragment:"


def _csrf_input(token: str) -> str:
    """What `{% csrf_token %}` writes for `token` (django.template.defaulttags.CsrfTokenNode)."""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


@memoized
def code_version(templates: tuple[str, ...]) -> str:
    """A digest of the templates' source and of the project's compiled translations."""
    digest = hashlib.sha256()
    for name in templates:
        digest.update(get_template(name).template.source.encode())
    for folder in settings.LOCALE_PATHS:
        for catalogue in sorted(Path(folder).glob("*/LC_MESSAGES/*.mo")):
            digest.update(catalogue.read_bytes())
    return digest.hexdigest()[:16]


def cached_fragments(
    *,
    shown: Sequence[Any],
    render: Callable[[Any], str],
    templates: tuple[str, ...],
    seconds: int,
    csrf_token: str = "",
) -> list[SafeString]:
    """`render(value)` for each value of `shown` (what the fragment shows, plain JSON values;
    `render` gets them back from JSON), from the cache when an equal value was rendered before.
    `templates` are the templates `render` uses (their source is part of the key); a fragment
    with a form renders CSRF_PLACEHOLDER as its token, replaced by `csrf_token` here."""
    version = code_version(templates)
    language = get_language() or ""
    texts = [json.dumps(value, sort_keys=True, ensure_ascii=False, allow_nan=False) for value in shown]
    keys = [_KEY_PREFIX + hashlib.sha256(f"{version}\n{language}\n{text}".encode()).hexdigest() for text in texts]
    try:
        found = cache.get_many(keys)
    except Exception:
        logger.warning("Fragment cache unavailable; fragments are rendered without it", exc_info=True)
        found = None
    html, missing = [], {}
    for key, text in zip(keys, texts, strict=True):
        fragment = found.get(key) if found is not None else None
        if fragment is None:
            fragment = missing[key] = str(render(json.loads(text)))
        html.append(fragment)
    if missing and found is not None:
        try:
            cache.set_many(missing, timeout=seconds)
        except Exception:
            logger.warning("Fragment cache unavailable; fragments were not kept", exc_info=True)
    placeholder, token = _csrf_input(CSRF_PLACEHOLDER), _csrf_input(csrf_token) if csrf_token else ""
    # Our own templates, rendered (and escaped) by the template engine, stored as they were rendered.
    return [mark_safe(fragment.replace(placeholder, token)) for fragment in html]
