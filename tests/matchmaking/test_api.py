import pytest
from django.urls import include, path, reverse
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from accounts.models import User
from config.schema import TEXT_PATTERN
from matchmaking import services
from matchmaking.enums import RunStatus, SuggestionStatus
from matchmaking.models import MatchRun, Suggestion
from tests.factories import CompanyFactory, MembershipFactory
from tests.matchmaking.helpers import engine_reasons

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def _as(api, user):
    if user is not None:
        api.force_authenticate(user)
    return api


# --- Runs ----------------------------------------------------------------------------------------


def test_api_run_start_admin_then_status(api, admin_user, profiles, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _as(api, admin_user).post(reverse("api-match-runs"), {"top_k": 2}, format="json")

    run = MatchRun.objects.get()
    assert (response.status_code, response.json()["id"], response.json()["status"]) == (201, run.pk, "queued")
    status = api.get(reverse("api-match-run", args=[run.pk])).json()
    assert {k: status[k] for k in ("status", "progress", "firms", "blocks_total", "blocks_done", "error")} == {
        "status": "succeeded", "progress": 100, "firms": 5, "blocks_total": 2, "blocks_done": 2, "error": "",
    }  # fmt: skip
    assert (status["suggestions_created"], status["source"], status["created_by"], status["settings"]["top_k"]) == (
        3, "api", "admin@example.com", 2,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("who", "scope", "status"),
    [
        (None, "all", 401),
        ("member_a", "all", 403),
        ("member_a", "mission", 403),
        ("organiser", "all", 403),
        ("organiser", "other_mission", 403),
        ("organiser", "mission", 201),
        ("admin_user", "other_mission", 201),
    ],
)
def test_api_run_start_permissions(request, api, mission, other_mission, who, scope, status):
    user = request.getfixturevalue(who) if who else None
    target = {"all": None, "mission": mission.pk, "other_mission": other_mission.pk}[scope]

    response = _as(api, user).post(reverse("api-match-runs"), {"mission": target}, format="json")

    assert response.status_code == status
    assert MatchRun.objects.count() == (1 if status == 201 else 0)


def test_api_run_start_bad_settings_field_errors(api, admin_user):
    response = _as(api, admin_user).post(reverse("api-match-runs"), {"top_k": 0, "min_score": 101}, format="json")

    assert (response.status_code, response.json()) == (
        400,
        {"top_k": ["Ensure this value is greater than or equal to 1."],
         "min_score": ["Ensure this value is less than or equal to 100."]},
    )  # fmt: skip


def test_api_run_start_while_active_refused(api, admin_user):
    active = MatchRun.objects.create(status=RunStatus.QUEUED)

    response = _as(api, admin_user).post(reverse("api-match-runs"), {}, format="json")

    assert (response.status_code, response.json()) == (
        400, {"non_field_errors": [f"Run {active.pk} of this scope is already queued or running."]},
    )  # fmt: skip


def test_api_run_list_organiser_sees_own_missions_only(api, organiser, mission, other_mission):
    own = MatchRun.objects.create(mission=mission, status=RunStatus.SUCCEEDED)
    MatchRun.objects.create(mission=other_mission, status=RunStatus.SUCCEEDED)

    response = _as(api, organiser).get(reverse("api-match-runs"))

    assert [r["id"] for r in response.json()["results"]] == [own.pk]


def test_api_run_detail_other_mission_not_found(api, organiser, other_mission):
    run = MatchRun.objects.create(mission=other_mission)

    assert _as(api, organiser).get(reverse("api-match-run", args=[run.pk])).status_code == 404


def test_api_run_retry_failed(api, admin_user, profiles, django_capture_on_commit_callbacks):
    run = MatchRun.objects.create(status=RunStatus.FAILED, error="boom", settings=services.match_settings_clean())

    with django_capture_on_commit_callbacks(execute=True):
        response = _as(api, admin_user).post(reverse("api-match-run-retry", args=[run.pk]))

    run.refresh_from_db()
    assert (response.status_code, response.json()["status"], run.status) == (200, "queued", RunStatus.SUCCEEDED)


def test_api_run_list_query_count(api, admin_user, mission, django_assert_num_queries):
    for _ in range(3):
        MatchRun.objects.create(mission=mission, status=RunStatus.SUCCEEDED, created_by=admin_user)
    _as(api, admin_user)

    with django_assert_num_queries(2):  # count, page (with mission and user joined)
        response = api.get(reverse("api-match-runs"))

    assert response.json()["count"] == 3


# --- Suggestions ---------------------------------------------------------------------------------


def test_api_suggestions_anonymous_refused(api, matched):
    assert api.get(reverse("api-suggestions")).status_code == 401


def test_api_suggestions_firm_sees_only_its_approved(api, admin_user, matched, member_a, member_b, profiles):
    services.suggestions_bulk_review(
        suggestion_ids=[matched["ab"].pk, matched["gd"].pk], admin=admin_user, approve=True
    )
    ab = matched["ab"]
    eu_reasons, jp_reasons = engine_reasons(profiles[0], profiles[1]), engine_reasons(profiles[1], profiles[0])

    mine = _as(api, member_a).get(reverse("api-suggestions")).json()

    assert mine["count"] == 1
    item = mine["results"][0]
    assert item == {
        "id": ab.pk, "mission": None, "score": ab.score, "parts": ab.parts, "fit": AB_FIT_EN,
        "reasons": eu_reasons["en"], "rank": 1, "response": "none", "response_reason": "", "mutual": False,
        "partner": {
            "id": profiles[1].pk, "ref": None, "name": "Beta Refining KK", "name_ja": "", "country": "JP",
            "city": "Osaka", "website": "", "sectors": ["critical_minerals", "batteries"],
            "stages": ["critical_minerals.refining_processing"], "partnership_types": ["supply"],
            "materials": ["nickel"], "description": "We refine nickel into battery-grade nickel sulphate.",
            "offer": "Battery-grade nickel sulphate from our refinery.",
            "seek": "Long-term offtake by European cathode makers.",
        },
    }  # fmt: skip
    theirs = APIClient()
    theirs.force_authenticate(member_b)
    assert [r["reasons"] for r in theirs.get(reverse("api-suggestions")).json()["results"]] == [jp_reasons["en"]]
    in_japanese = theirs.get(reverse("api-suggestions"), HTTP_ACCEPT_LANGUAGE="ja").json()["results"]
    assert [r["reasons"] for r in in_japanese] == [jp_reasons["ja"]]
    assert [(f["label"], f["level_label"]) for f in in_japanese[0]["fit"]] == [
        ("互いのニーズと提供内容の一致", "良い適合"), ("事業内容の類似性", "弱い適合"), ("共通の分野", "高い適合"),
        ("バリューチェーン上の隣接", "高い適合"), ("提携形態の適合", "高い適合"), ("供給安定性", "高い適合"),
    ]  # fmt: skip


AB_FIT_EN = [
    {
        "part": "complementarity",
        "label": "What each seeks and the other offers",
        "level": "good",
        "level_label": "Good fit",
    },
    {"part": "topic", "label": "Similar activities", "level": "weak", "level_label": "Weak fit"},
    {"part": "sector", "label": "Shared sector", "level": "strong", "level_label": "Strong fit"},
    {"part": "value_chain", "label": "Adjacent value-chain stages", "level": "strong", "level_label": "Strong fit"},
    {"part": "partnership", "label": "Compatible partnership types", "level": "strong", "level_label": "Strong fit"},
    {"part": "supply_security", "label": "Supply security", "level": "strong", "level_label": "Strong fit"},
]
"""Alpha's view of its pair with Beta in words (parts 61.6, 0, 100, 100, 100, 80)."""


@pytest.mark.parametrize("who", ["member_a", "organiser"])
def test_api_suggestion_other_firm_or_organiser_not_found(request, api, admin_user, matched, who):
    services.suggestion_review(suggestion=matched["gd"], admin=admin_user, approve=True)
    _as(api, request.getfixturevalue(who))

    assert api.get(reverse("api-suggestion", args=[matched["gd"].pk])).status_code == 404
    assert api.get(reverse("api-suggestions")).json()["count"] == 0


def test_api_suggestions_admin_filters(api, admin_user, matched):
    _as(api, admin_user)

    everything = api.get(reverse("api-suggestions")).json()
    biotech = api.get(reverse("api-suggestions"), {"eu_sector": "biotech"}).json()
    lowest = api.get(reverse("api-suggestions"), {"ordering": "score", "score_max": matched["ae"].score}).json()

    assert [r["id"] for r in everything["results"]] == [matched["ab"].pk, matched["ae"].pk, matched["gd"].pk]
    assert [r["id"] for r in biotech["results"]] == [matched["gd"].pk]
    assert [r["id"] for r in lowest["results"]] == [matched["gd"].pk, matched["ae"].pk]


def test_api_suggestion_admin_reasons_both_sides_as_texts_in_both_languages(api, admin_user, matched, profiles):
    a, b = profiles[0], profiles[1]

    body = _as(api, admin_user).get(reverse("api-suggestion", args=[matched["ab"].pk])).json()
    listed = api.get(reverse("api-suggestions")).json()["results"][0]

    expected = {"reasons_eu": engine_reasons(a, b), "reasons_jp": engine_reasons(b, a)}
    assert {name: body[name] for name in expected} == {name: listed[name] for name in expected} == expected
    assert all(expected[name]["en"] and len(expected[name]["ja"]) == len(expected[name]["en"]) for name in expected)


def test_api_suggestions_schema_shows_reasons_as_texts(db):
    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("api/v1/", include("matchmaking.api.urls"))])

    schema = generator.get_schema(request=None, public=True)

    validate_schema(schema)
    assert (dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache)) == ({}, {})
    components = schema["components"]["schemas"]
    assert components["SuggestionAdminOutput"]["properties"]["reasons_eu"] == {
        "allOf": [{"$ref": "#/components/schemas/ReasonTextsOutput"}], "readOnly": True,
    }  # fmt: skip
    assert components["ReasonTextsOutput"]["properties"] == {
        language: {"type": "array", "items": {"type": "string", "pattern": TEXT_PATTERN}} for language in ("en", "ja")
    }


