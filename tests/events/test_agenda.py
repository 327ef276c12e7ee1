"""Agendas: the selector (mission and viewer zones), the pages and the API, with their permissions."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from events import services
from events.agenda import Agenda, agenda_for, viewer_zone_clean
from events.models import Participation
from tests.events.factories import DelegateFactory, ParticipationFactory
from tests.factories import CompanyFactory

SITE = "https://kizuna.example"


@pytest.fixture
def placed(settings, mission, part_a, part_b, part_c, slots, tables, organiser):
    """Firm A (Tokyo mission, 2 days × 5 slots): B on day 1 at 09:00 (T1), C on day 2 at 09:30 (T2),
    D not scheduled; A cannot attend day 1 at 14:30; day 2 at 14:30 is removed."""
    settings.SITE_URL = SITE
    part_b.company.name_ja = "ベータ精錬株式会社"
    part_b.company.save()
    DelegateFactory(participation=part_b, name="Sato Hanako", role="Sales")
    DelegateFactory(participation=part_b, name="Suzuki Ichiro", role="")
    part_d = ParticipationFactory(mission=mission, company=CompanyFactory(name="Delta Anodes SpA", country="IT"))
    ab = services.meeting_create(mission=mission, a=part_a, b=part_b, user=organiser)
    services.meeting_move(meeting=ab, slot=slots[0], table=tables[0], user=organiser)
    ca = services.meeting_create(mission=mission, a=part_c, b=part_a, user=organiser)
    services.meeting_move(meeting=ca, slot=slots[6], table=tables[1], user=organiser)
    services.meeting_create(mission=mission, a=part_a, b=part_d, user=organiser)
    services.availability_set(
        participation=part_a, user=organiser, available_slot_ids={s.pk for s in slots} - {slots[4].pk}
    )
    services.slot_set_removed(slot=slots[9], user=organiser, removed=True)
    services.schedule_publish(mission=mission, user=organiser)  # firms see only what is published
    return {"ab": ab, "ca": ca, "d": part_d}


def _summary(agenda: Agenda) -> list:
    """Each day: its date, its meetings (time label, partner, table) and its free slots."""
    return [
        (
            day.date.isoformat(),
            [(e.timing.label, e.partner.name, e.table) for e in day.entries],
            [(f.timing.label, f.available) for f in day.free],
        )
        for day in agenda.days
    ]


def _fresh(participation: Participation) -> Participation:
    return Participation.objects.select_related("company", "mission").get(pk=participation.pk)


# Selector ----------------------------------------------------------------------------------------


def test_agenda_for_without_viewer_zone_is_in_mission_zone(placed, part_a):
    agenda = agenda_for(participation=_fresh(part_a), viewer_tz=None)

    assert agenda.viewer_tz is None
    assert _summary(agenda) == [
        ("2025-10-06", [("09:00–09:25 Tokyo (JST)", "Beta Refining KK", "T1")], [
            ("09:30–09:55 Tokyo (JST)", True), ("10:00–10:25 Tokyo (JST)", True),
            ("14:00–14:25 Tokyo (JST)", True), ("14:30–14:55 Tokyo (JST)", False),
        ]),
        ("2025-10-07", [("09:30–09:55 Tokyo (JST)", "Gamma Recycling SAS", "T2")], [
            ("09:00–09:25 Tokyo (JST)", True), ("10:00–10:25 Tokyo (JST)", True), ("14:00–14:25 Tokyo (JST)", True),
        ]),
    ]  # fmt: skip


def test_agenda_for_viewer_in_brussels_shows_both_zones(placed, part_a):
    agenda = agenda_for(participation=_fresh(part_a), viewer_tz="Europe/Brussels")

    assert agenda.viewer_tz == "Europe/Brussels"
    assert [(e.timing.label, e.timing.viewer_label) for day in agenda.days for e in day.entries] == [
        ("09:00–09:25 Tokyo (JST) · 02:00–02:25 Brussels (CEST)", "02:00–02:25 Brussels (CEST)"),
        ("09:30–09:55 Tokyo (JST) · 02:30–02:55 Brussels (CEST)", "02:30–02:55 Brussels (CEST)"),
    ]


def test_agenda_for_entry_carries_times_in_both_zones(placed, part_a):
    entry = agenda_for(participation=_fresh(part_a), viewer_tz="Europe/Brussels").days[0].entries[0]

    assert [t.isoformat() for t in (entry.timing.local.start, entry.timing.local.end)] == [
        "2025-10-06T09:00:00+09:00", "2025-10-06T09:25:00+09:00",
    ]  # fmt: skip
    assert [t.isoformat() for t in (entry.timing.viewer.start, entry.timing.viewer.end)] == [
        "2025-10-06T02:00:00+02:00", "2025-10-06T02:25:00+02:00",
    ]  # fmt: skip


def test_agenda_for_viewer_on_previous_day_shows_viewer_date(placed, part_a):
    agenda = agenda_for(participation=_fresh(part_a), viewer_tz="America/New_York")

    assert agenda.days[0].entries[0].timing.label == "09:00–09:25 Tokyo (JST) · Sun 5 Oct 20:00–20:25 New York (EDT)"


def test_agenda_for_viewer_on_previous_day_ja_shows_japanese_viewer_date(placed, part_a):
    agenda = agenda_for(participation=_fresh(part_a), viewer_tz="America/New_York")

    with translation.override("ja"):
        label = agenda.days[0].entries[0].timing.label
    assert label == "09:00–09:25 Tokyo (JST) · 10月5日(日) 20:00–20:25 New York (EDT)"


def test_agenda_for_viewer_in_mission_zone_shows_one_zone(placed, part_a):
    agenda = agenda_for(participation=_fresh(part_a), viewer_tz="Asia/Tokyo")

    assert (agenda.viewer_tz, agenda.days[0].entries[0].timing.label) == (None, "09:00–09:25 Tokyo (JST)")


def test_agenda_for_partner_has_names_profile_url_and_delegates(placed, part_a, part_b):
    partner = agenda_for(participation=_fresh(part_a), viewer_tz=None).days[0].entries[0].partner

    assert (partner.participation_id, partner.name, partner.name_ja, partner.url) == (
        part_b.pk, "Beta Refining KK", "ベータ精錬株式会社", f"{SITE}/companies/{part_b.company_id}/",
    )  # fmt: skip
    assert [(d.name, d.role) for d in partner.delegates] == [("Sato Hanako", "Sales"), ("Suzuki Ichiro", "")]


def test_agenda_for_lists_unscheduled_meetings_and_mission(placed, part_a, mission):
    agenda = agenda_for(participation=_fresh(part_a), viewer_tz=None)

    assert [p.name for p in agenda.unscheduled] == ["Delta Anodes SpA"]
    assert (agenda.mission.title, agenda.mission.city, agenda.mission.venue, agenda.mission.time_zone) == (
        "Battery supply chain mission to Tokyo", "Tokyo", "Tokyo Big Sight", "Asia/Tokyo",
    )  # fmt: skip
    assert (agenda.firm.name, agenda.meeting_count) == ("Alpha Cathodes GmbH", 2)


def test_agenda_for_partner_sees_the_meeting_from_its_side(placed, part_b):
    agenda = agenda_for(participation=_fresh(part_b), viewer_tz=None)

    assert [(e.partner.name, e.table) for day in agenda.days for e in day.entries] == [("Alpha Cathodes GmbH", "T1")]


def _meetings_of(agenda: Agenda) -> list:
    return [(e.timing.local.label, e.partner.name, e.table) for day in agenda.days for e in day.entries]


def test_agenda_for_after_publishing_keeps_published_times_of_draft_edits(
    placed, part_a, mission, organiser, slots, tables
):
    services.schedule_publish(mission=mission, user=organiser)
    services.meeting_move(meeting=placed["ab"], slot=slots[1], table=tables[1], user=organiser)
    services.meeting_cancel(meeting=placed["ca"], user=organiser, reason="The venue closes early.")
    part_e = ParticipationFactory(mission=mission)
    new = services.meeting_create(mission=mission, a=part_a, b=part_e, user=organiser)
    services.meeting_move(meeting=new, slot=slots[2], table=tables[0], user=organiser)

    agenda = agenda_for(participation=_fresh(part_a), viewer_tz=None)

    # The move waits for publication; the cancellation was told at once, so it is gone already.
    assert _meetings_of(agenda) == [("09:00–09:25 Tokyo (JST)", "Beta Refining KK", "T1")]
    assert [p.name for p in agenda.unscheduled] == ["Delta Anodes SpA"]
    services.schedule_publish(mission=mission, user=organiser)
    assert _meetings_of(agenda_for(participation=_fresh(part_a), viewer_tz=None)) == [
        ("09:30–09:55 Tokyo (JST)", "Beta Refining KK", "T2"), ("10:00–10:25 Tokyo (JST)", part_e.company.name, "T1"),
    ]  # fmt: skip


def test_agenda_for_after_publishing_drops_a_meeting_a_firm_cancelled_and_shows_a_new_one_unscheduled(
    mission, part_a, part_b, part_c, member_a, member_b, member_c, organiser, slots, tables
):
    request = services.meeting_request_create(mission=mission, requester=part_a, recipient=part_b, user=member_a)
    meeting = services.meeting_request_accept(request=request, user=member_b)
    services.meeting_move(meeting=meeting, slot=slots[0], table=tables[0], user=organiser)
    services.schedule_publish(mission=mission, user=organiser)
    services.meeting_cancel_by_firm(meeting=meeting, user=member_a, reason="Our CEO cannot travel.")
    again = services.meeting_request_create(mission=mission, requester=part_c, recipient=part_a, user=member_c)
    services.meeting_request_accept(request=again, user=member_a)

    agenda = agenda_for(participation=_fresh(part_a), viewer_tz=None)

    assert (_meetings_of(agenda), [p.name for p in agenda.unscheduled]) == ([], [part_c.company.name])


def test_agenda_for_unknown_zone_raises_field_error(placed, part_a):
    with pytest.raises(ValidationError) as exc:
        agenda_for(participation=_fresh(part_a), viewer_tz="Mars/Olympus")

    assert exc.value.message_dict == {"tz": ["“Mars/Olympus” is not an IANA time zone such as Europe/Brussels."]}


@pytest.mark.parametrize(("value", "expected"), [(None, None), ("", None), ("Europe/Brussels", "Europe/Brussels")])
def test_viewer_zone_clean_accepts_empty_and_iana_names(value, expected):
    assert viewer_zone_clean(value) == expected


@pytest.mark.parametrize("value", ["zone.tab", "../etc/passwd", "Europe/Atlantis", "x" * 200])
def test_viewer_zone_clean_refuses_other_names(value):
    with pytest.raises(ValidationError) as exc:
        viewer_zone_clean(value)

    assert exc.value.message_dict == {"tz": [f"“{value[:64]}” is not an IANA time zone such as Europe/Brussels."]}


def test_agenda_for_query_count_does_not_grow_with_meetings(
    placed, part_a, mission, organiser, slots, tables, django_assert_num_queries
):
    participation = _fresh(part_a)
    # the published version, the cancellations firms were told of, meetings, the two sides' delegates,
    # unavailabilities, slots without a delegate present, free slots
    with django_assert_num_queries(8):
        agenda_for(participation=participation, viewer_tz="Europe/Brussels")
    for slot in (slots[1], slots[2]):
        other = ParticipationFactory(mission=mission)
        meeting = services.meeting_create(mission=mission, a=other, b=part_a, user=organiser)
        services.meeting_move(meeting=meeting, slot=slot, table=tables[0], user=organiser)

    services.schedule_publish(mission=mission, user=organiser)
    participation = _fresh(part_a)
    with django_assert_num_queries(8):
        assert agenda_for(participation=participation, viewer_tz="Europe/Brussels").meeting_count == 4


# Pages -------------------------------------------------------------------------------------------


@pytest.fixture
def roles(member_a, member_b, organiser, other_organiser, admin_user):
    return {
        "anonymous": None, "member_a": member_a, "member_b": member_b, "organiser": organiser,
        "other_organiser": other_organiser, "admin": admin_user,
    }  # fmt: skip


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("member_a", 200), ("member_b", 200), ("organiser", 404), ("other_organiser", 404),
     ("admin", 404)],
)  # fmt: skip
def test_my_agenda_permission_matrix(placed, mission, roles, role, status):
    response = client_for(roles[role]).get(f"/missions/{mission.pk}/me/agenda/")

    assert response.status_code == status
    if status == 200:
        assert response.context["agenda"].firm.name == {"member_a": "Alpha Cathodes GmbH",
                                                       "member_b": "Beta Refining KK"}[role]  # fmt: skip


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("member_a", 403), ("member_b", 403), ("organiser", 200), ("other_organiser", 403),
     ("admin", 200)],
)  # fmt: skip
def test_participant_agenda_permission_matrix(placed, mission, part_a, roles, role, status):
    response = client_for(roles[role]).get(f"/missions/{mission.pk}/agendas/{part_a.pk}/")

    assert response.status_code == status
    if status == 200:
        assert response.context["agenda"].firm.name == "Alpha Cathodes GmbH"
    if status == 302:
        assert response.url.startswith("/accounts/login/")


def test_participant_agenda_of_another_mission_is_404(placed, mission, organiser):
    stranger = ParticipationFactory()

    assert client_for(organiser).get(f"/missions/{mission.pk}/agendas/{stranger.pk}/").status_code == 404


def test_my_agenda_page_shows_published_time_after_an_unpublished_move(
    placed, mission, member_a, organiser, slots, tables
):
    services.schedule_publish(mission=mission, user=organiser)
    services.meeting_move(meeting=placed["ab"], slot=slots[3], table=tables[1], user=organiser)

    agenda = client_for(member_a).get(f"/missions/{mission.pk}/me/agenda/").context["agenda"]

    assert _meetings_of(agenda)[0] == ("09:00–09:25 Tokyo (JST)", "Beta Refining KK", "T1")


def test_my_agenda_with_viewer_zone_shows_both_times(placed, mission, part_a, member_a):
    response = client_for(member_a).get(f"/missions/{mission.pk}/me/agenda/", {"tz": "Europe/Brussels"})
    body = response.content.decode()

    assert response.context["tz_error"] == ""
    assert '<td>09:00–09:25 Tokyo (JST)<br><span class="muted">02:00–02:25 Brussels (CEST)</span></td>' in body
    assert f'href="/missions/{mission.pk}/agendas/{part_a.pk}.pdf?tz=Europe%2FBrussels"' in body
    assert f'href="/missions/{mission.pk}/agendas/{part_a.pk}.ics"' in body


def test_my_agenda_day_headings_in_the_language_of_the_page(placed, mission, member_a):
    url = f"/missions/{mission.pk}/me/agenda/"
    english = client_for(member_a).get(url).content.decode()
    japanese = client_for(member_a).get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()

    assert re.findall(r"<h2>([^<]*)</h2>", english)[:2] == ["Monday 6 October 2025", "Tuesday 7 October 2025"]
    assert re.findall(r"<h2>([^<]*)</h2>", japanese)[:2] == ["2025年10月6日(月)", "2025年10月7日(火)"]


def test_my_agenda_without_zone_offers_browser_zone_script(placed, mission, member_a):
    body = client_for(member_a).get(f"/missions/{mission.pk}/me/agenda/").content.decode()

    assert "<td>09:00–09:25 Tokyo (JST)</td>" in body
    assert '<p class="js-agenda-tz" data-mission-tz="Asia/Tokyo" hidden>' in body
    assert '<script src="/static/js/agenda-tz.js" defer></script>' in body


def test_my_agenda_with_unknown_zone_says_so_and_uses_mission_zone(placed, mission, member_a):
    response = client_for(member_a).get(f"/missions/{mission.pk}/me/agenda/", {"tz": "Mars/Olympus"})

    assert response.context["tz_error"] == "“Mars/Olympus” is not an IANA time zone such as Europe/Brussels."
    assert response.context["agenda"].viewer_tz is None
    assert (
        '<p class="error-box">“Mars/Olympus” is not an IANA time zone such as Europe/Brussels. '
        "Times are shown in the mission's time zone.</p>"
    ) in response.content.decode()


def test_my_agenda_shows_partner_link_japanese_name_and_delegates(placed, mission, part_b, member_a):
    body = client_for(member_a).get(f"/missions/{mission.pk}/me/agenda/").content.decode()

    assert (
        f'<td><a href="{SITE}/companies/{part_b.company_id}/">Beta Refining KK</a><br>'
        '<span lang="ja">ベータ精錬株式会社</span></td>'
    ) in body
    assert 'Sato Hanako <span class="muted">(Sales)</span>, Suzuki Ichiro' in body


def test_participant_list_links_each_agenda(placed, mission, part_a, organiser):
    body = client_for(organiser).get(f"/missions/{mission.pk}/participants/").content.decode()

    assert f'<a href="/missions/{mission.pk}/agendas/{part_a.pk}/">Agenda</a>' in body


# API ---------------------------------------------------------------------------------------------


def api_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("member_a", 200), ("member_b", 404), ("organiser", 200), ("other_organiser", 404),
     ("admin", 200)],
)  # fmt: skip
def test_agenda_api_permission_matrix(placed, mission, part_a, roles, role, status):
    response = api_for(roles[role]).get(f"/api/v1/missions/{mission.pk}/agenda/", {"participation": part_a.pk})

    assert response.status_code == status
    if status == 200:
        assert response.json()["firm"]["name"] == "Alpha Cathodes GmbH"
    if status == 404 and role != "anonymous":
        assert response.json() == {"detail": "No agenda of yours in this mission."}


def test_agenda_api_without_participation_is_own_firm(placed, mission, member_b):
    response = api_for(member_b).get(f"/api/v1/missions/{mission.pk}/agenda/")

    assert (response.status_code, response.json()["firm"]["name"]) == (200, "Beta Refining KK")


def test_agenda_api_organiser_without_participation_is_404(placed, mission, organiser):
    response = api_for(organiser).get(f"/api/v1/missions/{mission.pk}/agenda/")

    assert (response.status_code, response.json()) == (404, {"detail": "No agenda of yours in this mission."})


def test_agenda_api_unknown_zone_is_400(placed, mission, member_a):
    response = api_for(member_a).get(f"/api/v1/missions/{mission.pk}/agenda/", {"tz": "Mars/Olympus"})

    assert (response.status_code, response.json()) == (
        400, {"tz": ["“Mars/Olympus” is not an IANA time zone such as Europe/Brussels."]},
    )  # fmt: skip


def test_agenda_api_payload_in_both_zones(placed, mission, part_a, part_b, member_a, slots):
    response = api_for(member_a).get(f"/api/v1/missions/{mission.pk}/agenda/", {"tz": "Europe/Brussels"})
    data = response.json()

    assert (data["mission"], data["viewer_time_zone"]) == (
        {"id": mission.pk, "title": "Battery supply chain mission to Tokyo", "city": "Tokyo",
         "venue": "Tokyo Big Sight", "time_zone": "Asia/Tokyo"},
        "Europe/Brussels",
    )  # fmt: skip
    assert [d["date"] for d in data["days"]] == ["2025-10-06", "2025-10-07"]
    assert data["days"][0]["meetings"] == [{
        "meeting": placed["ab"].pk, "slot": slots[0].pk, "table": "T1", "fixed_reason": "",
        "timing": {
            "start": "2025-10-06T09:00:00+09:00", "end": "2025-10-06T09:25:00+09:00",
            "viewer_start": "2025-10-06T02:00:00+02:00", "viewer_end": "2025-10-06T02:25:00+02:00",
            "label": "09:00–09:25 Tokyo (JST) · 02:00–02:25 Brussels (CEST)",
        },
        "partner": {
            "participation": part_b.pk, "company": part_b.company_id, "name": "Beta Refining KK",
            "name_ja": "ベータ精錬株式会社", "url": f"{SITE}/companies/{part_b.company_id}/",
            "delegates": [{"name": "Sato Hanako", "role": "Sales"}, {"name": "Suzuki Ichiro", "role": ""}],
        },
    }]  # fmt: skip
    assert data["days"][0]["free_slots"][-1] == {
        "slot": slots[4].pk, "available": False,
        "timing": {
            "start": "2025-10-06T14:30:00+09:00", "end": "2025-10-06T14:55:00+09:00",
            "viewer_start": "2025-10-06T07:30:00+02:00", "viewer_end": "2025-10-06T07:55:00+02:00",
            "label": "14:30–14:55 Tokyo (JST) · 07:30–07:55 Brussels (CEST)",
        },
    }  # fmt: skip
    assert [p["name"] for p in data["unscheduled"]] == ["Delta Anodes SpA"]


def test_agenda_api_without_zone_has_no_viewer_times(placed, mission, member_a):
    data = api_for(member_a).get(f"/api/v1/missions/{mission.pk}/agenda/").json()

    assert (data["viewer_time_zone"], data["days"][1]["meetings"][0]["timing"]) == (None, {
        "start": "2025-10-07T09:30:00+09:00", "end": "2025-10-07T09:55:00+09:00", "viewer_start": None,
        "viewer_end": None, "label": "09:30–09:55 Tokyo (JST)",
    })  # fmt: skip


def test_agenda_day_dates_are_mission_local_dates(placed, part_a):
    agenda = agenda_for(participation=_fresh(part_a), viewer_tz="America/New_York")

    assert [day.date for day in agenda.days] == [dt.date(2025, 10, 6), dt.date(2025, 10, 7)]
