import json

import pytest
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from accounts.services import user_token_issue
from companies.enums import ChangeAction, CompanyStatus, MemberRole
from companies.models import Company, Membership
from tests.factories import CompanyFactory, MembershipFactory, SupplyDependencyFactory, UserFactory

LIST = "/api/v1/companies/"
ME = "/api/v1/companies/me/"
ANONYMOUS_REFUSED = {"detail": "Authentication credentials were not provided."}
NOT_FOUND = {"detail": "No such company."}
NOT_ADMIN = {"detail": "You do not have permission to perform this action."}
NOT_EDITOR = {"detail": "Only the company's members and admins can change this profile."}
NOT_DELETER = {"detail": "Only the company's owner and admins can delete this profile."}
NOT_MEMBER = {"detail": "Only the company's members can download its data."}
ANNA = {"name": "Anna Example", "role": "Head of procurement", "email": "anna@alpha.example", "phone": "+49 30 1234567"}


def _url(company: Company, action: str = "") -> str:
    return f"/api/v1/companies/{company.pk}/" + (f"{action}/" if action else "")


@pytest.fixture
def client_as(request, db):
    """An API client logged in (session) as one of: anonymous, member_a, member_b, admin."""

    def make(who: str) -> APIClient:
        client = APIClient()
        if who != "anonymous":
            client.force_login(request.getfixturevalue("admin_user" if who == "admin" else who))
        return client

    return make


def _profile(**fields: object) -> dict:
    return {"name": "Gamma Anodes SAS", "country": "FR", "sectors": ["batteries"], "stages": ["batteries.anode"],
            **fields}  # fmt: skip


# The permission matrix ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", (404, NOT_FOUND)), ("member_a", (200, None)), ("member_b", (404, NOT_FOUND)),
     ("admin", (200, None))],
)  # fmt: skip
def test_retrieve_draft_permission_matrix(client_as, member_a, member_b, draft_a, who, expected):
    response = client_as(who).get(_url(draft_a))

    status, body = expected
    assert response.status_code == status
    assert response.json() == (body or {**response.json(), "id": draft_a.pk, "status": CompanyStatus.DRAFT})


@pytest.mark.parametrize("who", ["anonymous", "member_a", "member_b", "admin"])
def test_retrieve_approved_is_public(client_as, member_a, member_b, company_a, who):
    response = client_as(who).get(_url(company_a))

    assert (response.status_code, response.json()["name"], response.json()["side"]) == (200, company_a.name, "EU")


@pytest.mark.parametrize(
    ("who", "expected_names"),
    [
        ("anonymous", ["Alpha Cathodes GmbH"]),
        ("member_a", ["Alpha Cathodes GmbH"]),
        ("member_b", ["Alpha Cathodes GmbH"]),
        ("admin", ["Alpha Cathodes GmbH", "Beta Refining KK"]),
    ],
)
def test_list_shows_drafts_to_admins_only(client_as, member_a, member_b, company_a, company_b, who, expected_names):
    Company.objects.filter(pk=company_b.pk).update(status=CompanyStatus.DRAFT)

    response = client_as(who).get(LIST)

    assert response.status_code == 200
    assert [item["name"] for item in response.json()["results"]] == expected_names


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", (401, ANONYMOUS_REFUSED)), ("member_a", (202, None)), ("member_b", (403, NOT_EDITOR)),
     ("admin", (200, None))],
)  # fmt: skip
def test_update_permission_matrix(client_as, member_a, member_b, company_a, who, expected):
    # company_a is approved: its member's edit waits for review (202), an admin's applies at once.
    response = client_as(who).patch(_url(company_a), {"city": "Leipzig"}, format="json")

    status, body = expected
    assert response.status_code == status
    if status == 202:
        assert response.json()["proposed"] == {"city": "Leipzig"}
    else:
        assert response.json() == (body or {**response.json(), "city": "Leipzig"})
    company_a.refresh_from_db()
    assert company_a.city == ("Leipzig" if status == 200 else "Berlin")


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", (401, ANONYMOUS_REFUSED)), ("member_a", (204, None)), ("member_b", (403, NOT_DELETER)),
     ("admin", (204, None))],
)  # fmt: skip
def test_delete_permission_matrix(client_as, member_a, member_b, company_a, who, expected):
    response = client_as(who).delete(_url(company_a), {"confirm_name": "Alpha Cathodes GmbH"}, format="json")

    status, body = expected
    assert response.status_code == status
    assert (response.json() if body else response.content) == (body or b"")
    assert Company.objects.filter(pk=company_a.pk).exists() is (status != 204)


