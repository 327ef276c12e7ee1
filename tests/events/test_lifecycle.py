"""The request lifecycle end to end: who may withdraw, answer and cancel; repeated calls change nothing and
notify no one twice; cancelling a meeting asks for a reason, frees the slot and tells the other side.
Services, pages and the API in turn (they share the services)."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.enums import NotificationKind
from accounts.models import Notification
from events import selectors, services
from events.enums import MeetingStatus, RequestStatus
from events.models import CANCEL_REASON_MAX_LENGTH, Meeting, MeetingSeat
from tests.events.threads import run_at_once

pytestmark = pytest.mark.django_db

TITLE = "Battery supply chain mission to Tokyo"
REASON = "Our CEO cannot travel that week."


@pytest.fixture
def request_ab(mission, part_a, part_b, member_a):
    """A sends B a request; the notification of it is cleared."""
    request = services.meeting_request_create(mission=mission, requester=part_a, recipient=part_b, user=member_a)
    Notification.objects.all().delete()
    return request


@pytest.fixture
def meeting_ab(request_ab, member_b, organiser, slots, tables):
    """B accepted A's request; the organisers placed the meeting at T1 in the first slot."""
    meeting = services.meeting_request_accept(request=request_ab, user=member_b)
    services.meeting_move(meeting=meeting, slot=slots[0], table=tables[0], user=organiser)
    Notification.objects.all().delete()
    return meeting


def _kinds() -> list[tuple[str, str]]:
    rows = Notification.objects.select_related("recipient").order_by("recipient__email", "kind", "pk")
    return [(n.recipient.email, n.kind) for n in rows]


def _errors(exc) -> dict:
    return exc.value.message_dict


# Services: who may do what -------------------------------------------------------------------------


def test_withdraw_by_recipient_is_denied(request_ab, member_b):
    with pytest.raises(PermissionDenied) as exc:
        services.meeting_request_withdraw(request=request_ab, user=member_b)

    request_ab.refresh_from_db()
    assert (str(exc.value), request_ab.status) == (
        "Only the firm that sent this request can withdraw it.", RequestStatus.PENDING,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("action", "message"),
    [("accept", "Only the firm asked can accept this request."),
     ("decline", "Only the firm asked can decline this request.")],
)  # fmt: skip
def test_answer_by_requester_is_denied(request_ab, member_a, action, message):
    call = {"accept": services.meeting_request_accept, "decline": services.meeting_request_decline}[action]

    with pytest.raises(PermissionDenied) as exc:
        call(request=request_ab, user=member_a)

    assert (str(exc.value), Meeting.objects.count()) == (message, 0)


def test_selectors_say_each_side_what_it_may_do(request_ab, part_a, part_b, part_c):
    answers = [
        (selectors.request_can_withdraw(request=request_ab, participation=p),
         selectors.request_can_answer(request=request_ab, participation=p))
        for p in (part_a, part_b, part_c, None)
    ]  # fmt: skip

    assert answers == [(True, False), (False, True), (False, False), (False, False)]


def test_selectors_offer_nothing_once_answered(request_ab, part_a, part_b, member_b):
    services.meeting_request_decline(request=request_ab, user=member_b)
    request_ab.refresh_from_db()

    assert [
        selectors.request_can_withdraw(request=request_ab, participation=part_a),
        selectors.request_can_answer(request=request_ab, participation=part_b),
    ] == [False, False]


# Services: repeated calls ----------------------------------------------------------------------------


def test_accept_twice_returns_same_meeting_and_notifies_once(request_ab, member_a, member_b):
    first = services.meeting_request_accept(request=request_ab, user=member_b)
    second = services.meeting_request_accept(request=request_ab, user=member_b, priority="high")

    assert (second.pk, second.weight, Meeting.objects.count()) == (first.pk, first.weight, 1)
    assert _kinds() == [(member_a.email, NotificationKind.REQUEST_ACCEPTED)]


def test_decline_twice_returns_request_and_notifies_once(request_ab, member_a, member_b):
    services.meeting_request_decline(request=request_ab, user=member_b)
    again = services.meeting_request_decline(request=request_ab, user=member_b)

    assert (again.pk, again.status) == (request_ab.pk, RequestStatus.DECLINED)
    assert _kinds() == [(member_a.email, NotificationKind.REQUEST_DECLINED)]


