"""events.mission_checks on plain data: lenient reading of what organisers type, and the warnings."""

import datetime as dt

import pytest

from events import mission_checks as checks
from events.mission_checks import MissionPlan, MissionWarning

T = dt.time


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Asia/Tokyo", "Asia/Tokyo"), ("asia/tokyo", "Asia/Tokyo"), ("JST", "Asia/Tokyo"), ("Tokyo", "Asia/Tokyo"),
        ("UTC+9", "Asia/Tokyo"), ("utc + 9", "Asia/Tokyo"), ("GMT+9", "Asia/Tokyo"), ("東京", "Asia/Tokyo"),
        ("Berlin", "Europe/Berlin"), ("CET", "Europe/Brussels"), ("new york", "America/New_York"),
        ("Europe/Lyon", None), ("", None), ("Mars", None),
    ],
)  # fmt: skip
def test_zone_from_text(typed, zone):
    assert checks.zone_from_text(typed) == zone


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2027-04-12", dt.date(2027, 4, 12)), ("12/04/2027", dt.date(2027, 4, 12)),
        ("12.04.2027", dt.date(2027, 4, 12)), (" 2027/04/12 ", dt.date(2027, 4, 12)),
        ("04/31/2027", None), ("tomorrow", None), ("", None),
    ],
)  # fmt: skip
def test_date_from_text_day_first(typed, day):
    assert checks.date_from_text(typed) == day


@pytest.mark.parametrize(
    ("typed", "session"),
    [
        ("9:00-12:00", (T(9), T(12))), ("09:00 – 12:30", (T(9), T(12, 30))), ("9.30~11", (T(9, 30), T(11))),
        ("14:00〜17:30", (T(14), T(17, 30))), ("9:00", None), ("25:00-26:00", None), ("9:00-12:00-13:00", None),
    ],
)  # fmt: skip
def test_session_from_text(typed, session):
    assert checks.session_from_text(typed) == session


def test_session_slots_counts_meetings_and_breaks():
    assert checks.session_slots(T(9), T(12), meeting_minutes=25, break_minutes=5) == 6
    assert checks.session_slots(T(9), T(9, 20), meeting_minutes=30, break_minutes=0) == 0
    assert checks.session_slots(T(9), T(9, 30), meeting_minutes=30, break_minutes=10) == 1


def _plan(**overrides) -> MissionPlan:
    values = {
        "days": [dt.date(2027, 4, 12), dt.date(2027, 4, 13)], "sessions": [(T(9), T(12))], "meeting_minutes": 30,
        "break_minutes": 0, "zone": "Asia/Tokyo",
    }  # fmt: skip
    return MissionPlan(**{**values, **overrides})


TODAY = dt.date(2027, 1, 1)


def test_mission_warnings_none_for_a_plain_week():
    assert checks.mission_warnings(_plan(), today=TODAY) == []


def test_mission_warnings_zero_slots_per_session_and_overall():
    one_short = checks.mission_warnings(_plan(sessions=[(T(9), T(12)), (T(13), T(13, 20))]), today=TODAY)
    all_short = checks.mission_warnings(_plan(sessions=[(T(9), T(9, 20))]), today=TODAY)

    assert one_short == [MissionWarning("session_no_slot", {"start": T(13), "end": T(13, 20), "minutes": 30})]
    assert all_short == [
        MissionWarning("session_no_slot", {"start": T(9), "end": T(9, 20), "minutes": 30}),
        MissionWarning("no_slots"),
    ]


def test_mission_warnings_past_and_weekend_days():
    days = [dt.date(2026, 12, 30), dt.date(2027, 4, 10), dt.date(2027, 4, 12)]  # a Wednesday, a Saturday, a Monday

    found = checks.mission_warnings(_plan(days=days), today=TODAY)

    assert found == [
        MissionWarning("past_day", {"day": dt.date(2026, 12, 30)}),
        MissionWarning("weekend", {"day": dt.date(2027, 4, 10)}),
    ]


def test_mission_warnings_holidays_of_japan_zone_country_and_delegations():
    days = [dt.date(2027, 4, 29), dt.date(2027, 5, 6), dt.date(2027, 10, 3)]  # Showa Day; Ascension Day; German Unity

    in_berlin = checks.mission_warnings(_plan(days=days, zone="Europe/Berlin"), today=TODAY)
    in_tokyo_with_french = checks.mission_warnings(_plan(days=days, countries=["FR"]), today=TODAY, language="ja")

    holidays_berlin = [(w.values["day"], w.values["country"]) for w in in_berlin if w.code == "holiday"]
    assert holidays_berlin == [(dt.date(2027, 4, 29), "JP"), (dt.date(2027, 5, 6), "DE"), (dt.date(2027, 10, 3), "DE")]
    assert [w.values for w in in_tokyo_with_french if w.code == "holiday"] == [
        {"day": dt.date(2027, 4, 29), "country": "JP", "name": "昭和の日"},
        {"day": dt.date(2027, 5, 6), "country": "FR", "name": "Ascension Day"},
    ]


def test_public_holidays_unknown_country_skipped():
    assert checks.public_holidays([dt.date(2027, 4, 29)], ["XX", "JP"]) == [(dt.date(2027, 4, 29), "JP", "Showa Day")]


def test_mission_checks_imports_no_django():
    import ast
    from pathlib import Path

    tree = ast.parse(Path(checks.__file__).read_text())
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }
    assert not any(name and name.split(".")[0] in {"django", "events", "companies"} for name in imported)