def test_delete_by_a_member_who_is_not_the_owner_is_refused(company_a):
    colleague = MembershipFactory(company=company_a, role=MemberRole.MEMBER).user
    client = APIClient()
    client.force_login(colleague)

    response = client.delete(_url(company_a))

    assert (response.status_code, response.json()) == (403, NOT_DELETER)


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", (401, ANONYMOUS_REFUSED)), ("member_a", (200, None)), ("member_b", (404, NOT_FOUND)),
     ("admin", (200, None))],
)  # fmt: skip
def test_submit_permission_matrix(client_as, member_a, member_b, draft_a, who, expected):
    response = client_as(who).post(_url(draft_a, "submit"))

    status, body = expected
    assert response.status_code == status
    assert response.json() == (body or {**response.json(), "status": CompanyStatus.SUBMITTED})


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", (401, ANONYMOUS_REFUSED)), ("member_a", (403, NOT_ADMIN)), ("member_b", (403, NOT_ADMIN)),
     ("admin", (200, None))],
)  # fmt: skip
def test_approve_permission_matrix(client_as, member_a, member_b, submitted_a, who, expected):
    response = client_as(who).post(_url(submitted_a, "approve"))

    status, body = expected
    assert response.status_code == status
    assert response.json() == (body or {**response.json(), "status": CompanyStatus.APPROVED})


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", (401, ANONYMOUS_REFUSED)), ("member_a", (403, NOT_ADMIN)), ("member_b", (403, NOT_ADMIN)),
     ("admin", (200, None))],
)  # fmt: skip
def test_reject_permission_matrix(client_as, member_a, member_b, submitted_a, who, expected):
    response = client_as(who).post(_url(submitted_a, "reject"), {"reason": "Add your products."}, format="json")

    status, body = expected
    assert response.status_code == status
    if body:
        assert response.json() == body
    else:
        assert (response.json()["status"], response.json()["rejection_reason"]) == ("rejected", "Add your products.")


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", (401, ANONYMOUS_REFUSED)), ("member_a", (200, "Alpha Cathodes GmbH")),
     ("member_b", (200, "Beta Refining KK")), ("admin", (404, {"detail": "You do not belong to a company."}))],
)  # fmt: skip
def test_me_permission_matrix(client_as, member_a, member_b, who, expected):
    response = client_as(who).get(ME)

    status, body = expected
    assert response.status_code == status
    assert (response.json()["name"] if status == 200 else response.json()) == body


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", (401, ANONYMOUS_REFUSED)), ("member_a", (200, None)), ("member_b", (403, NOT_MEMBER)),
     ("admin", (403, NOT_MEMBER))],
)  # fmt: skip
def test_download_permission_matrix(client_as, member_a, member_b, company_a, who, expected):
    response = client_as(who).get(_url(company_a, "download"))

    status, body = expected
    assert response.status_code == status
    if body:
        assert response.json() == body
    else:
        assert response["Content-Disposition"] == f'attachment; filename="kizuna-company-{company_a.pk}.json"'
        data = json.loads(response.content)
        assert (data["profile"]["name"], data["contacts"], data["members"][0]["email"]) == (
            "Alpha Cathodes GmbH", [ANNA], member_a.email,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", (401, ANONYMOUS_REFUSED)), ("member_a", (400, None)), ("admin", (201, None))],
)
def test_create_permission_matrix(client_as, member_a, who, expected):
    response = client_as(who).post(LIST, _profile(), format="json")

    status, body = expected
    assert response.status_code == status
    if status == 400:
        assert response.json() == {"non_field_errors": ["You already belong to a company."]}
    elif status in (401, 403):
        assert response.json() == body
    else:
        assert (response.json()["name"], response.json()["status"]) == ("Gamma Anodes SAS", CompanyStatus.DRAFT)


# Behaviour ---------------------------------------------------------------------------------------


def test_create_makes_the_user_owner_and_records_history(db):
    user = UserFactory()
    client = APIClient()
    client.force_login(user)

    response = client.post(
        LIST, _profile(contacts=[{"name": "Luc Martin", "email": "luc@gamma.example"}]), format="json"
    )

    assert response.status_code == 201
    company = Company.objects.get(pk=response.json()["id"])
    assert list(Membership.objects.values_list("user", "company", "role")) == [(user.pk, company.pk, MemberRole.OWNER)]
    assert list(company.changes.values_list("action", flat=True)) == [ChangeAction.CREATED]
    assert response.json()["contacts"] == [
        {"name": "Luc Martin", "role": "", "email": "luc@gamma.example", "phone": ""}
    ]


