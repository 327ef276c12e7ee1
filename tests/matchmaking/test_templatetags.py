"""Labels of score parts and weights on the run pages."""

from django.utils import translation

from matchmaking.templatetags.matchmaking_tags import part_label, weighted


def test_part_label_of_a_product_names_both_parts_in_the_language():
    with translation.override("ja"):
        japanese = part_label("value_chain*complementarity")
    assert (part_label("sector*terms"), japanese) == (
        "Shared sector × Distinctive words in common",
        "バリューチェーン上の隣接 × 互いのニーズと提供内容の一致",
    )


def test_weighted_keeps_positive_weights_heaviest_first():
    assert weighted({"topic": 0.1, "sector": 0.0, "terms": 0.3, "sector*terms": 0.05}) == [
        ("terms", 0.3),
        ("topic", 0.1),
        ("sector*terms", 0.05),
    ]
