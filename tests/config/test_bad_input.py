"""Bad input never 500s: OPTIONS on every API path, deep or huge JSON bodies (docs/operations.md)."""

import json
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from accounts.services import user_token_issue
from companies.models import CompanyRevision
from config.json_input import JSONTooDeep, json_depth, json_loads
from events.models import Slot
from matchmaking.models import MatchRun, Suggestion
from tests.events.factories import MISSION_DATA, MeetingFactory, MeetingRequestFactory, mission_created
from tests.factories import UserFactory

PARAM = re.compile(r"\(\?P<(\w+)>[^)]*\)|<(?:\w+:)?(\w+)>")


def api_routes(patterns=None, prefix: str = ""):
    """Every URL pattern under /api/v1/ as the text of its route (regex routes without ^ and $)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern).removeprefix("^").removesuffix("$")
        if isinstance(pattern, URLResolver):
            yield from api_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/v1/"):
            yield route


@pytest.fixture
def api_ids(organiser, company_a, company_b):
    """Real ids for each kind of object in a path, so that detail views reach their serializers."""
    mission = mission_created(organiser, dict(MISSION_DATA))
    meeting = MeetingFactory(mission=mission, a__company=company_a, b__company=company_b)
    request = MeetingRequestFactory(mission=mission, requester=meeting.a, recipient=meeting.b)
    run = MatchRun.objects.create(mission=mission)
    suggestion = Suggestion.objects.create(
        run=run, mission=mission, scope=mission.pk, eu_company=company_a, jp_company=company_b, score=50.0
    )
    return {
        "missions": mission.pk, "mission-slots": Slot.objects.filter(mission=mission).first().pk,
        "mission-tables": mission.tables.first().pk, "participations": meeting.a.pk,
        "meeting-requests": request.pk, "meetings": meeting.pk, "companies": company_a.pk,
        "match-runs": run.pk, "suggestions": suggestion.pk, "user_id": organiser.pk, "run_id": 999999,
        "auth": user_token_issue(user=organiser)[1].pk,
        "revisions": CompanyRevision.objects.create(company=company_a, proposed={"city": "Leipzig"}).pk,
    }  # fmt: skip


def filled(route: str, ids: dict[str, int]) -> str:
    collection = route.split("/")[2]

    def value(match: re.Match) -> str:
        name = match.group(1) or match.group(2)
        return str(ids[collection] if name == "pk" else ids[name])

    return "/" + PARAM.sub(value, route)


def test_api_routes_are_all_found():
    routes = list(api_routes())

    assert len(routes) >= 48
    assert "api/v1/mission-tables/(?P<pk>[^/.]+)/" in routes


@pytest.mark.parametrize("role", ["organiser", "admin_user"])
def test_options_on_every_api_path_never_500s(request, api_ids, role):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(request.getfixturevalue(role))

    answers = {path: client.options(path).status_code for path in (filled(r, api_ids) for r in api_routes())}

    assert {path: code for path, code in answers.items() if code >= 500} == {}
    assert answers["/api/v1/mission-tables/"] == 200


# Deep or huge JSON ------------------------------------------------------------------------------


def test_json_nested_100000_deep_anonymously_is_a_400(db):
    client = APIClient(raise_request_exception=False)

    response = client.post("/api/v1/auth/token/", "[" * 100_000 + "]" * 100_000, content_type="application/json")

    assert (response.status_code, response.json()) == (400, {"detail": "The JSON is nested deeper than 32 levels."})


def test_json_nested_deep_as_an_organiser_is_a_400(organiser):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(organiser)
    body = '{"title": ' * 1000 + '"x"' + "}" * 1000

    response = client.post("/api/v1/missions/", body, content_type="application/json")

    assert (response.status_code, response.json()) == (400, {"detail": "The JSON is nested deeper than 32 levels."})


def test_json_body_over_the_size_limit_is_a_400(db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = APIClient(raise_request_exception=False)
    body = json.dumps({"email": "a@example.com", "password": "x" * 1000})

    response = client.post("/api/v1/auth/token/", body, content_type="application/json")

    assert (response.status_code, response.json()) == (400, {"detail": "The request body is larger than 1000 bytes."})


def test_json_normal_body_still_parses(db):
    UserFactory(email="ok@example.com")
    client = APIClient()

    response = client.post(
        "/api/v1/auth/token/", {"email": "ok@example.com", "password": "correct-horse-battery"}, format="json"
    )

    assert response.status_code == 200
    assert set(response.json()) == {"token", "id", "expires_at"}


def test_json_malformed_body_is_a_400(db):
    response = APIClient().post("/api/v1/auth/token/", '{"email": ', content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error - Expecting value: line 1 column 11")


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("1", 0),
        ("[]", 1),
        ('{"a": [1, {"b": []}]}', 4),
        ('["[[[[", "\\"[[[", {"k]": "}}}"}]', 2),
        ("[" * 100_000 + "]" * 100_000, 100_000),
    ],
)
def test_json_depth_ignores_brackets_in_strings(text, depth):
    assert json_depth(text) == depth


def test_json_loads_refuses_deep_text_without_recursing():
    with pytest.raises(JSONTooDeep):
        json_loads("[" * 100_000 + "]" * 100_000)
    assert json_loads('[[{"a": "]]]"}]]') == [[{"a": "]]]"}]]


# Odd query parameters -----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["²", "٣", "9" * 30, "-1", "abc"])
def test_mission_filter_odd_values_never_500(organiser, value):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(organiser)

    answers = {path: client.get(path, {"mission": value}).status_code for path in ("/api/v1/mission-slots/",
               "/api/v1/meetings/", "/api/v1/participations/", "/api/v1/suggestions/")}  # fmt: skip

    assert {path: code for path, code in answers.items() if code >= 500} == {}
