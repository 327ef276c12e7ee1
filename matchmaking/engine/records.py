"""The engine's plain input and output records, and the settings of a run."""

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ENGINE_VERSION = "2.0.0"

SIDES = ("EU", "JP")
LANGUAGES = ("en", "ja", "en_ja")

# The parts of a score, in the order reasons and reports list them.
PARTS = (
    "complementarity",
    "topic",
    "terms",
    "concepts",
    "sector",
    "value_chain",
    "partnership",
    "supply_security",
    "embedding",
)

INTERACTIONS = (
    "value_chain*complementarity",
    "partnership*complementarity",
    "supply_security*complementarity",
    "value_chain*concepts",
    "sector*terms",
)
"""Products of two parts that a model may weigh too: adjacent stages count when the texts also
answer each other, not on their own (codes alone carry little signal on real deals, docs)."""


def term_parts(term: str) -> tuple[str, ...]:
    """The parts a weighted term reads: "a*b" -> (a, b), a part -> (part,)."""
    return tuple(term.split("*"))


RANKER_FILE = Path(__file__).with_name("ranker.json")
"""The shipped ranking model: learned weights of the parts, what they were trained on and their
cross-validated evaluation (rebuilt by `manage.py match_train --write-file`; docs/matching.md)."""


def load_ranker(path: Path = RANKER_FILE) -> dict[str, Any]:
    """A ranking model file as a dict; raises ValueError naming the file when it is unusable."""
    try:
        model = json.loads(path.read_text(encoding="utf-8"))
        weights = {str(k): float(v) for key in ("weights", "weights_embedding") for k, v in model[key].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"ranking model {path}: {error}") from error
    unknown = sorted(term for term in weights if term not in PARTS and term not in INTERACTIONS)
    if unknown:
        raise ValueError(f"ranking model {path}: unknown parts {unknown}")
    return dict(model)


RANKER = load_ranker()
MODEL_VERSION: str = RANKER["version"]
DEFAULT_WEIGHTS: dict[str, float] = {**dict.fromkeys(PARTS, 0.0), **RANKER["weights"], "embedding": 0.0}
"""The shipped model's weights for runs without embeddings."""
EMBEDDING_WEIGHTS: dict[str, float] = {**dict.fromkeys(PARTS, 0.0), **RANKER["weights_embedding"]}
"""The shipped model's weights for runs with an embedding backend."""


@dataclass(frozen=True)
class SupplyDependency:
    material: str
    """A code of companies.vocabulary.MATERIALS."""
    source_country: str
    """ISO 3166-1 alpha-2 code of the country the material comes from."""
    share_percent: float
    """Share of the firm's supply of that material from that country, 0..100."""


@dataclass(frozen=True)
class Profile:
    """One firm as the engine sees it; codes are those of companies.vocabulary."""

    id: int
    side: str  # "EU" or "JP"
    country: str
    sectors: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    partnership_types: tuple[str, ...] = ()
    materials: tuple[str, ...] = ()
    supply_dependencies: tuple[SupplyDependency, ...] = ()
    description: str = ""
    offer: str = ""
    seek: str = ""
    keywords: tuple[str, ...] = ()
    language: str = "en"  # "en", "ja" or "en_ja"

    def __post_init__(self) -> None:
        if self.side not in SIDES:
            raise ValueError(f"profile {self.id}: side must be one of {SIDES}, not {self.side!r}")
        if self.language not in LANGUAGES:
            raise ValueError(f"profile {self.id}: language must be one of {LANGUAGES}, not {self.language!r}")


@dataclass(frozen=True)
class MatchSettings:
    """The settings of a run. The same profiles and settings always give the same suggestions."""

    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    """Weight of each part (and of products of parts, INTERACTIONS); missing ones weigh 0. The score is the
    weighted mean of the parts and products (each 0..1)."""
    top_k: int = 10
    """Suggestions per firm at most."""
    min_score: float = 20.0
    """Suggestions scoring below this (0..100) are dropped."""
    dependency_threshold: float = 50.0
    """A supply dependency counts from this share (percent of one material from one country)."""
    block_size: int = 512
    """Firms scored together in one matrix block; bounds memory, does not change results."""

    def __post_init__(self) -> None:
        unknown = set(self.weights) - set(PARTS) - set(INTERACTIONS)
        if unknown:
            raise ValueError(
                f"unknown score parts in weights: {sorted(unknown)}; known: {list(PARTS) + list(INTERACTIONS)}"
            )
        if any(w < 0 for w in self.weights.values()) or sum(self.weights.values()) <= 0:
            raise ValueError("weights must be >= 0 and not all 0")
        if self.top_k < 1 or self.block_size < 1:
            raise ValueError("top_k and block_size must be >= 1")
        if not 0 <= self.min_score <= 100:
            raise ValueError("min_score must be within 0..100")

    def weight(self, part: str) -> float:
        return float(self.weights.get(part, 0.0))

    def part_weight(self, part: str) -> float:
        """The part's own weight plus the weights of the products that read it: how much it counts."""
        return sum(float(w) for term, w in self.weights.items() if part in term_parts(term))

    def needs(self, part: str) -> bool:
        """Whether a run computes the part: it has a weight, or a weighted product reads it."""
        return any(part in term_parts(term) for term, w in self.weights.items() if w > 0)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values, to store with a run."""
        data = asdict(self)
        data["weights"] = dict(self.weights)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "MatchSettings":
        return cls(**{**data, "weights": dict(data.get("weights", DEFAULT_WEIGHTS))})


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One proposed partner for one firm, from that firm's point of view (slotted: a run makes
    hundreds of thousands)."""

    firm_id: int
    partner_id: int
    score: float
    """0..100, rounded to 0.1."""
    parts: dict[str, float]
    """Each part 0..100 rounded to 0.1, for the parts with a weight above 0."""
    reasons: list[str]
    """English sentences addressed to the firm ("you") about the partner ("they"), strongest first."""
    rank: int
    """1 for the best partner; ties in score go to the lower partner id."""
    reasons_ja: list[str] = field(default_factory=list)
    """The same reasons in Japanese."""


def profile_from_dict(data: Mapping[str, Any]) -> Profile:
    """A Profile from a plain dict (e.g. bench.company_generator output); unknown keys are ignored.

    Keywords may be a list or a comma-separated string; dependencies dicts or triples.
    """
    keywords = data.get("keywords", ())
    if isinstance(keywords, str):
        keywords = [k.strip() for k in keywords.replace("、", ",").split(",") if k.strip()]
    return Profile(
        id=int(data["id"]),
        side=str(data["side"]),
        country=str(data["country"]),
        sectors=tuple(data.get("sectors", ())),
        stages=tuple(data.get("stages", ())),
        partnership_types=tuple(data.get("partnership_types", ())),
        materials=tuple(data.get("materials", ())),
        supply_dependencies=tuple(_dependency(d) for d in data.get("supply_dependencies", ())),
        description=str(data.get("description", "")),
        offer=str(data.get("offer", "")),
        seek=str(data.get("seek", "")),
        keywords=tuple(keywords),
        language=str(data.get("language", "en")),
    )


def _dependency(value: Any) -> SupplyDependency:
    if isinstance(value, SupplyDependency):
        return value
    if isinstance(value, Mapping):
        return SupplyDependency(str(value["material"]), str(value["source_country"]), float(value["share_percent"]))
    material, country, share = value
    return SupplyDependency(str(material), str(country), float(share))
