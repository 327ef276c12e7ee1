"""Reads for agendas: a firm's placed meetings and free slots, day by day.

Times are given in the mission's zone (days are the mission's local dates) and, when the viewer
asked for another zone, in that zone too. The PDF (events.agenda_pdf), the iCalendar file
(events.agenda_ics), the pages and the API all render the same `Agenda`.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from accounts.models import User
from events.enums import MeetingStatus
from events.models import Delegate, Meeting, Mission, Participation, Slot
from events.publication import PublishedSchedule, placement_seen_by_firms, schedule_published
from events.selectors import mission_can_manage, participation_is_member, participation_of
from events.selectors_availability import participation_slots_without_delegates

# Long enough for every IANA name (the longest is 32 characters); longer input is cut in messages.
TZ_MAX_LENGTH = 64


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    # available_timezones() walks the tz database on every call; the list cannot change while we run.
    return frozenset(available_timezones())


def viewer_zone_clean(value: str | None) -> str | None:
    """The viewer's IANA zone from a `tz` parameter; None when it is absent or empty.

    Raises ValidationError({"tz": [...]}) for a name that is not an IANA zone.
    """
    if not value:
        return None
    if value not in _zone_names():
        shown = value[:TZ_MAX_LENGTH]
        raise ValidationError({"tz": [_("“%(tz)s” is not an IANA time zone such as Europe/Brussels.") % {"tz": shown}]})
    return value


def zone_label(moment: datetime) -> str:
    """ "Tokyo (JST)": the last part of the zone's name and the abbreviation in force at `moment`."""
    key = getattr(moment.tzinfo, "key", "UTC")
    place = key.rsplit("/", 1)[-1].replace("_", " ")
    abbreviation = moment.strftime("%Z")
    return place if abbreviation == place else f"{place} ({abbreviation})"


@dataclass(frozen=True)
class TimeRange:
    """A slot's start and end as aware datetimes in one zone."""

    start: datetime
    end: datetime

    @property
    def clock(self) -> str:
        """ "09:00–09:25": wall-clock times in this range's zone (templates would convert datetimes)."""
        return f"{self.start:%H:%M}–{self.end:%H:%M}"

    @property
    def label(self) -> str:
        return f"{self.clock} {zone_label(self.start)}"


@dataclass(frozen=True)
class Timing:
    """When a slot is: in the mission's zone, and in the viewer's when it differs."""

    local: TimeRange
    viewer: TimeRange | None = None

    @property
    def viewer_label(self) -> str | None:
        """ "02:00–02:25 Brussels (CEST)", led by the viewer's date when it is not the mission's local date."""
        if self.viewer is None:
            return None
        if self.viewer.start.date() != self.local.start.date():
            return f"{formats.date_format(self.viewer.start, 'DAY_MONTH_FORMAT')} {self.viewer.label}"
        return self.viewer.label

    @property
    def label(self) -> str:
        """ "09:00–09:25 Tokyo (JST) · 02:00–02:25 Brussels (CEST)", or the first half alone."""
        viewer = self.viewer_label
        return self.local.label if viewer is None else f"{self.local.label} · {viewer}"


@dataclass(frozen=True)
class AgendaDelegate:
    name: str
    role: str


@dataclass(frozen=True)
class AgendaFirm:
    participation_id: int
    company_id: int
    name: str
    name_ja: str
    url: str  # the company's public profile, absolute (SITE_URL) so that it works in files too
    delegates: list[AgendaDelegate] = field(default_factory=list)


@dataclass(frozen=True)
class AgendaEntry:
    meeting_id: int
    slot_id: int
    timing: Timing
    partner: AgendaFirm
    table: str | None
    sequence: int  # the published version (0 for the first): calendar clients replace an event with a higher one
    fixed_reason: str = ""  # why the organisers fixed it at this time ("ministry slot"), if they said


@dataclass(frozen=True)
class FreeSlot:
    """A slot in which the firm has no meeting; `available` is False where it said it cannot attend."""

    slot_id: int
    timing: Timing
    available: bool


@dataclass
class AgendaDay:
    date: date  # the mission's local date
    entries: list[AgendaEntry] = field(default_factory=list)
    free: list[FreeSlot] = field(default_factory=list)


@dataclass(frozen=True)
class AgendaMission:
    id: int
    title: str
    city: str
    venue: str
    time_zone: str


@dataclass(frozen=True)
class Agenda:
    mission: AgendaMission
    firm: AgendaFirm
    viewer_tz: str | None  # None when the viewer did not ask for a zone or asked for the mission's
    days: list[AgendaDay]
    unscheduled: list[AgendaFirm]  # confirmed meetings not placed yet: the partners

    @property
    def meeting_count(self) -> int:
        return sum(len(day.entries) for day in self.days)


