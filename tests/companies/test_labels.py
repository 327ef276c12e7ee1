from django.utils import translation

from companies.labels import choices, label, stage_choices
from companies.models import Company


def test_stage_choices_grouped_by_sector():
    groups = stage_choices()
    assert [name for name, _choices in groups] == ["Critical minerals", "Batteries", "Biotech"]
    assert ("batteries.cathode", "Cathode materials") in groups[1][1]


def test_label_ja_active_gives_japanese():
    with translation.override("ja"):
        assert (label("stage", "batteries.cathode"), label("country", "DE"), label("language", "fr")) == (
            "正極材",
            "ドイツ",
            "フランス語",
        )
    assert (label("stage", "batteries.cathode"), label("country", "DE")) == ("Cathode materials", "Germany")


def test_label_unknown_code_shows_the_code():
    assert label("stage", "no.such") == "no.such"


def test_choices_countries_sorted_by_label_in_each_language():
    assert choices("country")[:2] == [("AT", "Austria"), ("BE", "Belgium")]
    with translation.override("ja"):
        assert choices("country")[:2] == [("IE", "アイルランド"), ("IT", "イタリア")]


def test_model_display_follows_active_language():
    company = Company(country="JP", size_band="small")
    with translation.override("ja"):
        assert (company.get_country_display(), company.get_size_band_display()) == ("日本", "小規模")
    assert (company.get_country_display(), company.get_size_band_display()) == ("Japan", "Small (<50 staff, ≤ €10m)")