def test_withdraw_twice_returns_request_and_notifies_once(request_ab, member_a, member_b):
    services.meeting_request_withdraw(request=request_ab, user=member_a)
    again = services.meeting_request_withdraw(request=request_ab, user=member_a)

    assert (again.pk, again.status) == (request_ab.pk, RequestStatus.WITHDRAWN)
    assert _kinds() == [(member_b.email, NotificationKind.REQUEST_WITHDRAWN)]


@pytest.mark.parametrize(
    ("first", "then", "message"),
    [
        ("decline", "accept", "This request is declined."),
        ("decline", "withdraw", "This request is declined."),
        ("withdraw", "accept", "This request is withdrawn."),
        ("withdraw", "decline", "This request is withdrawn."),
        ("accept", "decline", "This request is accepted."),
        ("accept", "withdraw", "This request is accepted: to call the meeting off, cancel the meeting."),
    ],
)
def test_other_terminal_state_is_refused_with_reason(request_ab, member_a, member_b, first, then, message):
    calls = {
        "accept": lambda: services.meeting_request_accept(request=request_ab, user=member_b),
        "decline": lambda: services.meeting_request_decline(request=request_ab, user=member_b),
        "withdraw": lambda: services.meeting_request_withdraw(request=request_ab, user=member_a),
    }
    calls[first]()
    before = Notification.objects.count()

    with pytest.raises(ValidationError) as exc:
        calls[then]()

    assert (_errors(exc), Notification.objects.count()) == ({"non_field_errors": [message]}, before)


def test_send_twice_returns_the_same_request(mission, request_ab, part_a, part_b, member_a):
    again = services.meeting_request_create(mission=mission, requester=part_a, recipient=part_b, user=member_a)

    assert (again.pk, Notification.objects.count()) == (request_ab.pk, 0)


# Services: cancelling a meeting ------------------------------------------------------------------------


def test_firm_cancel_frees_slot_stores_reason_and_tells_other_firm(meeting_ab, part_b, member_a, member_b):
    cancelled = services.meeting_cancel_by_firm(meeting=meeting_ab, user=member_b, reason=f"  {REASON} ")

    meeting_ab.refresh_from_db()
    assert (meeting_ab.status, meeting_ab.slot, meeting_ab.table, MeetingSeat.objects.count()) == (
        MeetingStatus.CANCELLED, None, None, 0,
    )  # fmt: skip
    assert (meeting_ab.cancelled_reason, meeting_ab.cancelled_by, meeting_ab.cancelled_by_party) == (
        REASON, member_b, part_b,
    )  # fmt: skip
    assert cancelled.cancelled_at is not None
    assert _kinds() == [(member_a.email, NotificationKind.MEETING_CANCELLED)]


def test_firm_cancel_twice_notifies_once(meeting_ab, member_a, member_b):
    services.meeting_cancel_by_firm(meeting=meeting_ab, user=member_a, reason=REASON)
    again = services.meeting_cancel_by_firm(meeting=meeting_ab, user=member_a, reason="Another reason")

    assert (again.status, again.cancelled_reason) == (MeetingStatus.CANCELLED, REASON)
    assert _kinds() == [(member_b.email, NotificationKind.MEETING_CANCELLED)]


def test_firm_cancel_by_third_firm_is_denied(meeting_ab, member_c):
    with pytest.raises(PermissionDenied) as exc:
        services.meeting_cancel_by_firm(meeting=meeting_ab, user=member_c, reason=REASON)

    assert str(exc.value) == "Only the two firms of this meeting can cancel it."


def test_firm_cancel_of_pinned_meeting_is_refused(meeting_ab, organiser, member_a):
    services.meeting_pin(meeting=meeting_ab, user=organiser)

    with pytest.raises(ValidationError) as exc:
        services.meeting_cancel_by_firm(meeting=meeting_ab, user=member_a, reason=REASON)

    meeting_ab.refresh_from_db()
    assert _errors(exc) == {"non_field_errors": ["The organisers pinned this meeting; ask them to cancel it."]}
    assert (meeting_ab.status, Notification.objects.count()) == (MeetingStatus.CONFIRMED, 0)


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "Say why the meeting is cancelled: the firms read it."),
     ("   ", "Say why the meeting is cancelled: the firms read it."),
     ("x" * (CANCEL_REASON_MAX_LENGTH + 1), "Keep the reason under 500 characters.")],
)  # fmt: skip
def test_cancel_needs_a_short_reason(meeting_ab, member_a, organiser, reason, message):
    for call in (
        lambda: services.meeting_cancel_by_firm(meeting=meeting_ab, user=member_a, reason=reason),
        lambda: services.meeting_cancel(meeting=meeting_ab, user=organiser, reason=reason),
    ):
        with pytest.raises(ValidationError) as exc:
            call()
        assert _errors(exc) == {"reason": [message]}
    meeting_ab.refresh_from_db()
    assert meeting_ab.status == MeetingStatus.CONFIRMED


