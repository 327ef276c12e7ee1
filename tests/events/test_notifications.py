"""Who is notified of what happens in a mission, with which link; e-mails in each member's language; an SMTP
failure never undoes an action; the reminder before a firm's first meeting."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.enums import NotificationKind
from accounts.models import Notification
from events import services
from events.enums import MeetingStatus, RequestStatus
from events.models import MeetingRequest
from events.services.reminders import meeting_reminders_send
from tests.events.factories import MeetingFactory, ParticipationFactory
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

TITLE = "Battery supply chain mission to Tokyo"


def _rows():
    """(recipient e-mail, kind, params, link) of every notification, in a stable order."""
    rows = Notification.objects.select_related("recipient").order_by("recipient__email", "kind", "pk")
    return [(n.recipient.email, n.kind, n.params, n.link) for n in rows]


@pytest.fixture
def colleague_b(part_b):
    """A second member of firm B, who reads Japanese."""
    return MembershipFactory(company=part_b.company, user__email="tanaka@beta.example", user__language="ja").user


@pytest.fixture
def requests_url(mission):
    return reverse("events:my_requests", args=[mission.pk])


@pytest.fixture
def agenda_url(mission):
    return reverse("events:my_agenda", args=[mission.pk])


@pytest.fixture
def request_ab(mission, part_a, part_b, member_a):
    request = services.meeting_request_create(
        mission=mission, requester=part_a, recipient=part_b, message="Nickel offtake?", user=member_a
    )
    Notification.objects.all().delete()
    return request


# Requests ---------------------------------------------------------------------------------------


def test_request_received_notifies_every_member_of_the_recipient(
    mission, part_a, part_b, member_a, member_b, colleague_b, requests_url
):
    services.meeting_request_create(
        mission=mission, requester=part_a, recipient=part_b, message="Nickel offtake?", user=member_a
    )

    params = {"mission": TITLE, "firm": "Alpha Cathodes GmbH", "message": "Nickel offtake?"}
    assert _rows() == [
        ("tanaka@beta.example", NotificationKind.REQUEST_RECEIVED, params, requests_url),
        (member_b.email, NotificationKind.REQUEST_RECEIVED, params, requests_url),
    ]


def test_request_received_again_for_same_pair_notifies_once(mission, part_a, part_b, member_a, member_b, request_ab):
    services.meeting_request_create(mission=mission, requester=part_a, recipient=part_b, user=member_a)

    assert _rows() == []


def test_request_received_email_in_each_members_language(
    mission, part_a, part_b, member_a, member_b, colleague_b, django_capture_on_commit_callbacks
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.meeting_request_create(mission=mission, requester=part_a, recipient=part_b, user=member_a)

    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("tanaka@beta.example", f"{TITLE}：Alpha Cathodes GmbH から面談のリクエストが届きました"),
        (member_b.email, f"{TITLE}: Alpha Cathodes GmbH asks to meet you"),
    ]
    japanese = next(m for m in mail.outbox if m.to == ["tanaka@beta.example"])
    assert japanese.body.split("\n\n")[1] == f"{TITLE} で Alpha Cathodes GmbH が貴社との面談を希望しています。"


def test_request_accepted_notifies_requester(request_ab, member_a, member_b, requests_url):
    services.meeting_request_accept(request=request_ab, user=member_b)

    assert _rows() == [
        (
            member_a.email,
            NotificationKind.REQUEST_ACCEPTED,
            {"mission": TITLE, "firm": "Beta Refining KK"},
            requests_url,
        )
    ]


def test_request_declined_notifies_requester(request_ab, member_a, member_b, requests_url):
    services.meeting_request_decline(request=request_ab, user=member_b)

    assert _rows() == [
        (
            member_a.email,
            NotificationKind.REQUEST_DECLINED,
            {"mission": TITLE, "firm": "Beta Refining KK"},
            requests_url,
        )
    ]


def test_request_withdrawn_by_requester_notifies_recipient(request_ab, member_a, member_b, requests_url):
    services.meeting_request_withdraw(request=request_ab, user=member_a)

    params = {"mission": TITLE, "firm": "Alpha Cathodes GmbH"}
    assert _rows() == [(member_b.email, NotificationKind.REQUEST_WITHDRAWN, params, requests_url)]


def test_accepted_meeting_cancelled_by_recipient_notifies_requester_once(request_ab, member_a, member_b, requests_url):
    meeting = services.meeting_request_accept(request=request_ab, user=member_b)
    Notification.objects.all().delete()

    services.meeting_cancel_by_firm(meeting=meeting, user=member_b, reason="Our CEO cannot travel.")
    services.meeting_cancel_by_firm(meeting=meeting, user=member_b, reason="Our CEO cannot travel.")

    params = {
        "mission": TITLE, "firm": "Beta Refining KK", "zone": "Asia/Tokyo",
        "before": {"status": "confirmed", "local_start": None, "table": None},
        "by_firm": True, "reason": "Our CEO cannot travel.",
    }  # fmt: skip
    assert _rows() == [(member_a.email, NotificationKind.MEETING_CANCELLED, params, requests_url)]


def test_accept_commits_when_smtp_is_down(
    request_ab, member_a, member_b, failing_smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.meeting_request_accept(request=request_ab, user=member_b)

    request_ab.refresh_from_db()
    assert (request_ab.status, meeting.status, failing_smtp.attempts, mail.outbox) == (
        RequestStatus.ACCEPTED, MeetingStatus.CONFIRMED, 1, [],
    )  # fmt: skip
    assert Notification.objects.get().emailed_at is None  # left for the sweep


def test_accept_page_answers_redirect_when_smtp_is_down(
    client, mission, request_ab, member_b, failing_smtp, django_capture_on_commit_callbacks
):
    client.force_login(member_b)
    url = reverse("events:request_action", args=[mission.pk, request_ab.pk, "accept"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"priority": "high"})

    assert (response.status_code, MeetingRequest.objects.get().status) == (302, RequestStatus.ACCEPTED)


# Meetings changed by the organisers ------------------------------------------------------------------


@pytest.fixture
def meeting_ab(mission, part_a, part_b):
    return MeetingFactory(mission=mission, a=part_a, b=part_b)


def _placed(state_table, start="2025-10-06 09:00"):
    return {"status": "confirmed", "local_start": start, "table": state_table}


@pytest.fixture
def published_ab(mission, organiser, meeting_ab, slots, tables):
    """A and B meet on 2025-10-06 09:00 Tokyo at T1, published as version 1; no notification left."""
    services.meeting_move(meeting=meeting_ab, slot=slots[0], table=tables[0], user=organiser)
    services.schedule_publish(mission=mission, user=organiser)
    Notification.objects.all().delete()
    return meeting_ab


def _changed(n=2, moved=(), added=(), removed=()):
    return {"mission": TITLE, "n": n, "zone": "Asia/Tokyo", "moved": list(moved), "added": list(added),
            "removed": list(removed)}  # fmt: skip


def test_meeting_edits_after_publishing_notify_nobody_until_published(
    mission, organiser, published_ab, part_c, slots, tables
):
    other = MeetingFactory(mission=mission, a=part_c, b=published_ab.b)
    services.meeting_move(meeting=published_ab, slot=slots[1], table=tables[1], user=organiser)
    services.meeting_move(meeting=other, slot=slots[2], table=tables[0], user=organiser)
    services.meeting_pin(meeting=other, user=organiser)

    assert _rows() == []


def test_meeting_cancel_by_organiser_notifies_both_firms(
    mission, organiser, meeting_ab, member_a, member_b, slots, tables, requests_url
):
    services.meeting_move(meeting=meeting_ab, slot=slots[0], table=tables[0], user=organiser)

    services.meeting_cancel(meeting=meeting_ab, user=organiser, reason="The venue closes early.")
    services.meeting_cancel(meeting=meeting_ab, user=organiser, reason="The venue closes early.")

    assert _rows() == [
        (member_a.email, NotificationKind.MEETING_CANCELLED, {
            "mission": TITLE, "firm": "Beta Refining KK", "zone": "Asia/Tokyo", "before": _placed("T1"),
            "by_firm": False, "reason": "The venue closes early.",
        }, requests_url),
        (member_b.email, NotificationKind.MEETING_CANCELLED, {
            "mission": TITLE, "firm": "Alpha Cathodes GmbH", "zone": "Asia/Tokyo", "before": _placed("T1"),
            "by_firm": False, "reason": "The venue closes early.",
        }, requests_url),
    ]  # fmt: skip


def test_meeting_cancel_email_says_when_it_was(
    mission, organiser, meeting_ab, member_a, member_b, slots, tables, django_capture_on_commit_callbacks
):
    services.meeting_move(meeting=meeting_ab, slot=slots[0], table=tables[0], user=organiser)

    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting_ab, user=organiser, reason="The venue closes early.")

    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address[member_a.email].subject == f"{TITLE}: your meeting with Beta Refining KK is cancelled"
    assert by_address[member_a.email].body.split("\n\n")[1] == (
        f"The organisers of {TITLE} cancelled your meeting with Beta Refining KK.\n"
        "Their reason: The venue closes early.\n"
        "It was planned: 2025-10-06 09:00 (Asia/Tokyo) at T1"
    )


def test_meeting_move_before_publishing_notifies_nobody(mission, organiser, meeting_ab, member_a, slots, tables):
    services.meeting_move(meeting=meeting_ab, slot=slots[0], table=tables[0], user=organiser)

    assert _rows() == []


def test_publish_after_a_move_tells_only_the_two_firms_of_it(
    mission, organiser, published_ab, member_a, member_b, member_c, slots, tables, agenda_url
):
    services.meeting_move(meeting=published_ab, slot=slots[1], table=tables[1], user=organiser)

    services.schedule_publish(mission=mission, user=organiser)

    def moved(firm):
        return {"firm": firm, "before": _placed("T1"), "after": _placed("T2", "2025-10-06 09:30")}

    assert _rows() == [
        (member_a.email, NotificationKind.SCHEDULE_CHANGED, _changed(moved=[moved("Beta Refining KK")]), agenda_url),
        (member_b.email, NotificationKind.SCHEDULE_CHANGED, _changed(moved=[moved("Alpha Cathodes GmbH")]),
         agenda_url),
    ]  # fmt: skip


def test_publish_twice_after_a_move_notifies_once(mission, organiser, published_ab, member_a, member_b, slots, tables):
    services.meeting_move(meeting=published_ab, slot=slots[1], table=tables[1], user=organiser)

    services.schedule_publish(mission=mission, user=organiser)
    services.schedule_publish(mission=mission, user=organiser)

    assert Notification.objects.filter(kind=NotificationKind.SCHEDULE_CHANGED).count() == 2  # A and B, once each


def test_publish_after_a_swap_tells_the_four_firms(
    mission, organiser, published_ab, part_c, member_a, member_b, member_c, slots, tables
):
    part_d = ParticipationFactory(mission=mission, company=MembershipFactory().company)
    ParticipationFactory(mission=mission, company=MembershipFactory().company)  # a firm left alone
    other = MeetingFactory(mission=mission, a=part_c, b=part_d)
    services.meeting_move(meeting=other, slot=slots[1], table=tables[0], user=organiser)
    services.schedule_publish(mission=mission, user=organiser)
    Notification.objects.all().delete()

    services.meeting_swap(a=published_ab, b=other, user=organiser)
    services.schedule_publish(mission=mission, user=organiser)

    told = Notification.objects.filter(kind=NotificationKind.SCHEDULE_CHANGED).values_list(
        "recipient__membership__company_id", flat=True
    )
    expected = [published_ab.a.company_id, published_ab.b.company_id, part_c.company_id, part_d.company_id]
    assert sorted(told) == sorted(expected)


def test_publish_after_organiser_cancel_and_new_meeting_lists_only_the_new_one(
    mission, organiser, published_ab, part_a, part_c, member_a, member_b, member_c, slots, tables, agenda_url
):
    services.meeting_cancel(meeting=published_ab, user=organiser, reason="The venue closes early.")
    new = services.meeting_create(mission=mission, a=part_a, b=part_c, user=organiser)
    services.meeting_move(meeting=new, slot=slots[2], table=tables[0], user=organiser)
    told_at_once = [(email, kind) for email, kind, _params, _link in _rows()]

    services.schedule_publish(mission=mission, user=organiser)

    added = {**_placed("T1", "2025-10-06 10:00")}
    assert told_at_once == [
        (member_a.email, NotificationKind.MEETING_CANCELLED), (member_b.email, NotificationKind.MEETING_CANCELLED),
    ]  # fmt: skip
    assert [row for row in _rows() if row[1] == NotificationKind.SCHEDULE_CHANGED] == [
        (member_a.email, NotificationKind.SCHEDULE_CHANGED, _changed(added=[{**added, "firm": "Gamma Recycling SAS"}]),
         agenda_url),
        (member_c.email, NotificationKind.SCHEDULE_CHANGED, _changed(added=[{**added, "firm": "Alpha Cathodes GmbH"}]),
         agenda_url),
    ]  # fmt: skip


def test_cancellation_by_a_firm_is_told_at_once_and_not_again_at_publication(
    mission, organiser, part_a, part_b, member_a, member_b, slots, tables
):
    request = services.meeting_request_create(mission=mission, requester=part_a, recipient=part_b, user=member_a)
    meeting = services.meeting_request_accept(request=request, user=member_b)
    services.meeting_move(meeting=meeting, slot=slots[0], table=tables[0], user=organiser)
    services.schedule_publish(mission=mission, user=organiser)
    Notification.objects.all().delete()

    services.meeting_cancel_by_firm(meeting=meeting, user=member_a, reason="Our CEO cannot travel.")
    told_at_once = _rows()
    result = services.schedule_publish(mission=mission, user=organiser)

    assert [(email, kind) for email, kind, _params, _link in told_at_once] == [
        (member_b.email, NotificationKind.MEETING_CANCELLED)
    ]
    assert (result.created, [c.told for c in result.diff.removed], _rows()) == (True, [True], told_at_once)


def test_schedule_changed_email_in_english_and_japanese(
    mission, organiser, published_ab, member_a, member_b, slots, tables, django_capture_on_commit_callbacks
):
    member_b.language = "ja"
    member_b.save()
    services.meeting_move(meeting=published_ab, slot=slots[1], table=tables[1], user=organiser)

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.schedule_publish(mission=mission, user=organiser)

    by_address = {m.to[0]: m for m in mail.outbox}
    english, japanese = by_address[member_a.email], by_address[member_b.email]
    assert english.subject == f"{TITLE}: your meetings changed (schedule version 2)"
    assert english.body.split("\n\n")[1:3] == [
        f"The organisers of {TITLE} published version 2 of the schedule, which changes your meetings.",
        "Moved:\nBeta Refining KK: 2025-10-06 09:00 (Asia/Tokyo) at T1 → 2025-10-06 09:30 (Asia/Tokyo) at T2",
    ]
    assert japanese.subject == f"{TITLE}：面談の予定が変更されました（スケジュール第 2 版）"
    assert japanese.body.split("\n\n")[1:3] == [
        f"{TITLE} の主催者がスケジュールの第 2 版を公開しました。貴社の面談に変更があります。",
        "日時・テーブルが変わった面談：\n"
        "Alpha Cathodes GmbH：2025-10-06 09:00（Asia/Tokyo）T1 → 2025-10-06 09:30（Asia/Tokyo）T2",
    ]


# Publishing -------------------------------------------------------------------------------------------


def test_schedule_publish_notifies_every_firm_with_its_meetings(
    mission, organiser, meeting_ab, part_c, member_a, member_b, member_c, slots, tables, agenda_url
):
    services.meeting_move(meeting=meeting_ab, slot=slots[0], table=tables[0], user=organiser)

    services.schedule_publish(mission=mission, user=organiser)

    common = {"mission": TITLE, "n": 1, "zone": "Asia/Tokyo"}
    assert _rows() == [
        (member_a.email, NotificationKind.SCHEDULE_PUBLISHED,
         {**common, "meetings": [{**_placed("T1"), "firm": "Beta Refining KK"}]}, agenda_url),
        (member_b.email, NotificationKind.SCHEDULE_PUBLISHED,
         {**common, "meetings": [{**_placed("T1"), "firm": "Alpha Cathodes GmbH"}]}, agenda_url),
        (member_c.email, NotificationKind.SCHEDULE_PUBLISHED, {**common, "meetings": []}, agenda_url),
    ]  # fmt: skip


def test_schedule_publish_email_lists_meetings_without_table_table(
    mission, organiser, meeting_ab, member_a, slots, tables, django_capture_on_commit_callbacks
):
    tables[0].name = "Table 6"
    tables[0].save()
    services.meeting_move(meeting=meeting_ab, slot=slots[0], table=tables[0], user=organiser)

    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_publish(mission=mission, user=organiser)

    (message,) = [m for m in mail.outbox if m.to == [member_a.email]]
    assert message.body.split("\n\n")[1:3] == [
        f"The schedule of {TITLE} is published (version 1).",
        "2025-10-06 09:00 (Asia/Tokyo) at Table 6: Beta Refining KK",
    ]


# Reminder ---------------------------------------------------------------------------------------------


@pytest.fixture
def published(mission, organiser, meeting_ab, slots, tables):
    """A (first) meeting of A and B on 2025-10-06 09:00 Tokyo = 00:00 UTC, published."""
    services.meeting_move(meeting=meeting_ab, slot=slots[0], table=tables[0], user=organiser)
    services.schedule_publish(mission=mission, user=organiser)
    Notification.objects.all().delete()
    return meeting_ab


def _at(*args):
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_reminder_once_per_firm_the_day_before(published, member_a, member_b, colleague_b, agenda_url):
    first = meeting_reminders_send(now=_at(2025, 10, 5, 1, 0))  # 23 hours before
    second = meeting_reminders_send(now=_at(2025, 10, 5, 2, 0))

    assert (first, second) == (2, 0)
    base = {"mission": TITLE, "time": "2025-10-06 09:00", "zone": "Asia/Tokyo", "table": "T1",
            "venue": "Tokyo Big Sight"}  # fmt: skip
    assert _rows() == [
        ("tanaka@beta.example", NotificationKind.MEETING_REMINDER, {**base, "firm": "Alpha Cathodes GmbH"}, agenda_url),
        (member_a.email, NotificationKind.MEETING_REMINDER, {**base, "firm": "Beta Refining KK"}, agenda_url),
        (member_b.email, NotificationKind.MEETING_REMINDER, {**base, "firm": "Alpha Cathodes GmbH"}, agenda_url),
    ]


def test_reminder_not_too_early_nor_after_the_meeting(published, member_a):
    assert meeting_reminders_send(now=_at(2025, 10, 4, 23, 0)) == 0  # 25 hours before
    assert meeting_reminders_send(now=_at(2025, 10, 6, 0, 1)) == 0  # it has begun
    assert _rows() == []


def test_reminder_needs_a_published_schedule(mission, organiser, meeting_ab, member_a, slots, tables):
    services.meeting_move(meeting=meeting_ab, slot=slots[0], table=tables[0], user=organiser)

    assert meeting_reminders_send(now=_at(2025, 10, 5, 1, 0)) == 0


def test_reminder_gives_the_published_time_not_a_draft_move(published, organiser, member_a, slots, tables):
    services.meeting_move(meeting=published, slot=slots[1], table=tables[1], user=organiser)

    meeting_reminders_send(now=_at(2025, 10, 5, 1, 0))

    (params,) = Notification.objects.filter(kind=NotificationKind.MEETING_REMINDER).values_list("params", flat=True)
    assert params == {
        "mission": TITLE, "firm": "Beta Refining KK", "time": "2025-10-06 09:00", "zone": "Asia/Tokyo", "table": "T1",
        "venue": "Tokyo Big Sight",
    }  # fmt: skip


def test_reminder_leaves_out_a_meeting_a_firm_cancelled(mission, organiser, part_a, part_b, member_a, member_b, slots,
                                                        tables):  # fmt: skip
    request = services.meeting_request_create(mission=mission, requester=part_a, recipient=part_b, user=member_a)
    meeting = services.meeting_request_accept(request=request, user=member_b)
    services.meeting_move(meeting=meeting, slot=slots[0], table=tables[0], user=organiser)
    services.schedule_publish(mission=mission, user=organiser)
    services.meeting_cancel_by_firm(meeting=meeting, user=member_b, reason="Our CEO cannot travel.")

    assert meeting_reminders_send(now=_at(2025, 10, 5, 1, 0)) == 0


def test_reminder_email_in_japanese(published, member_b, django_capture_on_commit_callbacks):
    member_b.language = "ja"
    member_b.save()

    with django_capture_on_commit_callbacks(execute=True):
        meeting_reminders_send(now=_at(2025, 10, 5, 1, 0))

    (message,) = [m for m in mail.outbox if m.to == [member_b.email]]
    assert message.subject == f"{TITLE}：最初の面談は 2025-10-06 09:00（Asia/Tokyo）です"
    assert message.body.split("\n\n")[1] == (
        f"{TITLE} での面談がまもなく始まります。"
        "最初の面談は 2025-10-06 09:00（Asia/Tokyo）、Alpha Cathodes GmbH とです。\n"
        "会場： Tokyo Big Sight"
    )
