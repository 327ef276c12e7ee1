"""The organiser dashboard: every figure equals a count made here directly on the database; the
page and the API show them to the mission's organisers and admins only."""

import datetime as dt
from collections import Counter

import pytest
from django.db.models import Q
from django.urls import reverse

from events import services
from events.enums import MeetingStatus, RequestStatus
from events.models import Meeting, MeetingRequest, Participation
from events.selectors_dashboard import mission_dashboard
from tests.clients import api, web
from tests.events.factories import MeetingFactory, MeetingRequestFactory, ParticipationFactory
from tests.factories import CompanyFactory

UTC = dt.UTC


@pytest.fixture
def busy(mission, part_a, part_b, part_c, slots, tables, organiser):
    """Six firms joined on three Tokyo days, requests in every status, meetings placed at a table,
    without one, unplaced and cancelled."""
    more = [
        ParticipationFactory(mission=mission, company=CompanyFactory(country="JP", sectors=["biotech"])),
        ParticipationFactory(mission=mission, company=CompanyFactory(country="FR", sectors=[])),
        ParticipationFactory(mission=mission, company=CompanyFactory(country="JP", sectors=["biotech", "batteries"])),
    ]
    firms = [part_a, part_b, part_c, *more]
    # 2025-10-01 23:30 UTC is already 10-02 in Tokyo: the day is the mission's.
    joined = [dt.datetime(2025, 10, 1, 1, 0, tzinfo=UTC), dt.datetime(2025, 10, 1, 23, 30, tzinfo=UTC)]
    joined += [dt.datetime(2025, 10, 2, 3, 0, tzinfo=UTC)] * 3 + [dt.datetime(2025, 10, 5, 3, 0, tzinfo=UTC)]
    for firm, moment in zip(firms, joined, strict=True):
        Participation.objects.filter(pk=firm.pk).update(created_at=moment)
    a, b, c, d, e, f = firms
    for requester, recipient, status in [
        (a, b, RequestStatus.ACCEPTED), (a, c, RequestStatus.ACCEPTED), (a, d, RequestStatus.DECLINED),
        (b, c, RequestStatus.PENDING), (b, d, RequestStatus.WITHDRAWN), (e, f, RequestStatus.EXPIRED),
        (c, d, RequestStatus.ACCEPTED),
    ]:  # fmt: skip
        MeetingRequestFactory(mission=mission, requester=requester, recipient=recipient, status=status)
    at_table = services.meeting_create(mission=mission, a=a, b=b, user=organiser)
    services.meeting_move(meeting=at_table, slot=slots[0], table=tables[0], user=organiser)
    other_table = services.meeting_create(mission=mission, a=c, b=d, user=organiser)
    services.meeting_move(meeting=other_table, slot=slots[0], table=tables[1], user=organiser)
    no_table = services.meeting_create(mission=mission, a=a, b=c, user=organiser)
    # Placed without a table, as in a mission without tables (the service asks for one when there are some).
    Meeting.objects.filter(pk=no_table.pk).update(slot=slots[3])
    services.meeting_create(mission=mission, a=a, b=e, user=organiser)  # agreed, not placed
    MeetingFactory(mission=mission, a=e, b=b, status=MeetingStatus.CANCELLED)
    return mission


def _db_counts(mission) -> dict:
    """The figures counted the plain way, one query each."""
    confirmed = Meeting.objects.filter(mission=mission, status=MeetingStatus.CONFIRMED)
    per_firm = {p.pk: confirmed.filter(Q(a=p) | Q(b=p)).count() for p in Participation.objects.filter(mission=mission)}
    return {
        "participants": Participation.objects.filter(mission=mission).count(),
        "requests": {s: MeetingRequest.objects.filter(mission=mission, status=s).count() for s in RequestStatus.values},
        "confirmed": confirmed.count(),
        "placed": confirmed.filter(slot__isnull=False).count(),
        "cancelled": Meeting.objects.filter(mission=mission, status=MeetingStatus.CANCELLED).count(),
        "per_firm": per_firm,
        "at_table": {s.pk: confirmed.filter(slot=s, table__isnull=False).count() for s in mission.slots.all()},
        "without_table": {s.pk: confirmed.filter(slot=s, table__isnull=True).count() for s in mission.slots.all()},
        "countries": Counter(Participation.objects.filter(mission=mission).values_list("company__country", flat=True)),
    }


def test_dashboard_figures_equal_database_counts(busy):
    d = mission_dashboard(mission=busy)
    db = _db_counts(busy)
    assert d.participants == db["participants"] == 6
    assert {item.code: item.count for item in d.requests} == db["requests"]
    assert d.requests_total == sum(db["requests"].values()) == 7
    accepted, declined = db["requests"][RequestStatus.ACCEPTED], db["requests"][RequestStatus.DECLINED]
    assert d.acceptance_rate == accepted / (accepted + declined) == 0.75
    meetings = (d.meetings_confirmed, d.meetings_placed, d.meetings_cancelled)
    assert meetings == (db["confirmed"], db["placed"], db["cancelled"]) == (4, 3, 1)
    firms_with = Counter(db["per_firm"].values())
    assert d.meetings_per_firm == [(k, firms_with[k]) for k in range(max(firms_with) + 1)]
    assert [(u.slot_id, u.at_table, u.without_table) for u in d.table_use] == [
        (s.pk, db["at_table"][s.pk], db["without_table"][s.pk]) for s in busy.slots.order_by("start")
    ]
    assert {c.code: c.count for c in d.countries} == dict(db["countries"]) == {"DE": 1, "JP": 3, "FR": 2}
    assert d.tables == busy.tables.count() == 2