def test_api_suggestions_admin_unknown_mission_400(api, admin_user):
    response = _as(api, admin_user).get(reverse("api-suggestions"), {"mission": 999999})

    assert (response.status_code, response.json()) == (400, {"mission": ["No such mission."]})


def test_api_suggestion_review_admin_with_decision_log(api, admin_user, matched):
    response = _as(api, admin_user).post(
        reverse("api-suggestion-review", args=[matched["ab"].pk]), {"action": "approve", "note": "Fine"}, format="json"
    )

    body = response.json()
    assert (response.status_code, body["status"], body["review_note"], body["reviewed_by"]) == (
        200, "approved", "Fine", "admin@example.com",
    )  # fmt: skip
    assert [(d["action"], d["user"], d["note"]) for d in body["decisions"]] == [
        ("approved", "admin@example.com", "Fine")
    ]


@pytest.mark.parametrize("who", ["member_a", "organiser"])
def test_api_suggestion_review_non_admin_refused(request, api, matched, who):
    response = _as(api, request.getfixturevalue(who)).post(
        reverse("api-suggestion-review", args=[matched["ab"].pk]), {"action": "approve"}, format="json"
    )

    matched["ab"].refresh_from_db()
    assert (response.status_code, matched["ab"].status) == (403, SuggestionStatus.PROPOSED)