def test_create_ignores_ref_and_status_in_the_body(db):
    client = APIClient()
    client.force_login(UserFactory())

    response = client.post(LIST, _profile(ref="taken", status="approved"), format="json")

    assert (response.json()["ref"], response.json()["status"]) == (None, CompanyStatus.DRAFT)


def test_update_put_replaces_the_profile(client_as, member_a, draft_a):
    company_a = draft_a
    response = client_as("member_a").put(_url(company_a), _profile(name="Alpha Anodes GmbH"), format="json")

    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["country"], body["city"], body["stages"], body["contacts"]) == (
        "Alpha Anodes GmbH", "FR", "", ["batteries.anode"], [],
    )  # fmt: skip


def test_update_patch_keeps_other_fields_and_records_the_change(client_as, member_a, draft_a):
    company_a = draft_a
    response = client_as("member_a").patch(_url(company_a), {"keywords": "NMC, LFP"}, format="json")

    assert (response.json()["keywords"], response.json()["contacts"]) == ("NMC, LFP", [ANNA])
    assert company_a.changes.get().changes == {"keywords": ["", "NMC, LFP"]}


def test_update_patch_keeps_the_ref_of_an_imported_company(client_as, member_a, draft_a):
    company_a = draft_a
    Company.objects.filter(pk=company_a.pk).update(ref="ext-1")

    response = client_as("member_a").put(_url(company_a), _profile(), format="json")

    assert response.json()["ref"] == "ext-1"


def test_reject_without_reason_is_a_400(client_as, admin_user, submitted_a):
    response = client_as("admin").post(_url(submitted_a, "reject"), {}, format="json")

    assert (response.status_code, response.json()) == (400, {"reason": ["This field is required."]})


def test_approve_an_approved_profile_is_a_400(client_as, admin_user, company_a):
    response = client_as("admin").post(_url(company_a, "approve"))

    assert (response.status_code, response.json()) == (400, {"status": ["Cannot move a approved profile to approved."]})


def test_approve_e_mails_the_members(
    client_as, admin_user, member_a, submitted_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_as("admin").post(_url(submitted_a, "approve"))

    assert [(m.subject, m.to) for m in mailoutbox] == [("Your profile is approved", [member_a.email])]


# Contacts -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", None), ("member_a", [ANNA]), ("member_b", None), ("admin", [ANNA])],
)
def test_contacts_appear_only_to_those_who_may_see_them(client_as, member_a, member_b, company_a, who, expected):
    assert client_as(who).get(_url(company_a)).json()["contacts"] == expected


def test_list_never_carries_contacts(client_as, admin_user, company_a):
    assert "contacts" not in client_as("admin").get(LIST).json()["results"][0]


# Authentication -------------------------------------------------------------------------------------


def test_token_authentication_reaches_my_company(member_a):
    key, _token = user_token_issue(user=member_a)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = client.get(ME)

    assert (response.status_code, response.json()["name"]) == (200, "Alpha Cathodes GmbH")