def agenda_can_view(*, user: User, participation: Participation) -> bool:
    """The firm's members, the mission's organisers and admins."""
    if not user.is_authenticated:
        return False
    return participation_is_member(user=user, participation=participation) or mission_can_manage(
        user=user, mission=participation.mission
    )


def agenda_participation(*, user: User, mission: Mission, participation_id: int | None) -> Participation | None:
    """The participation whose agenda `user` asks for: their own firm's when no id is given.

    None when there is none, or when it is not the user's to see.
    """
    if participation_id is None:
        return participation_of(user=user, mission=mission)
    participation = (
        Participation.objects.filter(mission=mission, pk=participation_id).select_related("company", "mission").first()
    )
    if participation is None or not agenda_can_view(user=user, participation=participation):
        return None
    return participation


def _firm(participation: Participation, *, with_delegates: bool = False) -> AgendaFirm:
    company = participation.company
    delegates = [AgendaDelegate(d.name, d.role) for d in participation.delegates.all()] if with_delegates else []
    return AgendaFirm(
        participation_id=participation.pk, company_id=company.pk, name=company.name, name_ja=company.name_ja,
        url=settings.SITE_URL + reverse("companies:detail", args=[company.pk]), delegates=delegates,
    )  # fmt: skip


def _timing(start: datetime, end: datetime, local: ZoneInfo, viewer: ZoneInfo | None) -> Timing:
    def in_zone(zone: ZoneInfo) -> TimeRange:
        return TimeRange(start.astimezone(zone), end.astimezone(zone))

    return Timing(local=in_zone(local), viewer=in_zone(viewer) if viewer else None)


def _meetings(participation: Participation, published: PublishedSchedule | None) -> list[Meeting]:
    """The firm's confirmed meetings, and those of the published version cancelled since."""
    delegates = Delegate.objects.order_by("id")
    shown = Q(status=MeetingStatus.CONFIRMED)
    if published is not None:
        shown |= Q(pk__in=list(published.placements))
    return list(
        Meeting.objects.filter(Q(a=participation) | Q(b=participation))
        .filter(shown)
        .select_related("a__company", "b__company", "slot", "table")
        .prefetch_related(Prefetch("a__delegates", queryset=delegates), Prefetch("b__delegates", queryset=delegates))
        .order_by("id")
    )


def agenda_for(*, participation: Participation, viewer_tz: str | None) -> Agenda:
    """The agenda of one firm in one mission, in a fixed number of queries.

    `viewer_tz` must be an IANA name (see viewer_zone_clean); it is dropped when it is the
    mission's own zone.
    """
    mission = participation.mission
    local = ZoneInfo(mission.time_zone)
    viewer_tz = viewer_zone_clean(viewer_tz)
    viewer = ZoneInfo(viewer_tz) if viewer_tz and viewer_tz != mission.time_zone else None
    days: dict[date, AgendaDay] = {}
    busy: set[int] = set()
    unscheduled = []
    published = schedule_published(mission)
    sequence = published.number - 1 if published else 0
    for meeting in _meetings(participation, published):
        place = placement_seen_by_firms(meeting, published)
        if place is None:
            continue
        partner = meeting.b if meeting.a_id == participation.pk else meeting.a
        if place.start is None or place.end is None:
            unscheduled.append(_firm(partner, with_delegates=True))
            continue
        if place.slot_id is not None:
            busy.add(place.slot_id)
        timing = _timing(place.start, place.end, local, viewer)
        day = days.setdefault(timing.local.start.date(), AgendaDay(date=timing.local.start.date()))
        day.entries.append(AgendaEntry(
            meeting_id=meeting.pk, slot_id=place.slot_id or 0, timing=timing,
            partner=_firm(partner, with_delegates=True), table=place.table, sequence=sequence,
            # The reason belongs to the time it was fixed at: shown while the firm sees that time.
            fixed_reason=meeting.pinned_reason if meeting.pinned and place.slot_id == meeting.slot_id else "",
        ))  # fmt: skip
    unavailable = set(participation.unavailabilities.values_list("slot_id", flat=True))
    # Times when every delegate is away are as unavailable as the firm's own.
    unavailable |= participation_slots_without_delegates(participation)
    for slot in Slot.objects.filter(mission=mission, removed=False).exclude(pk__in=busy).order_by("start"):
        timing = _timing(slot.start, slot.end, local, viewer)
        day = days.setdefault(timing.local.start.date(), AgendaDay(date=timing.local.start.date()))
        day.free.append(FreeSlot(slot_id=slot.pk, timing=timing, available=slot.pk not in unavailable))
    for day in days.values():
        day.entries.sort(key=lambda e: (e.timing.local.start, e.table or "", e.meeting_id))
    return Agenda(
        mission=AgendaMission(mission.pk, mission.title, mission.city, mission.venue, mission.time_zone),
        firm=_firm(participation), viewer_tz=viewer.key if viewer else None,
        days=[days[d] for d in sorted(days)], unscheduled=unscheduled,
    )  # fmt: skip
