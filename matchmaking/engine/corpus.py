"""Partnership corpora in the partners-dev format, read as engine profiles and true pairs.

A corpus is a folder with ``firms.json`` (real firms: side, country name, sector, secondary
sectors, value-chain role, description / offers / seeks, and for Japanese firms the same texts in
Japanese) and ``partnerships.json`` (documented EU–JP deals). The firms carry no vocabulary
codes, so :func:`tick_codes` ticks the codes a firm would tick on our profile form, from its own
texts only (never from its partner's): stages, partnership types and materials by plain keyword
rules. The rules are deliberately generous, as firms filling a form are.

Nothing of a corpus is kept in the repository: benches and ``match_train`` read it where it lies.
"""

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from companies.vocabulary import MEMBER_COUNTRIES

from .records import Profile

SECTOR_CODES = {"minerals": "critical_minerals", "batteries": "batteries", "biotech": "biotech"}
COUNTRY_CODES = {english: code for code, (english, _) in MEMBER_COUNTRIES.items()}

# Stage -> English patterns in the firm's role, description and offers (what it does).
_STAGE_RULES: dict[str, str] = {
    "critical_minerals.exploration_mining": r"\bmin(e|es|ing|er|ers)\b|exploration|quarr|ore\b|concentrate",
    "critical_minerals.refining_processing": r"refin|smelt|processing|hydrometallurg|alumina|chemicals? produc",
    "critical_minerals.ree_separation": r"rare[- ]earth separation|separat\w+ of rare",
    "critical_minerals.magnets_alloys": r"magnet|alloy|ferroalloy",
    "critical_minerals.recycling": r"recycl|scrap|urban mining",
    "critical_minerals.trading_stockpiling": r"trading|stockpil|trader",
    "batteries.cathode": r"cathode|nmc|lfp|precursor",
    "batteries.anode": r"anode|graphite",
    "batteries.electrolyte_separator": r"electrolyte|separator",
    "batteries.cells": r"\bcells?\b(?! therap| cultur| line)|lithium-ion|battery maker|ultracapacitor",
    "batteries.modules_packs": r"battery packs?|modules?\b|battery system",
    "batteries.production_equipment": r"equipment|test system|machinery|instrument",
    "batteries.recycling": r"battery recycl",
    "batteries.vehicles_storage": r"carmaker|vehicle|motorcycle|\bev\b|energy storage|e-axle|powertrain|motor",
    "biotech.drug_discovery": r"drug discovery|discovery|research-based|preclinical|pipeline",
    "biotech.clinical_development": r"clinical|trial|regulatory|approval",
    "biotech.biologics_cdmo": r"cdmo|contract manufactur|biologics manufactur|gmp|manufacturing of (biolog|drug)",
    "biotech.diagnostics": r"diagnos",
    "biotech.platform_tech": r"platform|delivery technolog|expression system|antibody|vector",
    "biotech.biobased_materials": r"bio-?based|biomaterial|fermentation|probiotic",
}
# Partnership type -> English patterns in what the firm seeks.
_PARTNERSHIP_RULES: dict[str, str] = {
    "supply": r"customers?|buyers?|offtake|sell\b|markets? for",
    "purchase": r"suppl(y|ier|iers)|sources? of|secure|feedstock|raw material",
    "joint_venture": r"joint venture|\bjv\b",
    "rnd": r"co-?develop|research|r&d|joint development|collaborat",
    "licensing": r"licen[cs]|in-licen|out-licen|rights",
    "investment_sought": r"investors?|funding|capital|financ",
    "investment_offered": r"acqui|stake|invest in|equity",
    "distribution": r"distribut|commerciali[sz]|sales (force|partner|network)|market (it|them)",
    "joint_procurement": r"joint procurement|stockpil|jointly (buy|procure)",
}
_MATERIAL_RULES: dict[str, str] = {
    "aluminium": r"alumin|bauxite",
    "cobalt": r"cobalt",
    "copper": r"copper",
    "gallium": r"gallium",
    "germanium": r"germanium",
    "graphite": r"graphite",
    "lithium": r"lithium",
    "magnesium": r"magnesium",
    "manganese": r"manganese",
    "nickel": r"nickel",
    "lree": r"rare earth|neodymium|praseodymium",
    "hree": r"dysprosium|terbium",
    "silicon_metal": r"silicon metal|ferrosilicon",
    "tantalum": r"tantalum",
    "titanium": r"titanium",
    "tungsten": r"tungsten",
    "vanadium": r"vanadium",
    "pgm": r"platinum|palladium",
}