def test_organiser_cancel_pinned_meeting_tells_both_firms_once(meeting_ab, organiser, member_a, member_b):
    services.meeting_pin(meeting=meeting_ab, user=organiser)

    services.meeting_cancel(meeting=meeting_ab, user=organiser, reason="The venue closes early.")
    services.meeting_cancel(meeting=meeting_ab, user=organiser, reason="The venue closes early.")

    meeting_ab.refresh_from_db()
    assert (meeting_ab.cancelled_by, meeting_ab.cancelled_by_party, meeting_ab.pinned) == (organiser, None, False)
    assert _kinds() == [
        (member_a.email, NotificationKind.MEETING_CANCELLED), (member_b.email, NotificationKind.MEETING_CANCELLED),
    ]  # fmt: skip


def test_firm_cancel_email_in_english(meeting_ab, member_a, member_b, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel_by_firm(meeting=meeting_ab, user=member_b, reason=REASON)

    [message] = mail.outbox
    assert (message.to, message.subject) == (
        [member_a.email],
        f"{TITLE}: your meeting with Beta Refining KK is cancelled",
    )
    assert message.body.split("\n\n")[1] == (
        f"Beta Refining KK cancelled your meeting at {TITLE}.\n"
        f"Their reason: {REASON}\n"
        "It was planned: 2025-10-06 09:00 (Asia/Tokyo) at T1"
    )


def test_firm_cancel_email_in_japanese(meeting_ab, member_a, member_b, django_capture_on_commit_callbacks):
    member_b.language = "ja"
    member_b.save(update_fields=["language"])

    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel_by_firm(meeting=meeting_ab, user=member_a, reason="社長の都合がつきません。")

    [message] = mail.outbox
    assert (message.to, message.subject) == (
        [member_b.email], f"{TITLE}：Alpha Cathodes GmbH との面談はキャンセルされました",
    )  # fmt: skip
    assert message.body.split("\n\n")[1] == (
        f"Alpha Cathodes GmbH が {TITLE} での面談をキャンセルしました。\n"
        "理由： 社長の都合がつきません。\n"
        "予定していた日時： 2025-10-06 09:00（Asia/Tokyo）T1"
    )


def test_new_request_after_cancelled_meeting_is_refused(mission, meeting_ab, part_a, part_b, member_a):
    services.meeting_cancel_by_firm(meeting=meeting_ab, user=member_a, reason=REASON)

    with pytest.raises(ValidationError) as exc:
        services.meeting_request_create(mission=mission, requester=part_b, recipient=part_a, user=None)

    assert _errors(exc) == {
        "recipient": [
            "Your meeting with Alpha Cathodes GmbH was cancelled; ask the organisers if you want to meet after all."
        ]
    }


# Pages ----------------------------------------------------------------------------------------------


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _action_url(mission, request, action: str) -> str:
    return f"/missions/{mission.pk}/me/requests/{request.pk}/{action}/"


def test_my_requests_offers_withdraw_only_to_sender(mission, request_ab, member_a, member_b):
    sender = client_for(member_a).get(f"/missions/{mission.pk}/me/requests/").content.decode()
    recipient = client_for(member_b).get(f"/missions/{mission.pk}/me/requests/").content.decode()

    urls = [_action_url(mission, request_ab, a) for a in ("withdraw", "accept", "decline")]
    assert [url in sender for url in urls] == [True, False, False]
    assert [url in recipient for url in urls] == [False, True, True]


def test_my_requests_offers_nothing_on_answered_requests(mission, request_ab, member_a, member_b):
    services.meeting_request_decline(request=request_ab, user=member_b)

    pages = [client_for(u).get(f"/missions/{mission.pk}/me/requests/").content.decode() for u in (member_a, member_b)]

    assert [f"/me/requests/{request_ab.pk}/" in page for page in pages] == [False, False]


def test_withdraw_page_post_by_recipient_is_403(mission, request_ab, member_b):
    response = client_for(member_b).post(_action_url(mission, request_ab, "withdraw"))

    request_ab.refresh_from_db()
    assert (response.status_code, request_ab.status) == (403, RequestStatus.PENDING)


@pytest.mark.parametrize(
    ("action", "user", "done", "again"),
    [
        ("accept", "member_b", "Request accepted: the meeting waits for a slot.",
         "You had already accepted this request."),
        ("decline", "member_b", "Request declined; the other firm is told.", "You had already declined this request."),
        ("withdraw", "member_a", "Request withdrawn; the other firm is told.",
         "You had already withdrawn this request."),
    ],
)  # fmt: skip
def test_request_action_repeated_post_is_friendly(mission, request_ab, roles, action, user, done, again):
    client = client_for(roles[user])

    first = client.post(_action_url(mission, request_ab, action), follow=True)
    second = client.post(_action_url(mission, request_ab, action), follow=True)

    assert (_messages(first), _messages(second)) == ([done], [again])
    assert (second.redirect_chain, Notification.objects.count()) == (
        [(f"/missions/{mission.pk}/me/requests/", 302)], 1,
    )  # fmt: skip


def test_my_requests_offers_cancel_meeting_unless_pinned(mission, meeting_ab, organiser, member_a):
    url = f"/missions/{mission.pk}/me/meetings/{meeting_ab.pk}/cancel/"
    before = client_for(member_a).get(f"/missions/{mission.pk}/me/requests/").content.decode()
    services.meeting_pin(meeting=meeting_ab, user=organiser)
    after = client_for(member_a).get(f"/missions/{mission.pk}/me/requests/").content.decode()

    assert (url in before, url in after, "fixed by the organisers" in after) == (True, False, True)


def test_cancel_page_get_explains_and_asks_reason(mission, meeting_ab, member_a):
    response = client_for(member_a).get(f"/missions/{mission.pk}/me/meetings/{meeting_ab.pk}/cancel/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Beta Refining KK is told at once, with your reason." in page
    assert "Its time slot and table become free for other meetings." in page
    assert 'name="reason"' in page
    meeting_ab.refresh_from_db()
    assert meeting_ab.status == MeetingStatus.CONFIRMED


def test_cancel_page_without_reason_shows_field_error(mission, meeting_ab, member_a):
    response = client_for(member_a).post(f"/missions/{mission.pk}/me/meetings/{meeting_ab.pk}/cancel/", {})

    meeting_ab.refresh_from_db()
    assert (response.status_code, response.context["form"].errors) == (200, {"reason": ["This field is required."]})
    assert meeting_ab.status == MeetingStatus.CONFIRMED


def test_cancel_page_post_twice_cancels_once(mission, meeting_ab, member_a, member_b):
    url = f"/missions/{mission.pk}/me/meetings/{meeting_ab.pk}/cancel/"
    client = client_for(member_a)

    first = client.post(url, {"reason": REASON}, follow=True)
    second = client.post(url, {"reason": REASON}, follow=True)

    assert _messages(first) == ["Meeting cancelled; Beta Refining KK is told."]
    assert _messages(second) == ["This meeting is already cancelled."]
    assert _kinds() == [(member_b.email, NotificationKind.MEETING_CANCELLED)]


def test_cancel_page_of_pinned_meeting_sends_back_with_reason(mission, meeting_ab, organiser, member_a):
    services.meeting_pin(meeting=meeting_ab, user=organiser)

    response = client_for(member_a).get(f"/missions/{mission.pk}/me/meetings/{meeting_ab.pk}/cancel/", follow=True)

    assert _messages(response) == ["The organisers pinned this meeting; ask them to cancel it."]


def test_cancel_page_in_japanese(mission, meeting_ab, member_a):
    client = client_for(member_a)
    client.cookies["django_language"] = "ja"

    page = client.get(f"/missions/{mission.pk}/me/meetings/{meeting_ab.pk}/cancel/").content.decode()

    assert "Beta Refining KK に、ご記入の理由とともにすぐ通知されます。" in page


def test_schedule_cancel_page_asks_reason_and_tells_both(mission, meeting_ab, organiser, member_a, member_b):
    url = f"/missions/{mission.pk}/schedule/meetings/{meeting_ab.pk}/cancel/"
    client = client_for(organiser)

    page = client.get(url).content.decode()
    response = client.post(url, {"reason": "The venue closes early."}, follow=True)

    assert "Both firms are told at once, with your reason." in page
    assert _messages(response) == ["Meeting cancelled; both firms are told."]
    assert response.redirect_chain == [(f"/missions/{mission.pk}/schedule/", 302)]
    assert len(_kinds()) == 2


def test_schedule_grid_panel_links_cancel_and_unplace(mission, meeting_ab, organiser):
    page = client_for(organiser).get(f"/missions/{mission.pk}/schedule/?meeting={meeting_ab.pk}").content.decode()

    assert f"/missions/{mission.pk}/schedule/meetings/{meeting_ab.pk}/cancel/" in page
    assert f"/missions/{mission.pk}/schedule/unplace/" in page
    assert f"/missions/{mission.pk}/schedule/cancel/" not in page


def test_schedule_move_without_slot_is_a_form_error(mission, meeting_ab, organiser, slots):
    response = client_for(organiser).post(
        f"/missions/{mission.pk}/schedule/move/", {"meeting": meeting_ab.pk, "slot": ""}, follow=True
    )

    meeting_ab.refresh_from_db()
    assert _messages(response) == ["Choose a slot to move the meeting to."]
    assert meeting_ab.slot == slots[0]


def test_schedule_unplace_takes_meeting_out(mission, meeting_ab, organiser):
    response = client_for(organiser).post(
        f"/missions/{mission.pk}/schedule/unplace/", {"meeting": meeting_ab.pk}, follow=True
    )

    meeting_ab.refresh_from_db()
    assert (_messages(response), meeting_ab.slot, meeting_ab.status) == (
        ["Meeting taken out of the schedule."], None, MeetingStatus.CONFIRMED,
    )  # fmt: skip


# API ------------------------------------------------------------------------------------------------


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_withdraw_by_recipient_is_403_with_reason(request_ab, member_b):
    response = api_for(member_b).post(f"/api/v1/meeting-requests/{request_ab.pk}/withdraw/")

    assert (response.status_code, response.json()) == (
        403, {"detail": "Only the firm that sent this request can withdraw it."},
    )  # fmt: skip


def test_api_repeated_answers_return_current_state(request_ab, member_a, member_b):
    client = api_for(member_b)

    first = client.post(f"/api/v1/meeting-requests/{request_ab.pk}/accept/", {"priority": "high"}, format="json")
    second = client.post(f"/api/v1/meeting-requests/{request_ab.pk}/accept/", {"priority": "low"}, format="json")

    assert (first.status_code, second.status_code) == (200, 200)
    assert (second.json()["id"], second.json()["weight"]) == (first.json()["id"], 5)
    assert _kinds() == [(member_a.email, NotificationKind.REQUEST_ACCEPTED)]


def test_api_withdraw_twice_and_then_accept(request_ab, member_a, member_b):
    first = api_for(member_a).post(f"/api/v1/meeting-requests/{request_ab.pk}/withdraw/")
    second = api_for(member_a).post(f"/api/v1/meeting-requests/{request_ab.pk}/withdraw/")
    accept = api_for(member_b).post(f"/api/v1/meeting-requests/{request_ab.pk}/accept/")

    assert [(r.status_code, r.json()["status"]) for r in (first, second)] == [(200, "withdrawn"), (200, "withdrawn")]
    assert (accept.status_code, accept.json()) == (400, {"non_field_errors": ["This request is withdrawn."]})


def test_api_requests_say_what_the_caller_may_do(request_ab, member_a, member_b, organiser):
    flags = {
        name: {k: api_for(user).get(f"/api/v1/meeting-requests/{request_ab.pk}/").json()[k]
               for k in ("can_withdraw", "can_answer")}
        for name, user in (("sender", member_a), ("recipient", member_b), ("organiser", organiser))
    }  # fmt: skip

    assert flags == {
        "sender": {"can_withdraw": True, "can_answer": False},
        "recipient": {"can_withdraw": False, "can_answer": True},
        "organiser": {"can_withdraw": False, "can_answer": False},
    }


def test_api_firm_cancels_its_meeting_with_reason(meeting_ab, part_a, member_a, member_b):
    client = api_for(member_a)

    first = client.post(f"/api/v1/meetings/{meeting_ab.pk}/cancel/", {"reason": REASON}, format="json")
    second = client.post(f"/api/v1/meetings/{meeting_ab.pk}/cancel/", {"reason": REASON}, format="json")

    body = first.json()
    assert (first.status_code, body["status"], body["slot"], body["cancelled_reason"], body["cancelled_by_party"]) == (
        200, "cancelled", None, REASON, part_a.pk,
    )  # fmt: skip
    assert (second.status_code, second.json()["status"]) == (200, "cancelled")
    assert _kinds() == [(member_b.email, NotificationKind.MEETING_CANCELLED)]


def test_api_cancel_without_reason_is_400(meeting_ab, member_a, organiser):
    for user in (member_a, organiser):
        response = api_for(user).post(f"/api/v1/meetings/{meeting_ab.pk}/cancel/", {}, format="json")
        assert (response.status_code, response.json()) == (400, {"reason": ["This field is required."]})


def test_api_cancel_by_third_firm_is_404(meeting_ab, member_c):
    response = api_for(member_c).post(f"/api/v1/meetings/{meeting_ab.pk}/cancel/", {"reason": REASON}, format="json")

    assert response.status_code == 404


def test_api_firm_cancel_of_pinned_meeting_is_400(meeting_ab, organiser, member_a):
    services.meeting_pin(meeting=meeting_ab, user=organiser)

    response = api_for(member_a).post(f"/api/v1/meetings/{meeting_ab.pk}/cancel/", {"reason": REASON}, format="json")

    assert (response.status_code, response.json()) == (
        400, {"non_field_errors": ["The organisers pinned this meeting; ask them to cancel it."]},
    )  # fmt: skip


def test_api_move_without_slot_is_400_and_unplace_is_explicit(meeting_ab, organiser):
    client = api_for(organiser)

    move = client.post(f"/api/v1/meetings/{meeting_ab.pk}/move/", {"slot": None}, format="json")
    unplace = client.post(f"/api/v1/meetings/{meeting_ab.pk}/unplace/")

    assert (move.status_code, move.json()) == (400, {
        "slot": ["Choose a slot to move the meeting to; to take the meeting out of the schedule, unplace it."],
    })  # fmt: skip
    assert (unplace.status_code, unplace.json()["slot"], unplace.json()["status"]) == (200, None, "confirmed")


def test_api_unplace_by_firm_is_403(meeting_ab, member_a):
    response = api_for(member_a).post(f"/api/v1/meetings/{meeting_ab.pk}/unplace/")

    assert (response.status_code, response.json()) == (
        403, {"detail": "Only the organisers of this mission can do this."},
    )  # fmt: skip


def test_api_schema_documents_the_lifecycle(db):
    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("api/v1/", include("events.api.urls"))])

    schema = generator.get_schema(request=None, public=True)

    cancel = schema["paths"]["/api/v1/meetings/{id}/cancel/"]["post"]
    components = schema["components"]["schemas"]
    assert cancel["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/MeetingCancelInput"
    }
    assert components["MeetingCancelInput"]["required"] == ["reason"]
    assert components["MeetingCancelInput"]["properties"]["reason"]["maxLength"] == CANCEL_REASON_MAX_LENGTH
    assert {k: components["MeetingRequestOutput"]["properties"][k]["type"] for k in ("can_withdraw", "can_answer")} == {
        "can_withdraw": "boolean", "can_answer": "boolean",
    }  # fmt: skip
    assert "/api/v1/meetings/{id}/unplace/" in schema["paths"]
    assert "pinned" in cancel["description"]
    assert (dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache)) == ({}, {})


