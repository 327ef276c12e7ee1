"""The subscribed calendar feed (/calendar/<token>.ics): content, updates, the token's life, isolation."""

import datetime as dt
import logging
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from accounts.models import CalendarFeed
from accounts.selectors import calendar_feed_of
from accounts.services import calendar_feed_regenerate
from events import services
from events.enums import MissionPhase
from events.models import Participation
from tests.events.factories import brussels_mission, phase_set

SITE = "https://kizuna.example"
TOKYO = ZoneInfo("Asia/Tokyo")
BRUSSELS = ZoneInfo("Europe/Brussels")
QUERIES_BASE = 2
PER_MISSION = 8


@pytest.fixture
def placed(settings, mission, part_a, part_b, part_c, slots, tables, organiser):
    """Firm A meets B on day 1 at 09:00 (T1) and C on day 2 at 09:30 (T2); B and C never meet."""
    settings.SITE_URL = SITE
    part_b.company.name_ja = "ベータ精錬株式会社"
    part_b.company.save()
    ab = services.meeting_create(mission=mission, a=part_a, b=part_b, user=organiser)
    ab = services.meeting_move(meeting=ab, slot=slots[0], table=tables[0], user=organiser)
    ca = services.meeting_create(mission=mission, a=part_c, b=part_a, user=organiser)
    ca = services.meeting_move(meeting=ca, slot=slots[6], table=tables[1], user=organiser)
    services.schedule_publish(mission=mission, user=organiser)  # firms see only what is published
    return {"ab": ab, "ca": ca}


def _path(user) -> str:
    """The path of the user's feed, made on first use."""
    if calendar_feed_of(user=user) is None:
        calendar_feed_regenerate(user=user)
    return calendar_feed_of(user=user).url.removeprefix(SITE)


def _events(path: str) -> list[tuple]:
    """(UID, SUMMARY, LOCATION, DTSTART, DTEND, SEQUENCE) of every event the feed at `path` holds."""
    response = Client().get(path)
    assert (response.status_code, response["Content-Type"]) == (200, "text/calendar; charset=utf-8")
    return [
        (str(e["UID"]), str(e["SUMMARY"]), str(e["LOCATION"]), e.decoded("dtstart"), e.decoded("dtend"),
         e.decoded("sequence"))
        for e in Calendar.from_ical(response.content).walk("VEVENT")
    ]  # fmt: skip


def _brussels_mission(organiser, company_a, company_b) -> Participation:
    """A second mission of firm A (and B), in Brussels, with one placed meeting at 10:00 local time."""
    return brussels_mission(organiser, company_a, company_b)[0]


# Content -----------------------------------------------------------------------------------------


def test_feed_lists_the_firms_meetings_with_partner_place_table_and_zone(placed, member_a, part_b, part_c):
    response = Client().get(_path(member_a))
    calendar = Calendar.from_ical(response.content)

    assert _events(_path(member_a)) == [
        (f"meeting-{placed['ab'].pk}@kizuna", "Meeting: Beta Refining KK (ベータ精錬株式会社)",
         "Tokyo Big Sight, table T1", dt.datetime(2025, 10, 6, 9, 0, tzinfo=TOKYO),
         dt.datetime(2025, 10, 6, 9, 25, tzinfo=TOKYO), 0),
        (f"meeting-{placed['ca'].pk}@kizuna", "Meeting: Gamma Recycling SAS", "Tokyo Big Sight, table T2",
         dt.datetime(2025, 10, 7, 9, 30, tzinfo=TOKYO), dt.datetime(2025, 10, 7, 9, 55, tzinfo=TOKYO), 0),
    ]  # fmt: skip
    assert [str(e["DESCRIPTION"]) for e in calendar.walk("VEVENT")] == [
        f"{SITE}/companies/{part_b.company_id}/", f"{SITE}/companies/{part_c.company_id}/",
    ]  # fmt: skip
    assert (str(calendar["X-WR-CALNAME"]), str(calendar["METHOD"])) == (
        "Kizuna meetings · Alpha Cathodes GmbH", "PUBLISH",
    )  # fmt: skip
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    assert b"DTSTART;TZID=Asia/Tokyo:20251006T090000\r\n" in response.content
    assert (response["Cache-Control"], response["X-Robots-Tag"]) == ("private, max-age=0", "noindex")


