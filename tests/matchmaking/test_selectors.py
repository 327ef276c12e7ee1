"""Score parts in words for firms (selectors.part_fit, parts_as_fit)."""

import pytest
from django.utils import translation

from matchmaking.enums import FitLevel
from matchmaking.selectors import part_fit, parts_as_fit


@pytest.mark.parametrize(
    ("value", "level"),
    [
        (100.0, FitLevel.STRONG),
        (70.0, FitLevel.STRONG),
        (69.9, FitLevel.GOOD),
        (40.0, FitLevel.GOOD),
        (39.9, FitLevel.SOME),
        (30.0, FitLevel.SOME),  # peers at the same value-chain stage
        (15.0, FitLevel.SOME),
        (14.9, FitLevel.WEAK),
        (0.0, FitLevel.WEAK),
    ],
)
def test_part_fit_thresholds(value: float, level: FitLevel) -> None:
    assert part_fit(value) == level


def test_parts_as_fit_engine_order_and_unknown_parts_last_under_their_name() -> None:
    parts = {"rare_terms": 80.0, "sector": 100.0, "complementarity": 12.5}
    assert parts_as_fit(parts) == [
        {
            "part": "complementarity", "label": "What each seeks and the other offers",
            "level": "weak", "level_label": "Weak fit",
        },
        {"part": "sector", "label": "Shared sector", "level": "strong", "level_label": "Strong fit"},
        {"part": "rare_terms", "label": "rare_terms", "level": "strong", "level_label": "Strong fit"},
    ]  # fmt: skip


def test_parts_as_fit_in_japanese() -> None:
    with translation.override("ja"):
        found = parts_as_fit({"sector": 100.0, "value_chain": 30.0, "topic": 45.0})
    assert [(f["label"], f["level_label"]) for f in found] == [
        ("事業内容の類似性", "良い適合"), ("共通の分野", "高い適合"), ("バリューチェーン上の隣接", "一部適合"),
    ]  # fmt: skip


def test_parts_as_fit_empty() -> None:
    assert parts_as_fit(None) == []
