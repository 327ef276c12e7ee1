"""config.fragments: rendered once per distinct content and language, the CSRF token never cached,
rendering as usual when the cache is down."""

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation

from config.fragments import CSRF_PLACEHOLDER, cached_fragments

TEMPLATE = "matchmaking/_scope.html"  # a small template of ours: a mission's title, or a translated text
DEAD_CACHE = {"default": {"BACKEND": "config.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}


@pytest.fixture
def renders():
    """A render function for _scope.html from {"title": ...} that counts its calls."""
    calls = []

    def render(shown):
        calls.append(shown)
        mission = {"title": shown["title"]} if shown["title"] else None
        return render_to_string(TEMPLATE, {"mission": mission}).strip()

    render.calls = calls
    return render


def _fragments(render, *titles, token="tok"):
    shown = [{"title": title} for title in titles]
    return cached_fragments(shown=shown, render=render, templates=(TEMPLATE,), seconds=60, csrf_token=token)


def test_cached_fragments_render_each_distinct_content_once(renders):
    cache.clear()

    first = _fragments(renders, "Tokyo mission", "Osaka mission", "Tokyo mission")
    again = _fragments(renders, "Osaka mission", "Tokyo mission", "Kobe mission")

    assert first == ["Tokyo mission", "Osaka mission", "Tokyo mission"]
    assert again == ["Osaka mission", "Tokyo mission", "Kobe mission"]
    assert renders.calls == [{"title": "Tokyo mission"}, {"title": "Osaka mission"}, {"title": "Tokyo mission"},
                             {"title": "Kobe mission"}]  # fmt: skip


def test_cached_fragments_per_language(renders):
    cache.clear()

    with translation.override("en"):
        english = _fragments(renders, "")
    with translation.override("ja"):
        japanese = _fragments(renders, "")

    assert (english, len(renders.calls)) == (["All approved companies"], 2)
    assert japanese != english


def test_cached_fragments_keep_no_csrf_token():
    """The placeholder's input is what is kept; each request's own token replaces it on the way out."""
    cache.clear()

    def render(shown):
        return f"<form>{_token_input(CSRF_PLACEHOLDER)}</form>"

    def fragment(token, render=render):
        return cached_fragments(shown=[1], render=render, templates=(), seconds=60, csrf_token=token)[0]

    def must_not_render(shown):
        raise AssertionError("rendered again")

    assert fragment("A" * 64) == f"<form>{_token_input('A' * 64)}</form>"
    assert fragment("B" * 64, must_not_render) == f"<form>{_token_input('B' * 64)}</form>"
    assert fragment("", must_not_render) == "<form></form>"  # what was kept held no token


def _token_input(token):
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'


def test_cached_fragments_refuse_values_that_are_not_plain_json(renders):
    """A model object or a lazy string in `shown` would make a key of its repr, not of its content."""
    with pytest.raises(TypeError):
        cached_fragments(shown=[{"title": object()}], render=renders, templates=(TEMPLATE,), seconds=60)


def test_cached_fragments_with_the_cache_down_render_every_time(settings, renders, caplog):
    settings.CACHES = DEAD_CACHE

    first = _fragments(renders, "Tokyo mission")
    second = _fragments(renders, "Tokyo mission")

    assert (first, second, len(renders.calls)) == (["Tokyo mission"], ["Tokyo mission"], 2)
    assert "Fragment cache unavailable" in caplog.text