def test_feed_spans_every_mission_of_the_firm_each_in_its_zone(placed, member_a, organiser, company_a, company_b):
    _brussels_mission(organiser, company_a, company_b)
    response = Client().get(_path(member_a))
    calendar = Calendar.from_ical(response.content)

    assert [(e[3], e[2]) for e in _events(_path(member_a))] == [
        (dt.datetime(2025, 10, 6, 9, 0, tzinfo=TOKYO), "Tokyo Big Sight, table T1"),
        (dt.datetime(2025, 10, 7, 9, 30, tzinfo=TOKYO), "Tokyo Big Sight, table T2"),
        (dt.datetime(2025, 10, 27, 10, 0, tzinfo=BRUSSELS), "Brussels"),
    ]
    assert sorted(str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")) == ["Asia/Tokyo", "Europe/Brussels"]
    assert "X-WR-TIMEZONE" not in calendar


def test_feed_moved_meeting_same_uid_new_time_higher_sequence(placed, member_a, mission, organiser, slots, tables):
    services.schedule_publish(mission=mission, user=organiser)
    path = _path(member_a)
    before = _events(path)

    services.meeting_move(meeting=placed["ab"], slot=slots[1], table=tables[0], user=organiser)
    draft = _events(path)  # firms see the published version until the organisers publish again
    services.schedule_publish(mission=mission, user=organiser)

    after = _events(path)
    assert (before[0][0], before[0][3], before[0][5]) == (
        f"meeting-{placed['ab'].pk}@kizuna", dt.datetime(2025, 10, 6, 9, 0, tzinfo=TOKYO), 0,
    )  # fmt: skip
    assert draft == before
    assert (after[0][0], after[0][3], after[0][4], after[0][5]) == (
        f"meeting-{placed['ab'].pk}@kizuna", dt.datetime(2025, 10, 6, 9, 30, tzinfo=TOKYO),
        dt.datetime(2025, 10, 6, 9, 55, tzinfo=TOKYO), 1,
    )  # fmt: skip
    assert after[1] == (*before[1][:5], 1)


def test_feed_cancelled_meeting_leaves_the_feed(placed, member_a, mission, organiser):
    services.schedule_publish(mission=mission, user=organiser)
    path = _path(member_a)

    services.meeting_cancel(meeting=placed["ab"], user=organiser, reason="Beta cannot travel.")

    assert [e[0] for e in _events(path)] == [f"meeting-{placed['ca'].pk}@kizuna"]


def test_feed_stamps_every_event_with_the_time_of_the_request(placed, member_a):
    path = _path(member_a)
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)

    events = Calendar.from_ical(Client().get(path).content).walk("VEVENT")

    stamps = {e.decoded("dtstamp") for e in events}
    assert len(stamps) == 1 and before <= stamps.pop() <= dt.datetime.now(dt.UTC)


def test_feed_in_the_users_language_whatever_the_calendar_app_asks(placed, member_a):
    member_a.language = "ja"
    member_a.save()

    response = Client().get(_path(member_a), HTTP_ACCEPT_LANGUAGE="en")

    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Kizuna の面談 · Alpha Cathodes GmbH"
    assert str(calendar.walk("VEVENT")[1]["SUMMARY"]) == "面談：Gamma Recycling SAS"


# Isolation ---------------------------------------------------------------------------------------


def test_feed_never_shows_other_firms_meetings(placed, member_a, member_b, member_c, part_b, part_c, organiser,
                                               company_a, company_b):  # fmt: skip
    _brussels_mission(organiser, company_a, company_b)  # A and B meet there; C is not in it

    assert [e[0] for e in _events(_path(member_c))] == [f"meeting-{placed['ca'].pk}@kizuna"]
    assert [e[1] for e in _events(_path(member_b))] == ["Meeting: Alpha Cathodes GmbH"] * 2
    assert [e[0] for e in _events(_path(member_b))][0] == f"meeting-{placed['ab'].pk}@kizuna"


def test_feed_of_a_user_whose_firm_left_is_empty(placed, member_a):
    path = _path(member_a)
    member_a.membership.delete()

    assert _events(path) == []


