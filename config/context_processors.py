"""Values the layout (base.html) needs on every page."""

from functools import lru_cache

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse

LAYOUT_URLS = (
    "home", "companies:directory", "companies:my_profile", "companies:moderation", "matchmaking:my_suggestions",
    "matchmaking:runs", "matchmaking:review", "events:list", "accounts:notifications", "accounts:settings",
    "accounts:logout", "accounts:login", "accounts:signup", "set_language", "api-docs",
)  # fmt: skip


def layout_urls(request: HttpRequest) -> dict[str, dict[str, str]]:
    """`layout_urls`: the addresses the layout links to (menu, account links, language switch,
    footer), by URL name with `:` and `-` written `_` (`{{ layout_urls.companies_directory }}`).
    They take no arguments, so they are reversed once per process (and script prefix): ten
    `{% url %}` tags were a quarter of the layout's rendering on every page."""
    return {"layout_urls": _reversed(get_script_prefix())}


@lru_cache(maxsize=4)
def _reversed(prefix: str) -> dict[str, str]:
    return {name.replace(":", "_").replace("-", "_"): reverse(name) for name in LAYOUT_URLS}
