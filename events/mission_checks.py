"""What an organiser types when setting up a mission, read leniently, and what deserves a warning
before saving (docs/missions.md, "Setting up a mission"). Pure: plain dates, times and strings in,
plain values out; no Django, so it is tested on data. The words of the warnings are the form's
(events.forms.MISSION_WARNING_TEXTS): here each warning is a code and its values.

Lenient reading: "JST", "Tokyo", "UTC+9" and "asia/tokyo" all mean Asia/Tokyo; 12/04/2027 is
12 April 2027 (day first, as in Europe and in the interface's help text); "9:00-12:00" is a session.
"""

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import available_timezones

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d")
"""ISO first (what type=date inputs send), then day-first European forms; never month-first."""

# Common abbreviations and offsets an organiser types, to the zone of the EU–Japan missions they
# most likely mean. An offset names several zones; these pick the one this product's missions use.
ZONE_ALIASES = {
    "jst": "Asia/Tokyo", "japan": "Asia/Tokyo", "utc+9": "Asia/Tokyo", "gmt+9": "Asia/Tokyo", "+09:00": "Asia/Tokyo",
    "utc+09:00": "Asia/Tokyo", "日本": "Asia/Tokyo", "東京": "Asia/Tokyo", "大阪": "Asia/Tokyo",
    "osaka": "Asia/Tokyo", "kyoto": "Asia/Tokyo", "nagoya": "Asia/Tokyo",
    "cet": "Europe/Brussels", "cest": "Europe/Brussels", "utc+1": "Europe/Brussels", "gmt+1": "Europe/Brussels",
    "utc+2": "Europe/Athens", "eet": "Europe/Athens", "eest": "Europe/Athens", "wet": "Europe/Lisbon",
    "utc": "UTC", "gmt": "UTC", "utc+0": "UTC", "z": "UTC", "kst": "Asia/Seoul",
}  # fmt: skip

# The country whose public holidays apply in a zone: Japan and the EU member states.
ZONE_COUNTRIES = {
    "Asia/Tokyo": "JP", "Europe/Vienna": "AT", "Europe/Brussels": "BE", "Europe/Sofia": "BG",
    "Europe/Zagreb": "HR", "Asia/Nicosia": "CY", "Europe/Nicosia": "CY", "Europe/Prague": "CZ",
    "Europe/Copenhagen": "DK", "Europe/Tallinn": "EE", "Europe/Helsinki": "FI", "Europe/Paris": "FR",
    "Europe/Berlin": "DE", "Europe/Busingen": "DE", "Europe/Athens": "GR", "Europe/Budapest": "HU",
    "Europe/Dublin": "IE", "Europe/Rome": "IT", "Europe/Riga": "LV", "Europe/Vilnius": "LT",
    "Europe/Luxembourg": "LU", "Europe/Malta": "MT", "Europe/Amsterdam": "NL", "Europe/Warsaw": "PL",
    "Europe/Lisbon": "PT", "Atlantic/Madeira": "PT", "Atlantic/Azores": "PT", "Europe/Bucharest": "RO",
    "Europe/Bratislava": "SK", "Europe/Ljubljana": "SI", "Europe/Madrid": "ES", "Atlantic/Canary": "ES",
    "Europe/Stockholm": "SE",
}  # fmt: skip


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    """Lower-cased IANA name -> name, and the city part ("tokyo", "new york") -> name."""
    names = sorted(available_timezones())
    found = {name.lower(): name for name in names}
    for name in names:
        city = name.rsplit("/", 1)[-1].replace("_", " ").lower()
        found.setdefault(city, name)  # sorted: "Europe/…" never loses to a later duplicate city
    return found


def zone_names() -> list[str]:
    """Every IANA zone, sorted (the form's datalist)."""
    return sorted(available_timezones())


def zone_from_text(text: str) -> str | None:
    """The IANA zone meant by `text`: an IANA name in any case, a city of one ("Tokyo", "Berlin"),
    or a common abbreviation or offset (ZONE_ALIASES); None when it names none."""
    key = re.sub(r"\s+", " ", text.strip()).lower()
    if not key:
        return None
    if key in ZONE_ALIASES:
        return ZONE_ALIASES[key]
    compact = key.replace(" ", "")
    if compact in ZONE_ALIASES:
        return ZONE_ALIASES[compact]
    return _zones().get(key) or _zones().get(key.replace("_", " "))