def test_dashboard_distribution_lists_every_count_up_to_the_most(busy):
    d = mission_dashboard(mission=busy)
    # a: 3 (b, c, e); b: 1; c: 2 (a, d); d: 1; e: 1 (the cancelled one does not count); f: 0.
    assert d.meetings_per_firm == [(0, 1), (1, 3), (2, 1), (3, 1)]


def test_dashboard_registrations_by_local_day_with_running_total(busy):
    d = mission_dashboard(mission=busy)
    assert [(r.day, r.joined, r.total) for r in d.registrations] == [
        (dt.date(2025, 10, 1), 1, 1), (dt.date(2025, 10, 2), 4, 5), (dt.date(2025, 10, 5), 1, 6),
    ]  # fmt: skip


def test_dashboard_table_use_per_slot(busy, slots):
    d = mission_dashboard(mission=busy)
    use = {u.slot_id: (u.at_table, u.without_table) for u in d.table_use}
    assert use[slots[0].pk] == (2, 0)
    assert use[slots[3].pk] == (0, 1)
    assert sum(a + w for a, w in use.values()) == 3
    assert d.table_use[0].start == dt.datetime(2025, 10, 6, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))


def test_dashboard_sectors_count_a_firm_once_per_sector(busy):
    d = mission_dashboard(mission=busy)
    # a and c: the factory's batteries; b: critical minerals and batteries; d: biotech; e: none; f: biotech, batteries.
    assert [(s.code, s.count) for s in d.sectors] == [("batteries", 4), ("biotech", 2), ("critical_minerals", 1)]
    assert [s.label for s in d.sectors] == ["Batteries", "Biotech", "Critical minerals"]


def test_dashboard_acceptance_rate_none_without_answers(mission):
    d = mission_dashboard(mission=mission)
    assert (d.participants, d.requests_total, d.acceptance_rate, d.registrations) == (0, 0, None, [])
    assert d.meetings_per_firm == []
    assert len(d.table_use) == 10


def test_dashboard_queries_do_not_grow_with_the_mission(busy, django_assert_num_queries):
    with django_assert_num_queries(5):
        mission_dashboard(mission=busy)
    for _ in range(5):
        ParticipationFactory(mission=busy)
    with django_assert_num_queries(5):
        mission_dashboard(mission=busy)


@pytest.mark.parametrize(
    ("role", "code"),
    [("organiser", 200), ("admin", 200), ("other_organiser", 403), ("member_a", 403), ("anonymous", 302)],
)
def test_dashboard_page_for_organisers_only(busy, roles, role, code):
    response = web(roles[role]).get(reverse("events:dashboard", args=[busy.pk]))
    assert response.status_code == code


def test_dashboard_page_shows_charts_and_tables(busy, organiser):
    response = web(organiser).get(reverse("events:dashboard", args=[busy.pk]))
    html = response.content.decode()
    for heading in ("Registrations over time", "Meeting requests by status", "Meetings per firm",
                    "Table use per slot", "Country mix", "Sector mix"):  # fmt: skip
        assert f'-title">{heading}</title>' in html
    assert html.count('<svg class="chart"') == 6
    assert html.count('<details class="chart-data">') == 6
    assert "75 %" in html  # the acceptance rate
    assert '<th scope="row">Japan</th><td class="num">3</td>' in html
    first = mission_dashboard(mission=busy).table_use[0].start
    assert f'<th scope="row">{first.day} {first:%B %H:%M}</th>' in html  # the site's day format, not 1/3


def test_dashboard_page_in_japanese(busy, organiser):
    html = web(organiser, "ja").get(reverse("events:dashboard", args=[busy.pk])).content.decode()
    assert '<th scope="row">日本</th><td class="num">3</td>' in html
    assert "ダッシュボード" in html
    first = mission_dashboard(mission=busy).table_use[0].start
    assert f'<th scope="row">{first.month}月{first.day}日 {first:%H:%M}</th>' in html


def test_mission_page_links_the_dashboard_for_organisers(busy, organiser, member_a):
    url = reverse("events:dashboard", args=[busy.pk])
    assert url in web(organiser).get(reverse("events:detail", args=[busy.pk])).content.decode()
    assert url not in web(member_a).get(reverse("events:detail", args=[busy.pk])).content.decode()


def test_dashboard_api_matches_the_selector(busy, organiser):
    response = api(organiser).get(f"/api/v1/missions/{busy.pk}/dashboard/")
    assert response.status_code == 200
    data = response.json()
    assert data["participants"] == 6
    assert data["acceptance_rate"] == 0.75
    assert data["requests"][0] == {"code": "pending", "label": "Pending", "count": 1}
    assert data["meetings_per_firm"] == [
        {"meetings": 0, "firms": 1}, {"meetings": 1, "firms": 3}, {"meetings": 2, "firms": 1},
        {"meetings": 3, "firms": 1},
    ]  # fmt: skip
    assert data["registrations"][1] == {"day": "2025-10-02", "joined": 4, "total": 5}
    assert data["table_use"][0]["start"] == "2025-10-06T09:00:00+09:00"
    assert data["table_use"][0]["at_table"] == 2
    assert data["countries"] == [
        {"code": "JP", "label": "Japan", "count": 3}, {"code": "FR", "label": "France", "count": 2},
        {"code": "DE", "label": "Germany", "count": 1},
    ]  # fmt: skip


@pytest.mark.parametrize(("role", "code"), [("other_organiser", 403), ("member_a", 403), ("admin", 200)])
def test_dashboard_api_for_organisers_only(busy, roles, role, code):
    assert api(roles[role]).get(f"/api/v1/missions/{busy.pk}/dashboard/").status_code == code


def test_dashboard_api_in_the_schema(organiser):
    schema = api(organiser).get("/api/schema/").content.decode()
    assert "/api/v1/missions/{id}/dashboard/" in schema
    assert "acceptance_rate" in schema
