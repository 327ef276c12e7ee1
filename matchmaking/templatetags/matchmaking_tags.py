"""Small filters for the matching pages: score-part labels and reasons in the reader's language."""

from typing import Any

from django import template

from matchmaking.enums import ScorePart
from matchmaking.selectors import reasons_in_language

register = template.Library()


@register.filter
def part_label(name: str) -> str:
    """A part's label; a product of parts ("value_chain*complementarity") as "label × label"."""
    if "*" in name:
        return " × ".join(part_label(part) for part in name.split("*"))
    try:
        return str(ScorePart(name).label)
    except ValueError:
        return name


@register.filter
def weighted(weights: dict[str, float] | None) -> list[tuple[str, float]]:
    """The terms with a weight above 0, heaviest first."""
    return sorted(((name, w) for name, w in (weights or {}).items() if w > 0), key=lambda item: -item[1])


@register.filter
def in_language(reasons: dict[str, list[str]] | None, language: str) -> list[str]:
    """{"en": [...], "ja": [...]} (a suggestion's `reason_texts.eu` or `.jp`, see
    selectors.suggestions_with_reasons) -> the list in `language`, English when that one is empty."""
    return reasons_in_language(reasons, language)


@register.filter
def sorted_parts(parts: dict[str, Any] | None) -> list[tuple[str, Any]]:
    """Parts in the engine's order, so every row lists them alike."""
    order = list(ScorePart.values)
    return sorted((parts or {}).items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))