def test_bad_token_is_refused(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token nope")

    response = client.get(ME)

    # 401 with a WWW-Authenticate header: token authentication comes first in settings.
    assert (response.status_code, response.json()) == (401, {"detail": "Invalid token."})
    assert response["WWW-Authenticate"] == "Token"


# Filters and pagination -----------------------------------------------------------------------------


@pytest.fixture
def directory(company_a, company_b):
    CompanyFactory(name="Gamma Biologics KK", country="JP", sectors=["biotech"], stages=["biotech.biologics_cdmo"],
                   materials=[], partnership_types=["licensing"], description="抗体医薬品の受託製造を行っています。",
                   offer="抗体の製造", seek="臨床開発の提携先")  # fmt: skip
    CompanyFactory(name="Delta Draft SA", country="FR", status=CompanyStatus.DRAFT)


def _names(response) -> list[str]:
    return [item["name"] for item in response.json()["results"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Alpha Cathodes GmbH", "Beta Refining KK", "Gamma Biologics KK"]),
        ("q=受託製造", ["Gamma Biologics KK"]),
        ("q=cathode", ["Alpha Cathodes GmbH", "Beta Refining KK"]),
        ("q=osaka", ["Beta Refining KK"]),
        ("side=JP", ["Beta Refining KK", "Gamma Biologics KK"]),
        ("side=EU", ["Alpha Cathodes GmbH"]),
        ("country=DE", ["Alpha Cathodes GmbH"]),
        ("sector=biotech", ["Gamma Biologics KK"]),
        ("stage=critical_minerals.refining_processing", ["Beta Refining KK"]),
        ("material=nickel", ["Alpha Cathodes GmbH", "Beta Refining KK"]),
        ("partnership_type=supply", ["Beta Refining KK"]),
        ("side=JP&sector=batteries", ["Beta Refining KK"]),
    ],
)
def test_list_filters(client_as, directory, query, expected):
    response = client_as("anonymous").get(f"{LIST}?{query}")

    assert _names(response) == expected


def test_list_status_filter_for_admins(client_as, admin_user, directory):
    assert _names(client_as("admin").get(f"{LIST}?status=draft")) == ["Delta Draft SA"]


def test_list_status_filter_shows_nothing_hidden_to_others(client_as, directory):
    assert _names(client_as("anonymous").get(f"{LIST}?status=draft")) == []


def test_list_unknown_filter_code_is_a_400_naming_the_parameter(client_as, directory):
    response = client_as("anonymous").get(f"{LIST}?country=US&sector=space")

    assert (response.status_code, response.json()) == (400, {
        "country": ["Select a valid choice. US is not one of the available choices."],
        "sector": ["Select a valid choice. space is not one of the available choices."],
    })  # fmt: skip


def test_list_is_paginated_by_50(client_as, db):
    CompanyFactory.create_batch(51)

    first = client_as("anonymous").get(LIST).json()
    second = client_as("anonymous").get(f"{LIST}?page=2").json()

    assert (first["count"], len(first["results"]), first["next"]) == (
        51,
        50,
        "http://testserver/api/v1/companies/?page=2",
    )
    assert (len(second["results"]), second["next"], second["previous"]) == (
        1,
        None,
        "http://testserver/api/v1/companies/",
    )


@pytest.mark.parametrize("who", ["anonymous", "member_a", "admin"])
def test_list_query_count_does_not_grow_with_companies(client_as, member_a, django_assert_max_num_queries, who):
    for company in CompanyFactory.create_batch(30):
        SupplyDependencyFactory(company=company)
    client = client_as(who)

    with django_assert_max_num_queries(5):
        response = client.get(LIST)

    assert len(response.json()["results"]) == 31


# Invalid input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (_profile(country="US"), {"country": ["'US' is not an EU member state or Japan (ISO 3166 alpha-2)."]}),
        (_profile(stages=["batteries.anodes"]),
         {"stages": ["Unknown value(s): batteries.anodes. See docs/vocabulary.md for the codes."
                     " Did you mean “batteries.anode” for “batteries.anodes”?"]}),
        (_profile(stages=["biotech.diagnostics"]),
         {"stages": ["Stage(s) Diagnostics belong to a sector that is not chosen."]}),
        (_profile(sectors="batteries"), {"sectors": ['Expected a list of items but got type "str".']}),
        (_profile(year_founded="old"), {"year_founded": ["A valid integer is required."]}),
        (_profile(name=["x"]), {"name": ["Not a valid string."]}),
        (_profile(dependencies=[{"material": "graphite", "source_country": "CN", "share_percent": 180}]),
         {"dependencies": ["#1: share must be a whole percentage from 0 to 100."]}),
        (_profile(contacts=[{"name": "Luc", "email": "luc@"}]),
         {"contacts": ["#1: 'luc@' is not a valid e-mail address."]}),
        (_profile(contacts="Luc"),
         {"contacts": {"non_field_errors": ['Expected a list of items but got type "str".']}}),
        ({"country": "FR"}, {"name": ["This field is required."], "sectors": ["This field is required."]}),
        (_profile(website="ftp://x", size_band="huge"),
         {"website": ["Enter a valid http(s) URL."],
          "size_band": ["Unknown size band; use one of micro, small, medium, large."]}),
        (_profile(website="https://example.com/" + "a" * 200, contacts=[{"name": "Luc", "phone": "1" * 41}]),
         {"website": ["Ensure this field has no more than 200 characters."],
          "contacts": {"0": {"phone": ["Ensure this field has no more than 40 characters."]}}}),
        ([_profile()], {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}),
        ("a string", {"non_field_errors": ["Invalid data. Expected a dictionary, but got str."]}),
    ],
)  # fmt: skip
def test_create_bad_input_is_a_400_with_field_level_reasons(db, body, errors):
    client = APIClient()
    client.force_login(UserFactory())

    response = client.post(LIST, body, format="json")

    assert (response.status_code, response.json()) == (400, errors)
    assert Company.objects.count() == 0


