"""Hand-made firms for the engine tests (pure data, no database)."""

from typing import Any

import pytest

from matchmaking.engine import MatchSettings, Profile, SupplyDependency

HAND_WEIGHTS = {
    "complementarity": 0.35, "topic": 0.10, "sector": 0.05, "value_chain": 0.20, "partnership": 0.15,
    "supply_security": 0.15,
}  # fmt: skip
"""Engine 1.2.0's hand-set shares: tests of reasons and parts use them, so that a retrained ranking
model (which changes the default weights) does not change what these tests check."""


def hand_settings(**fields: Any) -> MatchSettings:
    return MatchSettings(weights=HAND_WEIGHTS, **fields)


def make_profile(firm_id: int, side: str, **fields: Any) -> Profile:
    """A profile with the given fields; the country defaults to Germany or Japan by side."""
    fields.setdefault("country", "JP" if side == "JP" else "DE")
    for name in ("sectors", "stages", "partnership_types", "materials", "keywords", "supply_dependencies"):
        fields[name] = tuple(fields.get(name, ()))
    return Profile(id=firm_id, side=side, **fields)


@pytest.fixture
def nickel_corpus() -> list[Profile]:
    """An EU nickel refiner (1), its true Japanese partner (2) and three Japanese distractors."""
    return [
        make_profile(
            1, "EU", stages=["critical_minerals.refining_processing"], partnership_types=["supply"],
            materials=["nickel"],
            description="Nickel refiner in Finland.",
            offer="Battery-grade nickel sulphate refined by hydrometallurgy.",
            seek="Long-term offtake by makers of high-nickel cathode materials for electric vehicles.",
        ),
        make_profile(
            2, "JP", stages=["batteries.cathode"], partnership_types=["purchase"], materials=["nickel"],
            supply_dependencies=[SupplyDependency("nickel", "ID", 80)], language="ja",
            description="正極材メーカーです。",
            offer="電気自動車向けのハイニッケル正極材を製造しています。",
            seek="電池グレードの硫酸ニッケルの長期供給元を探しています。",
        ),
        make_profile(
            3, "JP", stages=["critical_minerals.magnets_alloys"], partnership_types=["purchase"], materials=["lree"],
            description="Magnet maker.", offer="Rare-earth permanent magnets for motors.",
            seek="Separated rare earth oxides.",
        ),
        make_profile(
            4, "JP", stages=["biotech.drug_discovery"], partnership_types=["licensing"],
            description="Drug discovery.", offer="Antibody drug candidates in oncology.",
            seek="Clinical development partners.",
        ),
        make_profile(
            5, "JP", stages=["batteries.cells"], partnership_types=["purchase"],
            description="Cell maker.", offer="LFP battery cells for stationary storage.",
            seek="LFP cathode materials.",
        ),
    ]  # fmt: skip
