"""Reads for publishing a schedule: the published version, what publishing now would change, and where
firms see each meeting.

Organisers edit a live schedule (events.services.meetings, a recompute in events.services.scheduling);
once a version is published, those edits make a draft that firms neither see nor hear of until the
organisers publish it (events.services.schedule.schedule_publish). The difference is computed by the
pure events.schedule_diff over the last version's snapshot and the live snapshot.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from accounts.notifications import meeting_place
from events.enums import ChangeKind, MeetingStatus
from events.models import Meeting, Mission, Participation, ScheduleChange, ScheduleVersion
from events.schedule_diff import MeetingChange, ScheduleDiff, schedule_diff
from events.selectors import mission_can_manage, schedule_snapshot


def schedule_version_latest(mission: Mission) -> ScheduleVersion | None:
    return ScheduleVersion.objects.filter(mission=mission).order_by("-number").first()


def _with_firm_ids(snapshot: dict[str, Any]) -> dict[str, Any]:
    """Versions published before snapshots named the participations (a_id, b_id) get them from the meetings."""
    missing = [e["id"] for e in snapshot.get("meetings", []) if "a_id" not in e]
    if not missing:
        return snapshot
    firms = {pk: (a, b) for pk, a, b in Meeting.objects.filter(pk__in=missing).values_list("pk", "a_id", "b_id")}
    # Entries of meetings deleted since keep no firm: nobody is left to tell.
    meetings = [
        {**e, "a_id": firms[e["id"]][0], "b_id": firms[e["id"]][1]} if "a_id" not in e and e["id"] in firms else e
        for e in snapshot["meetings"]
    ]
    return {**snapshot, "meetings": meetings}


def meetings_cancellation_told(mission: Mission) -> frozenset[int]:
    """Meetings whose cancellation the firms were told of at once (a firm cancelled it, see
    events.services.meetings.meeting_cancel): publishing lists them but does not announce them again."""
    return frozenset(
        ScheduleChange.objects.filter(mission=mission, kind=ChangeKind.CANCELLED, notified=True).values_list(
            "meeting_id", flat=True
        )
    )


@dataclass(frozen=True)
class PendingPublication:
    """What publishing now would do: `base` is the last version (None before the first publication)."""

    base: ScheduleVersion | None
    snapshot: dict[str, Any]
    diff: ScheduleDiff
    fingerprint: str
    firm_count: int

    @property
    def is_first(self) -> bool:
        return self.base is None

    @property
    def can_publish(self) -> bool:
        """The first publication always (even of an empty schedule); later ones only when something changed."""
        return self.base is None or not self.diff.is_empty

    @property
    def has_draft(self) -> bool:
        """A published schedule was changed since: the live schedule is a draft."""
        return self.base is not None and not self.diff.is_empty

    @property
    def next_number(self) -> int:
        return self.base.number + 1 if self.base else 1

    @property
    def draft_summary(self) -> str:
        """The organisers' banner text, "" when firms see the live schedule already."""
        return schedule_diff_summary(self.diff) if self.has_draft else ""

    @property
    def placed_count(self) -> int:
        return sum(1 for e in self.snapshot["meetings"] if e.get("slot") is not None)

    @property
    def unplaced_count(self) -> int:
        return len(self.snapshot["meetings"]) - self.placed_count


def schedule_pending(mission: Mission) -> PendingPublication:
    base = schedule_version_latest(mission)
    snapshot = schedule_snapshot(mission)
    old = _with_firm_ids(base.snapshot) if base is not None else None
    diff = schedule_diff(old, snapshot, told=meetings_cancellation_told(mission))
    return PendingPublication(
        base=base, snapshot=snapshot, diff=diff, fingerprint=diff.fingerprint(base=base.number if base else 0),
        firm_count=mission.participations.count(),
    )  # fmt: skip


def schedule_diff_summary(diff: ScheduleDiff) -> str:
    """ "2 meetings moved, 1 added, 1 removed; 4 firms affected" (parts that are zero are left out)."""
    parts = []
    if diff.moved:
        parts.append(ngettext("%(n)d meeting moved", "%(n)d meetings moved", len(diff.moved)) % {"n": len(diff.moved)})
    if diff.added:
        parts.append(ngettext("%(n)d added", "%(n)d added", len(diff.added)) % {"n": len(diff.added)})
    if diff.removed:
        parts.append(ngettext("%(n)d removed", "%(n)d removed", len(diff.removed)) % {"n": len(diff.removed)})
    firms = len(diff.firm_ids)
    affected = ngettext("%(n)d firm affected", "%(n)d firms affected", firms) % {"n": firms}
    return _("%(changes)s; %(firms)s") % {"changes": _(", ").join(parts), "firms": affected}


@dataclass(frozen=True)
class ChangeRow:
    """One line of the publish page: the two firms, where the meeting was and where it is, in mission time."""

    meeting_id: int
    firms: str
    before: str
    after: str
    told: bool


def change_rows(changes: list[MeetingChange], zone: str) -> list[ChangeRow]:
    return [
        ChangeRow(c.id, f"{c.a} – {c.b}", meeting_place(c.before, zone) if c.before else "",
                  meeting_place(c.after, zone) if c.after else _("cancelled"), c.told)
        for c in changes
    ]  # fmt: skip


def affected_firm_names(diff: ScheduleDiff) -> list[str]:
    names: dict[int, str] = {}
    for change in diff.changes:
        if not change.told:
            names.update({pk: name for pk, name in ((change.a_id, change.a), (change.b_id, change.b)) if pk})
    return sorted(names.values(), key=str.casefold)