def test_update_bad_input_accept_language_ja_gives_japanese_reasons(client_as, member_a, company_a):
    body = {"country": "CN", "contacts": [{"name": "Luc", "email": "luc@"}]}
    response = client_as("member_a").patch(_url(company_a), body, format="json", HTTP_ACCEPT_LANGUAGE="ja")

    assert (response.status_code, response.json()) == (400, {
        "country": ["「CN」はEU加盟国または日本の国コード（ISO 3166 alpha-2）ではありません。"],
        "contacts": ["#1: 「luc@」は有効なメールアドレスではありません。"],
    })  # fmt: skip


def test_update_by_other_firm_accept_language_ja_refused_in_japanese(client_as, member_b, company_a):
    response = client_as("member_b").patch(_url(company_a), {"city": "Bonn"}, format="json", HTTP_ACCEPT_LANGUAGE="ja")

    assert (response.status_code, response.json()) == (
        403, {"detail": "このプロフィールを変更できるのは、企業のメンバーと管理者のみです。"},
    )  # fmt: skip


def test_create_malformed_json_is_a_400(db):
    client = APIClient()
    client.force_login(UserFactory())

    response = client.post(LIST, '{"name": ', content_type="application/json")

    assert (response.status_code, response.json()) == (
        400, {"detail": "JSON parse error - Expecting value: line 1 column 10 (char 9)"},
    )  # fmt: skip


def test_update_bad_input_is_a_400_and_changes_nothing(client_as, member_a, company_a):
    response = client_as("member_a").patch(_url(company_a), {"country": "CN", "sectors": []}, format="json")

    assert (response.status_code, response.json()) == (400, {
        "country": ["'CN' is not an EU member state or Japan (ISO 3166 alpha-2)."],
        "sectors": ["Choose at least one sector."],
        "stages": ["Stage(s) Cathode materials belong to a sector that is not chosen."],
    })  # fmt: skip
    company_a.refresh_from_db()
    assert company_a.country == "DE"


# Vocabulary and schema --------------------------------------------------------------------------


def test_vocabulary_lists_codes_with_labels(client_as):
    data = client_as("anonymous").get("/api/v1/vocabulary/").json()

    assert data["sectors"] == [
        {"code": "critical_minerals", "label": "Critical minerals", "label_ja": "重要鉱物"},
        {"code": "batteries", "label": "Batteries", "label_ja": "蓄電池"},
        {"code": "biotech", "label": "Biotech", "label_ja": "バイオテクノロジー"},
    ]
    assert data["stages"][0] == {"code": "critical_minerals.exploration_mining", "label": "Exploration and mining",
                                 "label_ja": "探鉱・採掘", "sector": "critical_minerals"}  # fmt: skip
    assert (len(data["countries"]), data["countries"][-1]) == (
        28,
        {"code": "JP", "label": "Japan", "label_ja": "日本", "side": "JP"},
    )
    assert data["languages"][1] == {"code": "ja", "label": "Japanese", "label_ja": "日本語"}
    assert data["statuses"][0] == {"code": "draft", "label": "Draft"}


def test_schema_endpoint_serves_openapi_3_with_the_companies_api(client_as):
    response = client_as("anonymous").get("/api/schema/?format=json")

    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/companies/": {"get", "post"},
        "/api/v1/companies/{id}/": {"get", "put", "patch", "delete"},
        "/api/v1/companies/{id}/submit/": {"post"},
        "/api/v1/companies/{id}/approve/": {"post"},
        "/api/v1/companies/{id}/reject/": {"post"},
        "/api/v1/companies/{id}/download/": {"get"},
        "/api/v1/companies/me/": {"get"},
        "/api/v1/vocabulary/": {"get"},
    }.items() <= {route: set(ops) - {"parameters"} for route, ops in schema["paths"].items()}.items()


def test_schema_of_the_companies_api_has_no_warnings(db):
    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("api/v1/", include("companies.api.urls"))])

    schema = generator.get_schema(request=None, public=True)

    validate_schema(schema)
    assert (dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache)) == ({}, {})
    list_parameters = {p["name"] for p in schema["paths"]["/api/v1/companies/"]["get"]["parameters"]}
    assert list_parameters == {"page", "q", "side", "country", "sector", "stage", "material", "partnership_type",
                               "status"}  # fmt: skip


def test_docs_page_is_served(client_as):
    response = client_as("anonymous").get("/api/docs/")
    # The page loads its start-up script as a file (CSP: no inline script); the script names the schema.
    script = client_as("anonymous").get("/api/docs/?script=")

    assert (response.status_code, script.status_code) == (200, 200)
    assert '<script src="/api/docs/?script="></script>' in response.content.decode()
    assert '  url: "/api/schema/",' in script.content.decode().splitlines()
