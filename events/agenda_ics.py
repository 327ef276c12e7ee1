"""An agenda as an iCalendar file (RFC 5545): one VEVENT per placed meeting.

Start and end carry the mission's zone (`DTSTART;TZID=Asia/Tokyo:...`) with a VTIMEZONE for it,
so calendars show the meeting at the right instant wherever the reader is. UIDs are stable per
meeting and SEQUENCE counts the changes since publishing, so importing a newer file updates the
events instead of duplicating them.
"""

from datetime import datetime

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from events.agenda import Agenda, AgendaEntry

PRODID = "-//Kizuna//Trade mission agenda//EN"


def meeting_uid(meeting_id: int) -> str:
    return f"meeting-{meeting_id}@kizuna"


def _event(agenda: Agenda, entry: AgendaEntry, stamp: datetime) -> Event:
    partner = entry.partner
    name = f"{partner.name} ({partner.name_ja})" if partner.name_ja else partner.name
    place = agenda.mission.venue or agenda.mission.city
    event = Event()
    event.add("uid", meeting_uid(entry.meeting_id))
    event.add("dtstamp", stamp)
    event.add("sequence", entry.sequence)
    event.add("dtstart", entry.timing.local.start)
    event.add("dtend", entry.timing.local.end)
    event.add("summary", _("Meeting: %(partner)s") % {"partner": name})
    if entry.table:
        event.add("location", _("%(place)s, table %(table)s") % {"place": place, "table": entry.table})
    else:
        event.add("location", place)
    # The organisers' reason for fixing the time travels with it (the calendar is an agenda too).
    fixed = _("Fixed by the organisers: %(reason)s") % {"reason": entry.fixed_reason} if entry.fixed_reason else ""
    event.add("description", f"{fixed}\n{partner.url}" if fixed else partner.url)
    event.add("url", partner.url)
    return event


def _calendar(name: str, stamp: datetime, agendas: list[Agenda]) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for agenda in agendas:
        for day in agenda.days:
            for entry in day.entries:
                cal.add_component(_event(agenda, entry, stamp))
    cal.add_missing_timezones()  # one VTIMEZONE per zone the events use
    return cal


def agenda_ics(agenda: Agenda, *, stamp: datetime) -> bytes:
    """The calendar as bytes; `stamp` (aware, the time of the download) becomes every DTSTAMP."""
    cal = _calendar(f"{agenda.mission.title} · {agenda.firm.name}", stamp, [agenda])
    cal.add("x-wr-timezone", agenda.mission.time_zone)
    return cal.to_ical()


def agendas_ics(agendas: list[Agenda], *, name: str, stamp: datetime) -> bytes:
    """Several missions' agendas of one firm in one calendar (the subscribed feed, events.calendar_feed).

    Each event keeps its mission's zone; there is no calendar-wide X-WR-TIMEZONE, as missions differ.
    """
    return _calendar(name, stamp, agendas).to_ical()
