"""One table of text limits (companies.limits), enforced at every door: the database, the forms,
the API and the import. An 81,000-character description is a field error everywhere, never a 500."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from companies import limits
from companies.forms import ContactRowForm, ProfileForm
from companies.importing import companies_import
from companies.models import Company, ContactPerson
from companies.services import company_reject
from companies.validation import profile_clean
from tests.clients import api, web
from tests.companies.profile_posts import profile_post
from tests.factories import CompanyFactory, UserFactory

HUGE = "x" * 81_000
TOO_LONG_DESCRIPTION = "At most 2000 characters; this text has 81000."
VALID = {"name": "Firm One", "country": "DE", "sectors": ["batteries"]}


def test_model_columns_take_their_limits_from_the_table():
    for name, limit in limits.COMPANY.items():
        column = Company._meta.get_field(name)
        assert getattr(column, "max_length", None) == limit or name in limits.COMPANY_TEXTS, name
    assert {name: ContactPerson._meta.get_field(name).max_length for name in limits.CONTACT} == limits.CONTACT


@pytest.mark.parametrize("name", limits.COMPANY_TEXTS)
def test_database_refuses_a_free_text_over_its_limit(db, name):
    company = CompanyFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Company.objects.filter(pk=company.pk).update(**{name: "x" * (limits.COMPANY[name] + 1)})


def test_database_takes_a_free_text_at_its_limit(db):
    company = CompanyFactory(description="語" * limits.COMPANY["description"])

    company.refresh_from_db()
    assert len(company.description) == 2000


def test_profile_clean_refuses_each_text_over_its_limit():
    data = {
        **VALID,
        **{name: "a" * (limits.COMPANY[name] + 1) for name in ("description", "offer", "seek", "keywords")},
    }

    with pytest.raises(ValidationError) as raised:
        profile_clean(data)

    assert raised.value.message_dict == {
        "description": ["At most 2000 characters; this text has 2001."],
        "offer": ["At most 1000 characters; this text has 1001."],
        "seek": ["At most 1000 characters; this text has 1001."],
        "keywords": ["At most 500 characters; this text has 501."],
    }


def test_form_page_shows_a_field_error_for_a_huge_description(db):
    client = web(UserFactory())

    response = client.post(reverse("companies:register"), profile_post(description=HUGE))

    assert response.status_code == 200
    assert response.context["form"].errors == {"description": [TOO_LONG_DESCRIPTION]}
    assert Company.objects.count() == 0


def test_form_widgets_carry_the_limits_for_the_count_while_typing():
    form = ProfileForm()

    attrs = {name: form.fields[name].widget.attrs for name in ("name", "description", "keywords")}
    assert attrs["name"] == {"data-char-limit": 200, "maxlength": 200}
    assert attrs["description"] == {
        "cols": "40",
        "rows": 4,
        "data-char-limit": 2000,
    }  # no maxlength: a paste is not cut
    assert attrs["keywords"] == {"data-char-limit": 500, "maxlength": 500}
    assert form.fields["description"].help_text == "At most 2000 characters."
    assert ContactRowForm().fields["phone"].widget.attrs == {"data-char-limit": 40, "maxlength": 40}


def test_profile_page_loads_the_counter_script(db, member_a):
    response = web(member_a).get(reverse("companies:my_profile"))

    page = response.content.decode()
    assert '<script src="/static/js/char-count.js"></script>' in page
    assert 'data-char-limit="2000"' in page


def test_api_refuses_a_huge_description_with_a_field_error(db):
    response = api(UserFactory()).post("/api/v1/companies/", {**VALID, "description": HUGE}, format="json")

    assert (response.status_code, response.json()) == (
        400, {"description": ["Ensure this field has no more than 2000 characters."]}
    )  # fmt: skip
    assert Company.objects.count() == 0


def test_api_patch_refuses_a_huge_description(db, member_a, company_a):
    response = api(member_a).patch(f"/api/v1/companies/{company_a.pk}/", {"description": HUGE}, format="json")

    assert (response.status_code, list(response.json())) == (400, ["description"])
    company_a.refresh_from_db()
    assert len(company_a.description) < 100


def test_import_lists_a_huge_description_as_a_row_error(db):
    content = json.dumps([{**VALID, "description": HUGE}]).encode()

    result = companies_import(content=content, filename="firms.json", user=None, approve=False)

    assert [(e.row, e.field, e.reason) for e in result.errors] == [(1, "description", TOO_LONG_DESCRIPTION)]
    assert Company.objects.count() == 0


def test_reject_reason_over_its_limit_is_refused_by_the_service_and_the_api(db, admin_user):
    company = CompanyFactory(status="submitted")

    with pytest.raises(ValidationError) as raised:
        company_reject(company=company, admin=admin_user, reason=HUGE)
    response = api(admin_user).post(f"/api/v1/companies/{company.pk}/reject/", {"reason": HUGE}, format="json")

    assert raised.value.message_dict == {"reason": ["At most 2000 characters."]}
    assert (response.status_code, list(response.json())) == (400, ["reason"])
    company.refresh_from_db()
    assert company.status == "submitted"
