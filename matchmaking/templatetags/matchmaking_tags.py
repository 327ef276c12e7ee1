"""Small filters for the matching pages: score-part labels and reasons in the reader's language."""

from typing import Any

from django import template

from matchmaking.enums import ScorePart

register = template.Library()


@register.filter
def part_label(name: str) -> str:
    try:
        return str(ScorePart(name).label)
    except ValueError:
        return name


@register.filter
def in_language(reasons: dict[str, list[str]] | None, language: str) -> list[str]:
    """{"en": [...], "ja": [...]} -> the list in `language`, English when that one is empty."""
    reasons = reasons or {}
    return reasons.get(language) or reasons.get("en") or []


@register.filter
def sorted_parts(parts: dict[str, Any] | None) -> list[tuple[str, Any]]:
    """Parts in the engine's order, so every row lists them alike."""
    order = list(ScorePart.values)
    return sorted((parts or {}).items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))