def date_from_text(text: str) -> dt.date | None:
    """A date typed as 2027-04-12, 12/04/2027 or 12.04.2027 (day first); None when it is none."""
    value = text.strip()
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


_TIME = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?$")
_RANGE = re.compile(r"\s*[-–—~〜]\s*")


def time_from_text(text: str) -> dt.time | None:
    """A time typed as 9:00, 09:00, 9.00, 9h00 or 9; None when it is none."""
    match = _TIME.match(text.strip().lower())
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def session_from_text(text: str) -> tuple[dt.time, dt.time] | None:
    """A session typed as "9:00-12:00" (also with –, ~ or 〜); None when it is not one."""
    parts = _RANGE.split(text.strip())
    if len(parts) != 2:
        return None
    start, end = time_from_text(parts[0]), time_from_text(parts[1])
    return (start, end) if start is not None and end is not None else None


# --- Warnings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MissionWarning:
    """Something that may be a mistake, said before saving: `code` and its values."""

    code: str
    values: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class MissionPlan:
    days: Sequence[dt.date]
    sessions: Sequence[tuple[dt.time, dt.time]]
    meeting_minutes: int
    break_minutes: int = 0
    zone: str = ""
    countries: Iterable[str] = ()
    """Countries of the delegations when known (ISO codes); Japan and the zone's country are added."""


def session_slots(start: dt.time, end: dt.time, *, meeting_minutes: int, break_minutes: int) -> int:
    """How many meetings fit in a session (wall-clock minutes; a DST night may hold one less)."""
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    if meeting_minutes <= 0 or minutes < meeting_minutes:
        return 0
    return 1 + (minutes - meeting_minutes) // (meeting_minutes + max(break_minutes, 0))


def mission_warnings(plan: MissionPlan, *, today: dt.date, language: str = "en") -> list[MissionWarning]:
    """Every warning of the plan, in this order: sessions without a slot (and no slot at all), past
    days, weekend days, public holidays (holiday names in `language` where the package has it)."""
    found: list[MissionWarning] = []
    counts = [
        session_slots(start, end, meeting_minutes=plan.meeting_minutes, break_minutes=plan.break_minutes)
        for start, end in plan.sessions
    ]
    for (start, end), count in zip(plan.sessions, counts, strict=True):
        if count == 0 and end > start:
            found.append(
                MissionWarning("session_no_slot", {"start": start, "end": end, "minutes": plan.meeting_minutes})
            )
    if plan.sessions and plan.days and sum(counts) == 0:
        found.append(MissionWarning("no_slots"))
    days = sorted(set(plan.days))
    found += [MissionWarning("past_day", {"day": day}) for day in days if day < today]
    found += [MissionWarning("weekend", {"day": day}) for day in days if day.weekday() >= 5]
    countries = sorted({"JP", *(c for c in [ZONE_COUNTRIES.get(plan.zone)] if c), *plan.countries})
    for day, country, name in public_holidays(days, countries, language=language):
        found.append(MissionWarning("holiday", {"day": day, "country": country, "name": name}))
    return found


def public_holidays(
    days: Sequence[dt.date], countries: Sequence[str], *, language: str = "en"
) -> list[tuple[dt.date, str, str]]:
    """(day, country, holiday name) for each day that is a public holiday in one of the countries
    (the `holidays` package; a country it does not know is skipped), by day then country."""
    import holidays  # loaded only when a form is checked: the package builds its tables at import

    years = sorted({day.year for day in days})
    found = []
    for country in countries:
        try:
            calendar = holidays.country_holidays(country, years=years)
        except NotImplementedError:
            continue
        wanted = _holiday_language(calendar, language)
        if wanted:
            calendar = holidays.country_holidays(country, years=years, language=wanted)
        found += [(day, country, str(calendar.get(day))) for day in days if day in calendar]
    return sorted(found)


def _holiday_language(calendar: object, language: str) -> str | None:
    supported = getattr(calendar, "supported_languages", ()) or ()
    for code in (language,) if language == "ja" else ("en_US", "en_GB", "en"):
        if code in supported:
            return code
    return None