@dataclass(frozen=True)
class Placement:
    """Where and when firms see a meeting: its slot in the published version (times kept in the snapshot)."""

    slot_id: int | None
    start: datetime | None
    end: datetime | None
    table: str | None
    table_id: int | None = None  # versions published before snapshots held it have none


def _placement(entry: dict[str, Any]) -> Placement:
    start, end = entry.get("start"), entry.get("end")
    return Placement(
        slot_id=entry.get("slot"), start=datetime.fromisoformat(start) if start else None,
        end=datetime.fromisoformat(end) if end else None, table=entry.get("table"), table_id=entry.get("table_id"),
    )  # fmt: skip


@dataclass(frozen=True)
class PublishedSchedule:
    """The published placement of each meeting, and the meetings firms already know left the schedule."""

    number: int
    placements: dict[int, Placement]
    told_cancelled: frozenset[int]


UNPLACED = Placement(None, None, None, None)


def placement_seen_by_firms(meeting: Meeting, published: PublishedSchedule | None) -> Placement | None:
    """Where the two firms see `meeting`; None when they do not see it.

    Before the first publication: not scheduled yet (the schedule is the organisers' draft). Afterwards:
    the published version, so that the organisers' draft stays theirs until they publish it; but a meeting
    cancelled since leaves at once (both firms were told), and one agreed since (an accepted request)
    shows as not scheduled yet.
    """
    if published is None:
        return UNPLACED if meeting.status == MeetingStatus.CONFIRMED else None
    if meeting.pk in published.placements:
        return None if meeting.pk in published.told_cancelled else published.placements[meeting.pk]
    if meeting.request_id is not None and meeting.status == MeetingStatus.CONFIRMED:
        return UNPLACED
    return None


@dataclass(frozen=True)
class FirmMeeting:
    """One of a firm's meetings as the firm sees it (placement_seen_by_firms)."""

    meeting: Meeting
    partner: Participation
    place: Placement


def meetings_seen_by(participation: Participation) -> list[FirmMeeting]:
    """The firm's meetings where it sees them: placed ones by time, then the ones not scheduled yet."""
    published = schedule_published(participation.mission)
    shown = Q(status=MeetingStatus.CONFIRMED)
    if published is not None:
        shown |= Q(pk__in=list(published.placements))
    meetings = (
        Meeting.objects.filter(Q(a=participation) | Q(b=participation))
        .filter(shown)
        .select_related("a__company", "b__company", "slot", "table")
        .order_by("id")
    )
    rows = []
    for meeting in meetings:
        place = placement_seen_by_firms(meeting, published)
        if place is not None:
            rows.append(FirmMeeting(meeting, meeting.b if meeting.a_id == participation.pk else meeting.a, place))
    return sorted(rows, key=lambda r: (r.place.start is None, r.place.start or datetime.min, r.meeting.pk))


def meeting_fields_seen_by_firms(meetings: list[Meeting], *, user: User) -> dict[int, dict[str, Any]]:
    """For the meetings of missions `user` does not manage: the placement and status their firms see
    (placement_seen_by_firms), to show instead of the live ones; organisers read the live schedule."""
    seen: dict[int, dict[str, Any]] = {}
    missions = {m.mission_id: m.mission for m in meetings}
    for mission in missions.values():
        if mission_can_manage(user=user, mission=mission):
            continue
        published = schedule_published(mission)
        for meeting in (m for m in meetings if m.mission_id == mission.pk):
            place = placement_seen_by_firms(meeting, published) or UNPLACED
            listed = published is not None and meeting.pk in published.placements and place is not UNPLACED
            seen[meeting.pk] = {
                "slot": place.slot_id, "start": place.start, "end": place.end, "table": place.table_id,
                "table_name": place.table, "status": MeetingStatus.CONFIRMED if listed else meeting.status,
            }  # fmt: skip
    return seen


def schedule_published(mission: Mission) -> PublishedSchedule | None:
    """What firms see (None before the first publication, when they see the live schedule)."""
    version = schedule_version_latest(mission)
    if version is None:
        return None
    placements = {int(e["id"]): _placement(e) for e in version.snapshot.get("meetings", [])}
    return PublishedSchedule(version.number, placements, meetings_cancellation_told(mission))


@dataclass(frozen=True)
class FirstMeeting:
    """A firm's earliest placed meeting in the published version, as its agenda shows it."""

    meeting_id: int
    start: datetime
    local_start: str
    table: str | None
    partner: str


def published_first_meetings(mission: Mission) -> dict[int, FirstMeeting]:
    """Each participation's earliest placed meeting in the last published version (ties: the lowest
    meeting id), leaving out the meetings a firm cancelled since; empty before the first publication."""
    version = schedule_version_latest(mission)
    if version is None:
        return {}
    told = meetings_cancellation_told(mission)
    firsts: dict[int, FirstMeeting] = {}
    for entry in _with_firm_ids(version.snapshot).get("meetings", []):
        if entry["id"] in told or not entry.get("start"):
            continue
        start = datetime.fromisoformat(entry["start"])
        for own, partner in ((entry.get("a_id"), entry.get("b", "")), (entry.get("b_id"), entry.get("a", ""))):
            known = firsts.get(own) if own is not None else None
            if own is not None and (known is None or (start, entry["id"]) < (known.start, known.meeting_id)):
                local = entry.get("local_start") or ""
                firsts[own] = FirstMeeting(entry["id"], start, local, entry.get("table"), partner)
    return firsts