# Double submits that arrive at the same moment (real PostgreSQL, one connection per thread) ------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_accepts_at_once_make_one_meeting_and_one_notification(mission, part_a, part_b, member_a, member_b):
    request = services.meeting_request_create(mission=mission, requester=part_a, recipient=part_b, user=member_a)

    results = run_at_once([lambda: services.meeting_request_accept(request=request, user=member_b)] * 2)

    assert [type(r).__name__ for r in results] == ["Meeting", "Meeting"]
    assert (results[0].pk, Meeting.objects.count()) == (results[1].pk, 1)
    assert Notification.objects.filter(kind=NotificationKind.REQUEST_ACCEPTED).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_cancels_at_once_notify_once(mission, part_a, part_b, member_a, member_b):
    request = services.meeting_request_create(mission=mission, requester=part_a, recipient=part_b, user=member_a)
    meeting = services.meeting_request_accept(request=request, user=member_b)

    results = run_at_once([
        lambda: services.meeting_cancel_by_firm(meeting=meeting, user=member_a, reason=REASON),
        lambda: services.meeting_cancel_by_firm(meeting=meeting, user=member_b, reason="Other reason"),
    ])  # fmt: skip

    assert [getattr(r, "status", r) for r in results] == [MeetingStatus.CANCELLED, MeetingStatus.CANCELLED]
    assert Notification.objects.filter(kind=NotificationKind.MEETING_CANCELLED).count() == 1
