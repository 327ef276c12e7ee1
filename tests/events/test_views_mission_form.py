"""Mission setup page: real widgets, lenient input, warnings shown before saving and a confirm step."""

import datetime as dt

import pytest
from django.test import Client

from events.models import Mission
from tests.events.factories import ParticipationFactory
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db
NEW = "/missions/new/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _data(**overrides) -> dict:
    data = {
        "title": "Osaka biotech week", "city": "Osaka", "time_zone": "JST", "day_1": "12/04/2027",
        "day_2": "2027-04-13", "session_1_start": "9:00-12:00", "meeting_minutes": 30, "break_minutes": 0,
        "table_count": 3,
    }  # fmt: skip
    return {**data, **overrides}


def test_page_has_date_time_inputs_and_zone_list(organiser):
    content = _client(organiser).get(NEW).content.decode()

    assert '<input type="date" name="day_1"' in content
    assert '<input type="time" name="session_1_start"' in content
    assert '<input type="text" name="time_zone" list="time-zones"' in content
    assert '<option value="Asia/Tokyo">' in content and '<option value="Europe/Berlin">' in content


def test_lenient_input_saves_without_warnings(organiser):
    response = _client(organiser).post(NEW, _data())

    mission = Mission.objects.get(title="Osaka biotech week")
    assert (response.status_code, mission.time_zone) == (302, "Asia/Tokyo")
    assert list(mission.days.values_list("date", flat=True)) == [dt.date(2027, 4, 12), dt.date(2027, 4, 13)]
    assert [(s.start_time, s.end_time) for s in mission.sessions.all()] == [(dt.time(9), dt.time(12))]
    assert mission.slots.count() == 12


def test_warnings_shown_and_nothing_saved_until_confirmed(organiser):
    client = _client(organiser)
    data = _data(day_1="29/04/2027", day_2="01/05/2027", session_2_start="13:00", session_2_end="13:20")

    first = client.post(NEW, data)

    assert (first.status_code, Mission.objects.count()) == (200, 0)
    assert first.context["warnings"] == [
        "Session 13:00–13:20 is shorter than one meeting (30 minutes): it holds no slot.",
        "1 May 2027 (Saturday) is a weekend day.",
        "29 Apr 2027 (Thursday) is a public holiday in Japan: Showa Day.",
    ]
    assert '<p class="small" role="status">Read as Asia/Tokyo.</p>' in first.content.decode()
    fingerprint = first.context["warnings_fingerprint"]
    assert f'<input type="hidden" name="warnings_seen" value="{fingerprint}">' in first.content.decode()

    not_ticked = client.post(NEW, {**data, "warnings_seen": fingerprint})
    other_warnings = client.post(NEW, {**data, "day_3": "2027-05-02", "warnings_seen": fingerprint,
                                       "confirm_warnings": "on"})  # fmt: skip
    confirmed = client.post(NEW, {**data, "warnings_seen": fingerprint, "confirm_warnings": "on"})

    assert (not_ticked.status_code, other_warnings.status_code, confirmed.status_code) == (200, 200, 302)
    assert Mission.objects.count() == 1


def test_warnings_in_japanese(organiser):
    client = _client(organiser)

    response = client.post(NEW, _data(day_1="2027-04-29", day_2=""), HTTP_ACCEPT_LANGUAGE="ja")

    assert response.context["warnings"] == ["2027年4月29日 (木曜日) は日本の祝日です：昭和の日。"]


def test_past_day_and_zero_slots_warned(organiser):
    response = _client(organiser).post(NEW, _data(day_1="2020-01-06", day_2="", session_1_start="9:00-9:20"))

    assert response.context["warnings"] == [
        "Session 09:00–09:20 is shorter than one meeting (30 minutes): it holds no slot.",
        "No meeting fits in any session: the mission would have no slot at all.",
        "6 Jan 2020 (Monday) is in the past.",
    ]


def test_edit_warns_of_holidays_in_the_delegations_countries(mission, organiser):
    ParticipationFactory(mission=mission, company=CompanyFactory(country="FR"))
    data = _data(time_zone="Asia/Tokyo", day_1="2027-05-06", day_2="", title=mission.title)

    response = _client(organiser).post(f"/missions/{mission.pk}/edit/", data)

    assert response.context["warnings"] == ["6 May 2027 (Thursday) is a public holiday in France: Ascension Day."]


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"day_1": "04/31/2027", "day_2": ""},
         {"day_1": ["“04/31/2027” is not a date: 2027-04-12 or 12/04/2027 (day first)."]}),
        ({"day_1": "", "day_2": ""}, {"day_1": ["Give at least one day."]}),
        ({"session_1_start": "9:00"}, {"session_1_end": ["Give the end time."]}),
        ({"session_1_start": "nine", "session_1_end": "12:00"},
         {"session_1_start": ["“nine” is not a time like 09:00."]}),
        ({"time_zone": "Mars"},
         {"time_zone": ["“Mars” is not a time zone: pick one from the list, or type a city (Tokyo) or JST."]}),
        ({"session_1_start": "12:00", "session_1_end": "9:00"},
         {"session_1_start": ["Session 12:00–09:00 ends before it starts."]}),
    ],
)  # fmt: skip
def test_bad_input_is_a_field_error(organiser, overrides, errors):
    response = _client(organiser).post(NEW, _data(**overrides))

    assert (response.status_code, response.context["form"].errors, Mission.objects.count()) == (200, errors, 0)
