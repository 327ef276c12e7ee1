"""The hand-written corpora of bench/matching_heldout.py (pure data, no database).

heldout_firms.json is the test set, dev_firms.json the development set; both are checked alike,
and against each other (no shared firm, no shared text).
"""

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from companies.vocabulary import (
    EU_COUNTRIES,
    ISO_COUNTRY_CODES,
    JAPAN,
    MATERIALS,
    PARTNERSHIP_TYPES,
    SECTORS,
    STAGES,
    sector_of_stage,
    side_of,
)
from matchmaking.engine import Profile, profile_from_dict

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"
CORPORA = {"heldout_firms.json": 900001, "dev_firms.json": 910001}  # file -> first id of its reserved range
GROUPS = {"en_en": "en", "en_jp_english": "en", "en_ja": "ja", "en_ja_paraphrase": "ja"}  # group -> JP language
TEXTS = ("description", "offer", "seek")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")  # kana and kanji
KANA = re.compile(r"[\u3040-\u30ff]")


def load(name: str) -> list[dict[str, Any]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture(scope="module", params=list(CORPORA))
def corpus(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def firms(corpus: str) -> list[dict[str, Any]]:
    return load(corpus)


@pytest.fixture(scope="module")
def by_id(firms: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {f["id"]: f for f in firms}


def test_ids_unique_and_in_the_reserved_range(corpus: str, firms: list[dict[str, Any]]) -> None:
    ids = [f["id"] for f in firms]
    assert len(ids) == len(set(ids)) == 120
    first = CORPORA[corpus]
    assert sorted(ids) == list(range(first, first + 120))


def test_codes_are_those_of_the_vocabulary(firms: list[dict[str, Any]]) -> None:
    for f in firms:
        where = f"firm {f['id']}"
        assert f["side"] in ("EU", "JP"), where
        assert (f["country"] in EU_COUNTRIES) if f["side"] == "EU" else (f["country"] == JAPAN), where
        assert side_of(f["country"]) == f["side"], where
        assert f["sectors"] and set(f["sectors"]) <= set(SECTORS), where
        assert f["stages"] and set(f["stages"]) <= set(STAGES), where
        assert {sector_of_stage(s) for s in f["stages"]} <= set(f["sectors"]), where
        assert f["partnership_types"] and set(f["partnership_types"]) <= set(PARTNERSHIP_TYPES), where
        assert set(f["materials"]) <= set(MATERIALS), where
        for dependency in f["supply_dependencies"]:
            assert dependency["material"] in MATERIALS, where
            assert dependency["source_country"] in ISO_COUNTRY_CODES, where
            assert 0 < dependency["share_percent"] <= 100, where
        for name in ("sectors", "stages", "partnership_types", "materials"):
            assert len(f[name]) == len(set(f[name])), f"{where}: duplicate {name}"


def test_true_partners_exist_on_the_other_side_and_point_back(
    firms: list[dict[str, Any]], by_id: dict[int, dict[str, Any]]
) -> None:
    for f in firms:
        partner = by_id[f["true_partner_id"]]
        assert partner["side"] != f["side"], f["id"]
        assert partner["true_partner_id"] == f["id"], f["id"]
        assert partner["heldout_group"] == f["heldout_group"], f["id"]


def test_sixty_pairs_fifteen_per_writing_group(firms: list[dict[str, Any]]) -> None:
    eu = [f for f in firms if f["side"] == "EU"]
    assert len(eu) == 60
    assert Counter(f["heldout_group"] for f in eu) == dict.fromkeys(GROUPS, 15)


def test_languages_as_declared(firms: list[dict[str, Any]]) -> None:
    for f in firms:
        expected = "en" if f["side"] == "EU" else GROUPS[f["heldout_group"]]
        assert f["language"] == expected, f["id"]
        for name in TEXTS:
            text = f[name]
            if f["language"] == "ja":
                assert KANA.search(text), f"firm {f['id']} {name} is not Japanese"
            else:
                assert not JAPANESE.search(text), f"firm {f['id']} {name} is not English"
        if f["language"] == "en":
            assert not any(JAPANESE.search(k) for k in f["keywords"]), f["id"]


def test_texts_and_keywords_are_filled_in(firms: list[dict[str, Any]]) -> None:
    for f in firms:
        assert all(len(f[name]) >= 40 for name in TEXTS), f["id"]
        assert isinstance(f["keywords"], list) and len(f["keywords"]) >= 3, f["id"]
    descriptions = [f["description"] for f in firms]
    assert len(set(descriptions)) == len(descriptions)


def test_profile_from_dict_accepts_every_firm(firms: list[dict[str, Any]]) -> None:
    for f in firms:
        profile = profile_from_dict(f)
        assert isinstance(profile, Profile)
        assert profile.id == f["id"] and profile.language == f["language"]
        assert len(profile.supply_dependencies) == len(f["supply_dependencies"])


def test_the_corpora_share_no_firm_and_no_text() -> None:
    heldout, dev = (load(name) for name in CORPORA)
    assert not {f["id"] for f in heldout} & {f["id"] for f in dev}
    for name in TEXTS:
        shared = {f[name].strip() for f in heldout} & {f[name].strip() for f in dev}
        assert not shared, f"{name} in both corpora: {sorted(shared)[:3]}"
    # nor the same text under another field (a held-out offer reused as a dev seek, say)
    assert not {f[n].strip() for f in heldout for n in TEXTS} & {f[n].strip() for f in dev for n in TEXTS}