def test_api_suggestions_bulk_review(api, admin_user, matched):
    ids = [matched["ae"].pk, matched["gd"].pk]

    response = _as(api, admin_user).post(
        reverse("api-suggestions-review"), {"ids": ids, "action": "reject", "note": "Not now"}, format="json"
    )

    assert (response.status_code, response.json()) == (200, {"reviewed": 2})
    assert list(Suggestion.objects.filter(pk__in=ids).values_list("status", flat=True)) == ["rejected"] * 2


def test_api_suggestion_respond_firm_member(api, admin_user, matched, member_b):
    services.suggestion_review(suggestion=matched["ab"], admin=admin_user, approve=True)

    response = _as(api, member_b).post(
        reverse("api-suggestion-respond", args=[matched["ab"].pk]),
        {"response": "not_interested", "reason": "Capacity is sold out"}, format="json",
    )  # fmt: skip

    body = response.json()
    assert (response.status_code, body["response"], body["response_reason"], body["mutual"]) == (
        200, "not_interested", "Capacity is sold out", False,
    )  # fmt: skip
    matched["ab"].refresh_from_db()
    assert (matched["ab"].jp_response, matched["ab"].eu_response) == ("not_interested", "none")


def test_api_suggestion_respond_reason_hidden_from_other_firm(api, admin_user, matched, member_a, member_b):
    services.suggestion_review(suggestion=matched["ab"], admin=admin_user, approve=True)
    services.suggestion_respond(suggestion=matched["ab"], user=member_b, interested=False, reason="Secret")

    body = _as(api, member_a).get(reverse("api-suggestion", args=[matched["ab"].pk])).json()

    assert (body["response"], body["response_reason"], "Secret" in str(body)) == ("none", "", False)


@pytest.mark.parametrize("who", ["admin_user", "outsider"])
def test_api_suggestion_respond_not_a_party_not_found(request, api, admin_user, matched, who):
    services.suggestion_review(suggestion=matched["ab"], admin=admin_user, approve=True)
    user = admin_user if who == "admin_user" else MembershipFactory(company=CompanyFactory()).user

    response = _as(api, user).post(
        reverse("api-suggestion-respond", args=[matched["ab"].pk]), {"response": "interested"}, format="json"
    )

    assert response.status_code == 404


def test_api_suggestions_admin_query_count(api, admin_user, matched, django_assert_num_queries):
    _as(api, admin_user)

    with django_assert_num_queries(3):  # count, page (firms, mission and reviewer joined), reasons
        response = api.get(reverse("api-suggestions"))

    assert response.json()["count"] == 3


def test_api_suggestions_firm_query_count(api, admin_user, matched, member_a, django_assert_num_queries):
    services.suggestions_bulk_review(
        suggestion_ids=[matched["ab"].pk, matched["ae"].pk], admin=admin_user, approve=True
    )
    _as(api, User.objects.get(pk=member_a.pk))  # a fresh user, as a real request loads it

    with django_assert_num_queries(5):  # membership, company, count, page, reasons
        response = api.get(reverse("api-suggestions"))

    assert response.json()["count"] == 2
