"""Bad input on mission pages and endpoints is a field error, never a 500: numbers past their
database column, odd ids in query strings, JSON files nested too deep."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from events.models import Participation

TOO_BIG = "Ensure this value is less than or equal to 32767."


def api(user) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("field", ["max_requests_per_firm", "max_meetings_per_firm"])
def test_api_mission_limit_over_smallint_is_a_field_error(organiser, mission, field):
    response = api(organiser).patch(f"/api/v1/missions/{mission.pk}/", {field: 32768}, format="json")

    assert (response.status_code, response.json()) == (400, {field: [TOO_BIG]})


def test_api_mission_limit_at_smallint_is_saved(organiser, mission):
    response = api(organiser).patch(f"/api/v1/missions/{mission.pk}/", {"max_meetings_per_firm": 32767}, format="json")

    assert (response.status_code, response.json()["max_meetings_per_firm"]) == (200, 32767)


def test_api_participation_max_meetings_over_smallint_is_a_field_error(member_a, part_a):
    response = api(member_a).patch(f"/api/v1/participations/{part_a.pk}/", {"max_meetings": 32768}, format="json")

    assert (response.status_code, response.json()) == (400, {"max_meetings": [TOO_BIG]})
    assert Participation.objects.get(pk=part_a.pk).max_meetings is None


def test_api_schedule_seed_over_integer_is_a_field_error(organiser, mission):
    response = api(organiser).post(f"/api/v1/missions/{mission.pk}/schedule/", {"seed": 2**31}, format="json")

    assert (response.status_code, response.json()) == (
        400, {"seed": ["Ensure this value is less than or equal to 2147483647."]},
    )  # fmt: skip


def test_page_participation_max_meetings_over_smallint_is_a_form_error(client, member_a, part_a):
    client.force_login(member_a)

    response = client.post(f"/missions/{part_a.mission_id}/me/", {"section": "limit", "max_meetings": "32768"})

    assert response.status_code == 200
    assert response.context["limit_form"].errors == {"max_meetings": [TOO_BIG]}
    assert Participation.objects.get(pk=part_a.pk).max_meetings is None


def test_page_mission_limit_over_smallint_is_a_form_error(client, organiser, mission):
    from events.forms import MissionForm

    form = MissionForm(data={"max_requests_per_firm": "32768", "max_meetings_per_firm": "40000"})

    assert (form.is_valid(), form.errors["max_requests_per_firm"], form.errors["max_meetings_per_firm"]) == (
        False, [TOO_BIG], [TOO_BIG],
    )  # fmt: skip


@pytest.mark.parametrize("value", ["²", "9" * 30, "abc"])
def test_page_request_form_with_odd_suggestion_or_partner_ids_is_shown(client, member_a, part_a, part_b, value):
    client.force_login(member_a)

    response = client.get(f"/missions/{part_a.mission_id}/me/requests/new/", {"suggestion": value, "to": value})

    assert (response.status_code, response.context["form"].initial.get("message")) == (200, None)


def test_page_schedule_solution_nested_too_deep_is_refused_with_a_message(client, organiser, mission):
    client.force_login(organiser)
    upload = SimpleUploadedFile("solution.json", b"[" * 100_000 + b"]" * 100_000, content_type="application/json")

    response = client.post(f"/missions/{mission.pk}/schedule/import/", {"file": upload})

    assert (response.status_code, response["Location"]) == (302, f"/missions/{mission.pk}/schedule/")
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["The file is not UTF-8 JSON."]