def test_feed_of_draft_mission_stays_hidden_from_its_firms(placed, member_a, mission):
    phase_set(mission, MissionPhase.DRAFT)

    assert _events(_path(member_a)) == []


# The token ---------------------------------------------------------------------------------------


def test_feed_regenerate_ends_the_old_url(placed, member_a):
    old = _path(member_a)

    calendar_feed_regenerate(user=member_a)

    new = _path(member_a)
    assert new != old
    assert Client().get(old).status_code == 404
    assert len(_events(new)) == 2


@pytest.mark.parametrize("path", ["/calendar/.ics", "/calendar/", "/calendar/not-a-token.ics", "/calendar/a%2Fb.ics"])
def test_feed_without_a_valid_token_is_404(placed, member_a, path):
    _path(member_a)

    assert Client().get(path).status_code == 404


def test_feed_of_deactivated_account_is_404(placed, member_a):
    path = _path(member_a)
    member_a.is_active = False
    member_a.save()

    assert Client().get(path).status_code == 404


def test_feed_token_is_not_stored(placed, member_a):
    path = _path(member_a)
    token = path.removeprefix("/calendar/").removesuffix(".ics")

    feed = CalendarFeed.objects.get(user=member_a)
    assert (len(token), token in feed.nonce, token in feed.token_hash) == (43, False, False)


def test_feed_token_is_cut_out_of_the_request_log(placed, member_a, caplog):
    token = _path(member_a).removeprefix("/calendar/").removesuffix(".ics")
    calendar_feed_regenerate(user=member_a)

    with caplog.at_level(logging.WARNING, logger="django.request"):
        Client().get(f"/calendar/{token}.ics")

    assert [r.getMessage() for r in caplog.records if r.name == "django.request"] == ["Not Found: /calendar/….ics"]
    assert token not in caplog.text


def test_feed_only_answers_get(placed, member_a):
    assert Client().post(_path(member_a)).status_code == 405


# Queries -----------------------------------------------------------------------------------------


def _queries(path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert Client().get(path).status_code == 200
    return len(queries)


def test_feed_query_count_does_not_grow_with_meetings(placed, member_a, mission, part_a, organiser, slots, tables):
    path = _path(member_a)
    few = _queries(path)
    for slot, company in zip(slots[2:5], _companies(3), strict=True):
        partner = Participation.objects.create(mission=mission, company=company)
        meeting = services.meeting_create(mission=mission, a=part_a, b=partner, user=organiser)
        services.meeting_move(meeting=meeting, slot=slot, table=tables[0], user=organiser)
    services.schedule_publish(mission=mission, user=organiser)

    assert (len(_events(path)), _queries(path)) == (5, few)


def test_feed_query_count_grows_by_a_fixed_number_per_mission(placed, member_a, organiser, company_a, company_b):
    path = _path(member_a)
    one = _queries(path)
    _brussels_mission(organiser, company_a, company_b)
    two = _queries(path)
    _brussels_mission(organiser, company_a, company_b)

    # The feed's user and participations, then agenda_for's fixed number per mission (the published
    # version, the cancellations firms were told of, meetings, both firms' delegates, unavailable slots,
    # slots without a delegate present, free slots): never one per meeting.
    assert (one, two, _queries(path)) == (QUERIES_BASE + PER_MISSION, QUERIES_BASE + 2 * PER_MISSION,
                                          QUERIES_BASE + 3 * PER_MISSION)  # fmt: skip


def _companies(count: int):
    from tests.factories import CompanyFactory

    return [CompanyFactory(country="JP") for _ in range(count)]


# Pages ---------------------------------------------------------------------------------------------


def test_own_agenda_page_links_to_the_subscription(placed, member_a, mission, part_a, organiser):
    member = Client()
    member.force_login(member_a)
    manager = Client()
    manager.force_login(organiser)
    link = '<a href="/accounts/settings/#calendar">Subscribe in your calendar (updates when the schedule changes)</a>'

    assert link in member.get(f"/missions/{mission.pk}/me/agenda/").content.decode()
    assert link not in manager.get(f"/missions/{mission.pk}/agendas/{part_a.pk}/").content.decode()
