"""Structured profile fields as small dense matrices, and firms grouped into types per part.

All entries are small integers in float32, so products are exact whatever the block size. Firms
with the same structured fields (say the same stages) score alike against everyone, so a block is
scored on its types, not its firms: a (block types x other-side types) table of products, gathered
out to (firms x firms). There are far fewer types than firms, and a table gather is several times
cheaper than a skinny matrix product of the same output size.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

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
class FirmTypes:
    """Firms grouped by what one structural part reads of them."""

    ids: np.ndarray
    """(firms,) int64 type of each firm."""
    keys: tuple[Any, ...]
    """Per type, what the part's reasons read (e.g. the stages tuple)."""
    first: np.ndarray
    """Per type, the position of its first firm: its rows in the feature matrices stand for the type."""


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
    types: dict[str, FirmTypes]
    """Part name (sector, value_chain, partnership, supply_security) -> firms grouped for that part."""


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


def firm_sectors(profile: Profile) -> tuple[str, ...]:
    """Declared sectors and those implied by the stages, sorted."""
    return tuple(sorted({*profile.sectors, *(sector_of_stage(s) for s in profile.stages)}))


def _group(keys: Sequence[Any]) -> FirmTypes:
    index: dict[Any, int] = {}
    ids = np.empty(len(keys), dtype=np.int64)
    first: list[int] = []
    for i, key in enumerate(keys):
        found = index.get(key)
        if found is None:
            found = index[key] = len(first)
            first.append(i)
        ids[i] = found
    return FirmTypes(ids=ids, keys=tuple(index), first=np.array(first, dtype=np.int64))


def build_structure_features(profiles: Sequence[Profile], threshold: float) -> StructureFeatures:
    sectors = [firm_sectors(p) for p in profiles]
    stage = _one_hot([p.stages for p in profiles], STAGE_CODES)
    partnership = _one_hot([p.partnership_types for p in profiles], PARTNERSHIP_CODES)
    heavy = [tuple(sorted(heavy_dependencies(p, threshold).items())) for p in profiles]
    supplies = [supplied_materials(p, threshold) for p in profiles]
    keys = tuple(sorted({key for firm in heavy for key, _ in firm}))
    column = {key: k for k, key in enumerate(keys)}
    dependency = np.zeros((len(profiles), len(keys)), dtype=np.float32)
    supplier = np.zeros((len(profiles), len(keys)), dtype=np.float32)
    for r, profile in enumerate(profiles):
        for key, share in heavy[r]:
            dependency[r, column[key]] = share
        if supplies[r]:
            for k, (material, country) in enumerate(keys):
                supplier[r, k] = float(material in supplies[r] and profile.country != country)
    # A supplier's country matters only when it supplies something (see supplied_materials).
    supply_keys = [(h, m, p.country if m else "") for h, m, p in zip(heavy, supplies, profiles, strict=True)]
    return StructureFeatures(
        sector=_one_hot(sectors, SECTOR_CODES),
        stage=stage,
        stage_buyers=stage @ stage_flow_matrix(),
        partnership=partnership,
        partnership_fits=partnership @ partnership_matrix(),
        dependency=dependency,
        supplier=supplier,
        dependency_keys=keys,
        types={
            "sector": _group(sectors),
            "value_chain": _group([p.stages for p in profiles]),
            "partnership": _group([p.partnership_types for p in profiles]),
            "supply_security": _group(supply_keys),
        },
    )
