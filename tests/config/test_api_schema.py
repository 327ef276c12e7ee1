"""The OpenAPI schema tells the truth about errors, pages, formats and role-dependent shapes
(config/schema.py, config/pagination.py; docs/api.md). scripts/api_fuzz.sh checks it with schemathesis."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.events.test_api import MISSION_BODY


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_every_operation_documents_its_errors_with_bodies(schema):
    missing = [
        (path, method, code)
        for path, method, operation in _operations(schema)
        for code in (["404"] if (path, method) == ("/api/v1/auth/token/", "post") else ["401", "403", "404"])
        if "content" not in operation["responses"].get(code, {})
    ]

    assert missing == []
    assert "429" in schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]


def test_writes_document_a_400(schema):
    assert [
        (path, method)
        for path, method, operation in _operations(schema)
        if method != "get" and "400" not in operation["responses"]
    ] == []


def test_hand_paginated_lists_are_documented_as_pages_with_a_shape_per_role(schema):
    ok = schema["paths"]["/api/v1/suggestions/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    page = schema["components"]["schemas"][ok["$ref"].rsplit("/", 1)[1]]

    assert set(page["properties"]) == {"count", "next", "previous", "results"}
    assert page["properties"]["results"] == {"type": "array", "items": {"$ref": "#/components/schemas/Suggestion"}}
    # Either shape by role; anyOf, as a body may fit both shapes (they share fields).
    assert schema["components"]["schemas"]["Suggestion"] == {"anyOf": [
        {"$ref": "#/components/schemas/SuggestionAdminOutput"}, {"$ref": "#/components/schemas/SuggestionFirmOutput"},
    ]}  # fmt: skip


def test_session_times_are_documented_as_written(schema):
    start = schema["components"]["schemas"]["SessionOutput"]["properties"]["start"]

    assert "format" not in start and start["pattern"].startswith("^")


def test_request_bodies_are_json_except_uploads(schema):
    media = {
        (path, method): set(operation["requestBody"]["content"])
        for path, method, operation in _operations(schema)
        if "requestBody" in operation
    }

    uploads = {key: types for key, types in media.items() if types != {"application/json"}}

    assert set(uploads) <= {("/api/v1/missions/{id}/delegation-import/", "post"), ("/api/v1/companies/import/", "post")}
    assert all("multipart/form-data" in types for types in uploads.values())


def test_no_credentials_is_a_401_with_www_authenticate(db):
    response = APIClient().get("/api/v1/meetings/")

    assert (response.status_code, response["WWW-Authenticate"]) == (401, "Token")


def test_a_path_no_route_matches_answers_json(db):
    response = APIClient().get("/api/v1/meetings/1.5/")  # ids hold no dots: no route

    assert (response.status_code, response["Content-Type"], response.json()) == (
        404, "application/json", {"detail": "Not found."},
    )  # fmt: skip


@pytest.mark.parametrize(("page", "status"), [("1", 200), ("last", 200), (" 1", 404), ("+1", 404), ("１", 404)])
def test_page_numbers_are_ascii_digits_or_last(organiser, page, status):
    client = APIClient()
    client.force_authenticate(organiser)

    assert client.get("/api/v1/missions/", {"page": page}).status_code == status


def test_a_number_where_text_is_expected_is_a_400(organiser):
    client = APIClient()
    client.force_authenticate(organiser)

    response = client.post("/api/v1/missions/", {**MISSION_BODY, "city": 7}, format="json")

    assert response.status_code == 400 and "city" in response.json()
