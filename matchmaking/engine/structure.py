"""Structured profile fields as small dense matrices, so every structural part is a matrix product.

All entries are small integers in float32, so products are exact whatever the block size.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from companies.vocabulary import (
    COMPATIBLE_PARTNERSHIPS,
    PARTNERSHIP_TYPES,
    SECTORS,
    STAGE_FLOWS,
    STAGES,
    sector_of_stage,
)

from .records import Profile

SECTOR_CODES = tuple(SECTORS)
STAGE_CODES = tuple(STAGES)
PARTNERSHIP_CODES = tuple(PARTNERSHIP_TYPES)

# Stages at which a firm that lists a material can supply or process it.
SUPPLYING_STAGES = frozenset(
    {
        "critical_minerals.exploration_mining",
        "critical_minerals.refining_processing",
        "critical_minerals.ree_separation",
        "critical_minerals.magnets_alloys",
        "critical_minerals.recycling",
        "critical_minerals.trading_stockpiling",
        "batteries.cathode",
        "batteries.anode",
        "batteries.electrolyte_separator",
        "batteries.recycling",
    }
)


@dataclass(frozen=True)
class StructureFeatures:
    sector: np.ndarray
    """(firms x sectors) 1 where the firm is in the sector."""
    stage: np.ndarray
    """(firms x stages) 1 where the firm works at the stage."""
    stage_buyers: np.ndarray
    """(firms x stages) number of the firm's stages that sell to each stage (stage @ flows)."""
    partnership: np.ndarray
    """(firms x partnership types) 1 where the firm wants that kind of partnership."""
    partnership_fits: np.ndarray
    """(firms x partnership types) number of the firm's types compatible with each type."""
    dependency: np.ndarray
    """(firms x dependency keys) share percent (integer) of a heavy dependency, else 0."""
    supplier: np.ndarray
    """(firms x dependency keys) 1 where the firm can supply the key's material from outside its country."""
    dependency_keys: tuple[tuple[str, str], ...]
    """(material, source country) of each dependency column."""


def _one_hot(rows: Sequence[Sequence[str]], codes: Sequence[str]) -> np.ndarray:
    index = {code: i for i, code in enumerate(codes)}
    matrix = np.zeros((len(rows), len(codes)), dtype=np.float32)
    for r, values in enumerate(rows):
        for value in values:
            if value in index:
                matrix[r, index[value]] = 1.0
    return matrix


def stage_flow_matrix() -> np.ndarray:
    """(stages x stages) 1 where the row stage sells to the column stage."""
    index = {code: i for i, code in enumerate(STAGE_CODES)}
    flows = np.zeros((len(STAGE_CODES), len(STAGE_CODES)), dtype=np.float32)
    for supplier, buyers in STAGE_FLOWS.items():
        for buyer in buyers:
            flows[index[supplier], index[buyer]] = 1.0
    return flows


def partnership_matrix() -> np.ndarray:
    """(types x types) 1 where the two partnership types fit each other (symmetric)."""
    index = {code: i for i, code in enumerate(PARTNERSHIP_CODES)}
    fits = np.zeros((len(PARTNERSHIP_CODES), len(PARTNERSHIP_CODES)), dtype=np.float32)
    for pair in COMPATIBLE_PARTNERSHIPS:
        first, second = (tuple(pair) * 2)[:2]  # a one-element frozenset is a type that fits itself
        fits[index[first], index[second]] = fits[index[second], index[first]] = 1.0
    return fits


def heavy_dependencies(profile: Profile, threshold: float) -> dict[tuple[str, str], int]:
    """(material, source country) -> share percent, for shares at or above the threshold."""
    heavy: dict[tuple[str, str], int] = {}
    for dep in profile.supply_dependencies:
        if dep.share_percent >= threshold:
            key = (dep.material, dep.source_country)
            heavy[key] = max(heavy.get(key, 0), round(dep.share_percent))
    return heavy


def supplied_materials(profile: Profile, threshold: float) -> frozenset[str]:
    """Materials the firm can supply or process: listed, at a supplying stage (or offering supply),
    and not one it depends on heavily itself (then it is a buyer of it)."""
    if not (SUPPLYING_STAGES.intersection(profile.stages) or "supply" in profile.partnership_types):
        return frozenset()
    depends_on = {material for material, _ in heavy_dependencies(profile, threshold)}
    return frozenset(profile.materials) - depends_on


def build_structure_features(profiles: Sequence[Profile], threshold: float) -> StructureFeatures:
    sectors = [set(p.sectors) | {sector_of_stage(s) for s in p.stages} for p in profiles]
    stage = _one_hot([p.stages for p in profiles], STAGE_CODES)
    partnership = _one_hot([p.partnership_types for p in profiles], PARTNERSHIP_CODES)
    heavy = [heavy_dependencies(p, threshold) for p in profiles]
    keys = tuple(sorted({key for firm in heavy for key in firm}))
    dependency = np.zeros((len(profiles), len(keys)), dtype=np.float32)
    supplier = np.zeros((len(profiles), len(keys)), dtype=np.float32)
    for r, profile in enumerate(profiles):
        supplies = supplied_materials(profile, threshold)
        for k, (material, country) in enumerate(keys):
            dependency[r, k] = heavy[r].get((material, country), 0)
            supplier[r, k] = float(material in supplies and profile.country != country)
    return StructureFeatures(
        sector=_one_hot([sorted(s) for s in sectors], SECTOR_CODES),
        stage=stage,
        stage_buyers=stage @ stage_flow_matrix(),
        partnership=partnership,
        partnership_fits=partnership @ partnership_matrix(),
        dependency=dependency,
        supplier=supplier,
        dependency_keys=keys,
    )
