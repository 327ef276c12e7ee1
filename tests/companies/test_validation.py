import pytest
from django.core.exceptions import ValidationError

from companies.validation import detect_text_language, profile_clean

VALID = {
    "name": "Nordic Nickel Oy",
    "country": "fi",
    "sectors": ["critical_minerals"],
    "stages": ["critical_minerals.refining_processing"],
    "description": "We refine battery-grade nickel sulphate.",
}


def _errors(data: dict) -> dict:
    with pytest.raises(ValidationError) as info:
        profile_clean(data)
    return info.value.message_dict


def test_profile_clean_valid_normalises_country_and_detects_language():
    cleaned = profile_clean(VALID)
    assert cleaned["country"] == "FI"
    assert cleaned["text_language"] == "en"
    assert cleaned["ref"] is None
    assert cleaned["dependencies"] == []


def test_profile_clean_pipe_separated_lists_and_dependencies():
    cleaned = profile_clean({**VALID, "materials": "nickel|cobalt", "dependencies": "cobalt:CD:70|nickel:ID:40"})
    assert cleaned["materials"] == ["cobalt", "nickel"]
    assert cleaned["dependencies"] == [
        {"material": "cobalt", "source_country": "CD", "share_percent": 70},
        {"material": "nickel", "source_country": "ID", "share_percent": 40},
    ]


def test_profile_clean_missing_required_fields_named():
    assert _errors({}) == {
        "name": ["This field is required."],
        "country": ["This field is required."],
        "sectors": ["Choose at least one sector."],
    }


def test_profile_clean_country_outside_eu_and_japan_rejected():
    assert _errors({**VALID, "country": "US"}) == {
        "country": ["'US' is not an EU member state or Japan (ISO 3166 alpha-2)."]
    }


def test_profile_clean_unknown_vocabulary_value_rejected():
    assert _errors({**VALID, "materials": ["unobtainium"]}) == {
        "materials": ["Unknown value(s): unobtainium. See docs/vocabulary.md for the codes."]
    }


def test_profile_clean_stage_of_unchosen_sector_rejected():
    assert _errors({**VALID, "stages": ["biotech.diagnostics"]}) == {
        "stages": ["Stage(s) Diagnostics belong to a sector that is not chosen."]
    }


def test_profile_clean_bad_dependency_rows_listed_by_position():
    errors = _errors({**VALID, "dependencies": [
        {"material": "graphite", "source_country": "CN", "share_percent": 120},
        {"material": "graphite", "source_country": "XX", "share_percent": 10},
    ]})  # fmt: skip
    assert errors == {"dependencies": [
        "#1: share must be a whole percentage from 0 to 100.",
        "#2: 'XX' is not an ISO 3166 country code.",
    ]}  # fmt: skip


def test_profile_clean_bad_year_website_and_contact_email():
    errors = _errors(
        {**VALID, "year_founded": "19x8", "website": "ftp://x", "contacts": [{"name": "A", "email": "no"}]}
    )
    assert errors == {
        "year_founded": ["Enter a whole year, e.g. 1998."],
        "website": ["Enter a valid http(s) URL."],
        "contacts": ["#1: 'no' is not a valid e-mail address."],
    }


def test_profile_clean_partial_keeps_current_values():
    current = profile_clean(VALID)
    cleaned = profile_clean({"city": "Espoo"}, partial=True, current=current)
    assert (cleaned["name"], cleaned["city"]) == ("Nordic Nickel Oy", "Espoo")


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (("We refine nickel for cathodes.",), "en"),
        (("正極材向けのニッケルを精錬しています。",), "ja"),
        (("正極材を製造 / We manufacture cathode materials",), "en_ja"),
        (("NMC811 正極材",), "ja"),
    ],
)
def test_detect_text_language_by_script(texts, expected):
    assert detect_text_language(*texts) == expected


def test_profile_clean_wrong_shapes_are_field_errors_not_crashes():
    errors = _errors(
        {**VALID, "sectors": [["batteries"]], "contacts": ["Anna"], "website": "https://x.example/" + "a" * 200}
    )
    assert errors == {
        "sectors": ["Expected a list of codes."],
        "contacts": ["#1: expected an object with name, role, email, phone."],
        "website": ["At most 200 characters; this text has 218."],
    }


def test_profile_clean_contact_fields_too_long_rejected():
    errors = _errors({**VALID, "contacts": [{"name": "A" * 201, "phone": "1" * 41}]})
    assert errors == {"contacts": ["#1: name, phone too long."]}


def test_profile_clean_numbers_past_their_smallint_columns_are_field_errors():
    errors = _errors({**VALID, "year_founded": 40000, "dependencies": [
        {"material": "nickel", "source_country": "ID", "share_percent": 40000}
    ]})  # fmt: skip

    assert errors["year_founded"] == ["Enter a year between 1600 and 2100."]
    assert errors["dependencies"] == ["#1: share must be a whole percentage from 0 to 100."]