@dataclass(frozen=True)
class PartnerCorpus:
    """Profiles of a corpus (ids 1..n in file order) and its documented pairs as (EU id, JP id)."""

    profiles: tuple[Profile, ...]
    pairs: tuple[tuple[int, int], ...]
    sectors: tuple[str, ...]
    """The sector of each pair, as the corpus names it (minerals, batteries, biotech)."""
    names: dict[int, str]
    """Profile id -> the corpus's own firm id, for reports."""


def _ticked(rules: Mapping[str, str], text: str) -> tuple[str, ...]:
    return tuple(code for code, pattern in rules.items() if re.search(pattern, text, re.IGNORECASE))


def tick_codes(firm: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """The sectors, stages, partnership types and materials a firm would tick, from its own texts."""
    sectors = tuple(SECTOR_CODES[s] for s in [firm["sector"], *firm.get("secondary_sectors", [])])
    does = " ".join([firm.get("value_chain_role", ""), firm["description"], firm["offers"]])
    stages = tuple(s for s in _ticked(_STAGE_RULES, does) if s.split(".")[0] in sectors)
    return {
        "sectors": tuple(dict.fromkeys(sectors)),
        "stages": stages,
        "partnership_types": _ticked(_PARTNERSHIP_RULES, firm["seeks"]),
        "materials": _ticked(_MATERIAL_RULES, " ".join([does, firm["seeks"]])),
    }


def firm_profile(firm: Mapping[str, Any], profile_id: int, *, japanese: bool, codes: bool) -> Profile:
    """One corpus firm as a Profile: Japanese texts for a Japanese firm when `japanese`, the
    ticked codes when `codes` (else texts only, as a firm that skipped the coded fields)."""
    in_japanese = japanese and firm["side"] == "JP" and bool(firm.get("description_ja"))
    suffix = "_ja" if in_japanese else ""
    ticked = tick_codes(firm) if codes else {}
    return Profile(
        id=profile_id,
        side=firm["side"],
        country=COUNTRY_CODES.get(firm["country"], firm["country"][:2].upper()),
        sectors=ticked.get("sectors", ()),
        stages=ticked.get("stages", ()),
        partnership_types=ticked.get("partnership_types", ()),
        materials=ticked.get("materials", ()),
        description=firm["description" + suffix],
        offer=firm["offers" + suffix],
        seek=firm["seeks" + suffix],
        language="ja" if in_japanese else "en",
    )


def load_partner_corpus(folder: Path, *, japanese: bool = False, codes: bool = True) -> PartnerCorpus:
    """Read a partners-dev style corpus; raises FileNotFoundError when the folder lacks its files."""
    firms: Sequence[Mapping[str, Any]] = json.loads((folder / "firms.json").read_text(encoding="utf-8"))
    deals: Sequence[Mapping[str, Any]] = json.loads((folder / "partnerships.json").read_text(encoding="utf-8"))
    ids = {firm["id"]: i + 1 for i, firm in enumerate(firms)}
    return PartnerCorpus(
        profiles=tuple(firm_profile(f, ids[f["id"]], japanese=japanese, codes=codes) for f in firms),
        pairs=tuple((ids[d["eu_id"]], ids[d["jp_id"]]) for d in deals),
        sectors=tuple(str(d["sector"]) for d in deals),
        names={i: str(name) for name, i in ids.items()},
    )
