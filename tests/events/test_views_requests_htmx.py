"""Accept, decline and withdraw on "My requests": htmx swaps the row (limits and meetings out of band);
without JavaScript the same forms post and redirect (tests/events/test_lifecycle.py)."""

import pytest
from django.test import Client

from events import services
from events.enums import MissionPhase, RequestStatus
from events.models import Meeting, Mission

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def request_ab(mission, part_a, part_b, member_a):
    return services.meeting_request_create(mission=mission, requester=part_a, recipient=part_b, user=member_a)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(mission, request, action: str) -> str:
    return f"/missions/{mission.pk}/me/requests/{request.pk}/{action}/"


def test_page_rows_carry_htmx_and_plain_forms(mission, request_ab, member_b):
    content = _client(member_b).get(f"/missions/{mission.pk}/me/requests/").content.decode()

    accept = _url(mission, request_ab, "accept")
    assert f'<tr id="request-{request_ab.pk}">' in content
    assert f'action="{accept}"\n          hx-post="{accept}" hx-target="closest tr" hx-swap="outerHTML"' in content
    assert '<div id="request-limits">' in content and '<div id="my-meetings">' in content


def test_accept_with_htmx_swaps_row_and_updates_limits_and_meetings(mission, request_ab, member_b):
    response = _client(member_b).post(_url(mission, request_ab, "accept"), {"priority": "high"}, **HTMX)

    content = response.content.decode()
    request_ab.refresh_from_db()
    assert (response.status_code, request_ab.status, request_ab.response_priority) == (200, "accepted", "high")
    assert Meeting.objects.count() == 1
    assert content.startswith(f'<tr id="request-{request_ab.pk}">')
    assert '<span class="badge badge-ok">Accepted</span>' in content
    assert '<p class="small request-done" role="status">Request accepted: the meeting waits for a slot.</p>' in content
    assert "hx-post" not in content.split("</tr>")[0]  # nothing left to answer
    assert '<div id="request-limits" hx-swap-oob="true">' in content
    assert '<div id="my-meetings" hx-swap-oob="true">' in content and "Alpha Cathodes GmbH" in content
    assert "<html" not in content


def test_decline_and_withdraw_with_htmx(mission, request_ab, part_a, part_c, member_a, member_b):
    declined = _client(member_b).post(_url(mission, request_ab, "decline"), **HTMX)
    second = services.meeting_request_create(mission=mission, requester=part_a, recipient=part_c, user=member_a)
    withdrawn = _client(member_a).post(_url(mission, second, "withdraw"), **HTMX)

    assert '<span class="badge badge-danger">Declined</span>' in declined.content.decode()
    assert '<span class="badge badge-muted">Withdrawn</span>' in withdrawn.content.decode()
    second.refresh_from_db()
    request_ab.refresh_from_db()
    assert (request_ab.status, second.status) == (RequestStatus.DECLINED, RequestStatus.WITHDRAWN)


def test_refusal_with_htmx_shows_the_reason_in_the_row(mission, request_ab, member_b):
    Mission.objects.filter(pk=mission.pk).update(phase=MissionPhase.LIVE)

    response = _client(member_b).post(_url(mission, request_ab, "accept"), **HTMX)

    content = response.content.decode()
    request_ab.refresh_from_db()
    assert (response.status_code, request_ab.status) == (200, RequestStatus.PENDING)
    assert '<p class="errorlist small" role="alert">' in content


def test_wrong_side_with_htmx_still_403(mission, request_ab, member_a):
    response = _client(member_a).post(_url(mission, request_ab, "accept"), **HTMX)

    request_ab.refresh_from_db()
    assert (response.status_code, request_ab.status) == (403, RequestStatus.PENDING)


def test_accept_without_javascript_redirects_with_message(mission, request_ab, member_b):
    response = _client(member_b).post(_url(mission, request_ab, "accept"), {"priority": "low"}, follow=True)

    assert response.redirect_chain == [(f"/missions/{mission.pk}/me/requests/", 302)]
    assert [str(m) for m in response.context["messages"]] == ["Request accepted: the meeting waits for a slot."]
