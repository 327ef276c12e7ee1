import pytest

from companies.enums import CompanyStatus
from companies.forms import DirectoryFilterForm, ModerationForm, ProfileForm
from tests.companies.profile_posts import profile_post
from tests.factories import CompanyFactory, SupplyDependencyFactory

pytestmark = pytest.mark.django_db


def test_profile_form_valid_gives_profile_clean_output():
    form = ProfileForm(profile_post())
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "ref": None,
        "name": "Gamma Anode Oy",
        "name_ja": "",
        "country": "FI",
        "region": "Uusimaa",
        "city": "Espoo",
        "website": "https://gamma.example",
        "size_band": "small",
        "year_founded": 2012,
        "sectors": ["batteries"],
        "stages": ["batteries.anode"],
        "partnership_types": ["rnd", "supply"],
        "materials": ["graphite"],
        "languages": ["en", "fi"],
        "description": "We make synthetic graphite anode material.",
        "offer": "Anode material for cell makers.",
        "seek": "Japanese cell makers and precursor suppliers.",
        "keywords": "graphite, anode",
        "text_language": "en",
        "dependencies": [{"material": "graphite", "source_country": "CN", "share_percent": 70}],
        "contacts": [{"name": "Olli Virtanen", "role": "CEO", "email": "olli@gamma.example", "phone": "+358 9 1"}],
    }


def test_profile_form_bad_year_message_on_year_field():
    form = ProfileForm(profile_post(year_founded="1450"))
    assert not form.is_valid()
    assert form.errors == {"year_founded": ["Enter a year between 1600 and 2100."]}


def test_profile_form_year_not_a_number_message():
    form = ProfileForm(profile_post(year_founded="twenty"))
    assert not form.is_valid()
    assert form.errors["year_founded"] == ["Enter a whole year, e.g. 1998."]


def test_profile_form_stage_of_sector_not_chosen_message_on_stages():
    form = ProfileForm(profile_post(stages=["batteries.anode", "biotech.diagnostics"]))
    assert not form.is_valid()
    assert form.errors == {"stages": ["Stage(s) Diagnostics belong to a sector that is not chosen."]}


def test_profile_form_unknown_country_message_on_country():
    form = ProfileForm(profile_post(country="US"))
    assert not form.is_valid()
    assert form.errors == {"country": ["'US' is not an EU member state or Japan (ISO 3166 alpha-2)."]}


def test_profile_form_missing_name_and_sector_are_required():
    form = ProfileForm(profile_post(name="  ", sectors=[], stages=[]))
    assert not form.is_valid()
    assert form.errors == {"name": ["This field is required."], "sectors": ["Choose at least one sector."]}


def test_profile_form_unknown_material_code_reported_by_profile_clean():
    form = ProfileForm(profile_post(materials=["graphite", "unobtainium"]))
    assert not form.is_valid()
    assert form.errors["materials"] == ["Unknown value(s): unobtainium. See docs/vocabulary.md for the codes."]


def test_profile_form_dependency_row_error_attached_to_its_row():
    # Row 1 is left empty, so the second filled-in row ("#2" for profile_clean) is the form's third row.
    dependencies = [
        {"material": "graphite", "source_country": "CN", "share_percent": "70"},
        {"material": "", "source_country": "", "share_percent": ""},
        {"material": "nickel", "source_country": "ID", "share_percent": "140"},
    ]
    form = ProfileForm(profile_post(dependencies=dependencies))
    assert not form.is_valid()
    assert form.dependencies.forms[2].non_field_errors() == ["share must be a whole percentage from 0 to 100."]
    assert form.dependencies.forms[0].non_field_errors() == []
    assert form.non_field_errors() == ["Check the rows of supply dependencies marked below."]


def test_profile_form_contact_bad_email_attached_to_row():
    form = ProfileForm(profile_post(contacts=[{"name": "Olli", "role": "", "email": "olli-at-gamma", "phone": ""}]))
    assert not form.is_valid()
    assert form.contacts.forms[0].non_field_errors() == ["'olli-at-gamma' is not a valid e-mail address."]


def test_profile_form_rows_marked_delete_or_empty_are_dropped():
    dependencies = [
        {"material": "graphite", "source_country": "CN", "share_percent": "70", "DELETE": "on"},
        {"material": "nickel", "source_country": "ID", "share_percent": "40"},
    ]
    form = ProfileForm(profile_post(dependencies=dependencies, contacts=[]))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["dependencies"] == [{"material": "nickel", "source_country": "ID", "share_percent": 40}]
    assert form.cleaned_data["contacts"] == []


def test_profile_form_edit_initial_from_company(company_a):
    SupplyDependencyFactory(company=company_a, material="cobalt", source_country="CD", share_percent=60)
    form = ProfileForm(company=company_a)
    assert form["name"].value() == "Alpha Cathodes GmbH"
    assert form["sectors"].value() == ["batteries"]
    assert [row.initial for row in form.dependencies.forms[:1]] == [
        {"material": "cobalt", "source_country": "CD", "share_percent": 60}
    ]
    assert form.contacts.forms[0].initial["email"] == "anna@alpha.example"
    assert len(form.contacts.forms) == 2  # the contact plus one empty row


def test_profile_form_edit_keeps_fields_not_on_the_form():
    company = CompanyFactory(ref="IMPORT-7")
    form = ProfileForm(profile_post(), company=company)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["ref"] == "IMPORT-7"


def test_profile_form_without_row_management_data_keeps_current_rows(company_a):
    data = {k: v for k, v in profile_post().items() if not k.startswith(("dep-", "contact-"))}
    form = ProfileForm(data, company=company_a)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["contacts"] == [
        {
            "name": "Anna Example",
            "role": "Head of procurement",
            "email": "anna@alpha.example",
            "phone": "+49 30 1234567",
        }
    ]


def test_directory_filter_form_ignores_invalid_values():
    form = DirectoryFilterForm({"q": "正極材", "side": "JP", "country": "XX", "sector": "batteries"})
    assert form.filters() == {
        "query": "正極材",
        "side": "JP",
        "country": "",
        "sector": "batteries",
        "stage": "",
        "material": "",
        "partnership_type": "",
    }


def test_moderation_form_reject_needs_reason():
    company = CompanyFactory(status=CompanyStatus.SUBMITTED)
    form = ModerationForm({"companies": [company.pk], "action": "reject", "reason": " "})
    assert not form.is_valid()
    assert form.errors == {"reason": ["Say why the profiles are rejected; the firm will read it."]}


def test_moderation_form_rejects_profile_not_waiting_for_review():
    company = CompanyFactory(status=CompanyStatus.APPROVED)
    form = ModerationForm({"companies": [company.pk], "action": "approve"})
    assert not form.is_valid()
    assert form.errors == {"companies": ["A selected profile is no longer waiting for review."]}
