"""The synthetic profile generator used by the benchmarks and demo data."""

import re

from companies.synthetic import generate_profiles
from matchmaking.engine import profile_from_dict


def test_generate_profiles_deterministic_for_a_seed() -> None:
    assert generate_profiles(50, 4) == generate_profiles(50, 4)
    assert generate_profiles(50, 4) != generate_profiles(50, 5)


def test_generate_profiles_count_ids_and_sides() -> None:
    firms = generate_profiles(101, 1)
    assert [f["id"] for f in firms] == list(range(1, 102))
    assert sum(f["side"] == "EU" for f in firms) == 51
    assert all((f["country"] == "JP") == (f["side"] == "JP") for f in firms)


def test_generate_profiles_true_partners_mutual_across_sides() -> None:
    firms = {f["id"]: f for f in generate_profiles(200, 2)}
    for firm in firms.values():
        partner = firms[firm["true_partner_id"]]
        assert partner["true_partner_id"] == firm["id"] and partner["side"] != firm["side"]


def test_generate_profiles_partners_share_no_name_or_city() -> None:
    firms = {f["id"]: f for f in generate_profiles(200, 3)}
    for firm in firms.values():
        partner = firms[firm["true_partner_id"]]
        words = set(re.findall(r"\w+", firm["name"]))
        assert not words & set(re.findall(r"\w+", partner["description"] + partner["offer"] + partner["seek"]))


def test_generate_profiles_japanese_text_is_japanese() -> None:
    japanese = [f for f in generate_profiles(200, 4) if f["language"] == "ja"]
    assert japanese and all(re.search(r"[\u3040-\u309f]", f["seek"]) for f in japanese)  # hiragana particles


def test_generate_profiles_become_engine_profiles() -> None:
    assert [profile_from_dict(f).id for f in generate_profiles(10, 1)] == list(range(1, 11))
