"""Structural parts, supply security, settings and reasons."""

import pytest

from matchmaking.engine import MatchSettings, Profile, SupplyDependency, match

from .conftest import hand_settings, make_profile


def _pair_parts(first: Profile, second: Profile, part: str) -> float:
    settings = MatchSettings(weights={part: 1.0}, min_score=0)
    [suggestion] = [s for s in match([first, second], settings) if s.firm_id == first.id]
    return suggestion.parts[part]


@pytest.mark.parametrize(
    ("ours", "theirs", "expected"),
    [
        ("critical_minerals.refining_processing", "batteries.cathode", 100.0),  # we supply them
        ("batteries.cells", "batteries.cathode", 100.0),  # they supply us
        ("batteries.vehicles_storage", "batteries.recycling", 100.0),  # the loop back to recycling
        ("batteries.cells", "batteries.cells", 30.0),  # peers
        ("batteries.cells", "biotech.drug_discovery", 0.0),
    ],
)
def test_value_chain_adjacent_stages(ours: str, theirs: str, expected: float) -> None:
    assert (
        _pair_parts(make_profile(1, "EU", stages=[ours]), make_profile(2, "JP", stages=[theirs]), "value_chain")
        == expected
    )


@pytest.mark.parametrize(
    ("ours", "theirs", "expected"),
    [
        ("supply", "purchase", 100.0),
        ("investment_sought", "investment_offered", 100.0),
        ("licensing", "licensing", 100.0),
        ("joint_procurement", "joint_procurement", 100.0),
        ("supply", "supply", 0.0),
        ("investment_sought", "investment_sought", 0.0),
    ],
)
def test_partnership_compatible_types(ours: str, theirs: str, expected: float) -> None:
    first = make_profile(1, "EU", partnership_types=[ours])
    assert _pair_parts(first, make_profile(2, "JP", partnership_types=[theirs]), "partnership") == expected


def test_sector_shared_sector_from_stages() -> None:
    first = make_profile(1, "EU", stages=["batteries.cells"])
    assert _pair_parts(first, make_profile(2, "JP", sectors=["batteries"]), "sector") == 100.0


def _graphite_pair(supplier_country: str, share: float = 80) -> tuple[Profile, Profile]:
    buyer = make_profile(
        1, "EU", stages=["batteries.anode"], materials=["graphite"],
        supply_dependencies=[SupplyDependency("graphite", "CN", share)],
    )  # fmt: skip
    supplier = make_profile(
        2, "JP", country=supplier_country, stages=["critical_minerals.refining_processing"], materials=["graphite"]
    )
    return buyer, supplier


def test_supply_security_bonus_for_supplier_outside_dependency_country() -> None:
    assert _pair_parts(*_graphite_pair("JP"), "supply_security") == 80.0


def test_supply_security_seen_from_the_supplier() -> None:
    buyer, supplier = _graphite_pair("JP")
    assert _pair_parts(supplier, buyer, "supply_security") == 80.0


def test_supply_security_none_when_supplier_in_dependency_country() -> None:
    buyer, supplier = _graphite_pair("JP")
    buyer = make_profile(
        1, "EU", stages=["batteries.anode"], supply_dependencies=[SupplyDependency("graphite", "JP", 80)]
    )
    assert _pair_parts(buyer, supplier, "supply_security") == 0.0


def test_supply_security_none_below_threshold() -> None:
    assert _pair_parts(*_graphite_pair("JP", share=30), "supply_security") == 0.0


def test_supply_security_reason_from_both_viewpoints() -> None:
    buyer, supplier = _graphite_pair("JP")
    suggestions = {s.firm_id: s for s in match([buyer, supplier], MatchSettings(min_score=0))}
    assert "Would cut your 80% dependence on one country for graphite" in suggestions[1].reasons
    assert "You could cut their 80% dependence on one country for graphite" in suggestions[2].reasons
    assert "黒鉛の一国への80%の依存を減らせます" in suggestions[1].reasons_ja


def test_reasons_exact_for_refiner_and_cathode_maker(nickel_corpus: list[Profile]) -> None:
    suggestions = {(s.firm_id, s.partner_id): s for s in match(nickel_corpus, hand_settings(min_score=0))}
    assert suggestions[(1, 2)].reasons == [
        "They offer what you seek (electric vehicles, high-nickel, nickel, vehicles)",
        "They want to buy what you supply (battery grade, nickel, sulphate, batteries)",
        "You could cut their 80% dependence on one country for nickel",
        "Downstream buyer for your refining and processing (cathode materials)",
    ]
    assert suggestions[(2, 1)].reasons[3] == "Upstream supplier for your cathode materials (refining and processing)"


def test_reasons_exact_for_partner_at_adjacent_stage_only(nickel_corpus: list[Profile]) -> None:
    suggestions = {(s.firm_id, s.partner_id): s for s in match(nickel_corpus, hand_settings(min_score=0))}
    assert (suggestions[(3, 1)].score, suggestions[(3, 1)].reasons) == (
        40.0,
        [
            "Upstream supplier for your magnets and alloys (refining and processing)",
            "They want to supply and you want to buy",
        ],
    )


def test_settings_top_k_limits_suggestions(nickel_corpus: list[Profile]) -> None:
    suggestions = match(nickel_corpus, hand_settings(top_k=2, min_score=0))
    assert [s.partner_id for s in suggestions if s.firm_id == 1] == [2, 3]


def test_settings_min_score_drops_weak_partners(nickel_corpus: list[Profile]) -> None:
    suggestions = match(nickel_corpus, hand_settings(min_score=50))
    assert [(s.firm_id, s.partner_id) for s in suggestions] == [(1, 2), (2, 1)]


def test_settings_weights_only_listed_parts_reported(nickel_corpus: list[Profile]) -> None:
    settings = MatchSettings(weights={"partnership": 2.0, "value_chain": 2.0}, min_score=0)
    first = match(nickel_corpus, settings)[0]
    assert (first.firm_id, first.partner_id, first.score, first.parts) == (
        1, 2, 100.0, {"value_chain": 100.0, "partnership": 100.0},
    )  # fmt: skip


def test_settings_unknown_part_rejected() -> None:
    with pytest.raises(ValueError, match="unknown score parts"):
        MatchSettings(weights={"charm": 1.0})


def test_settings_round_trip_through_dict() -> None:
    settings = MatchSettings(weights={"topic": 1.0}, top_k=3, min_score=12.5)
    assert MatchSettings.from_dict(settings.as_dict()) == settings
