"""Writes on meetings: creation by organisers, placing in slots and at tables, swap, unplace, cancel, pin.

Every placement runs in one transaction that locks, in this order, the meetings, the target slots
and the participations concerned, so concurrent edits queue instead of double-booking a firm.
The seat rows and the unique constraints on them are the last line of defence.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from events.enums import ORGANISER_WEIGHT, ChangeKind, MeetingStatus, MissionAction
from events.models import (
    CANCEL_REASON_MAX_LENGTH,
    PIN_REASON_MAX_LENGTH,
    Meeting,
    MeetingSeat,
    Mission,
    Participation,
    Slot,
    Table,
    Unavailability,
)
from events.selectors import meeting_party_of, meeting_state, participation_capacity
from events.selectors_availability import participation_capacity_in
from events.services._common import require_manager, require_unlocked
from events.services.notify import meeting_cancelled_notify
from events.services.phases import require_phase
from events.services.schedule import schedule_change_record

Position = tuple[Slot | None, Table | None]


def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _lock_meetings(*meetings: Meeting) -> list[Meeting]:
    ids = sorted({m.pk for m in meetings})
    locked = {
        m.pk: m for m in Meeting.objects.select_for_update(no_key=True, of=("self",)).filter(pk__in=ids).order_by("pk")
    }
    fresh = Meeting.objects.select_related("mission", "a__company", "b__company", "slot", "table").in_bulk(ids)
    for pk in locked:
        locked[pk] = fresh[pk]
    return [locked[m.pk] for m in meetings]


def _lock_rest(meetings: list[Meeting], slots: list[Slot | None]) -> Mission:
    """Lock the target slots, then every participation involved; return the mission as it is now."""
    slot_ids = sorted({s.pk for s in slots if s is not None})
    fresh = {s.pk: s for s in Slot.objects.select_for_update(no_key=True).filter(pk__in=slot_ids).order_by("pk")}
    for slot in slots:
        if slot is not None:  # the caller's objects may be stale: read what the lock protects
            slot.removed, slot.mission_id = fresh[slot.pk].removed, fresh[slot.pk].mission_id
    party_ids = sorted({pk for m in meetings for pk in (m.a_id, m.b_id)})
    list(Participation.objects.select_for_update(no_key=True).filter(pk__in=party_ids).order_by("pk"))
    mission = Mission.objects.get(pk=meetings[0].mission_id)
    require_unlocked(mission)
    require_phase(mission, MissionAction.EDIT_SCHEDULE)
    return mission


def _check_editable(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.CONFIRMED:
        raise _error("non_field_errors", _("This meeting is cancelled."))
    if meeting.pinned:
        raise _error("non_field_errors", _("This meeting is pinned to its slot; unpin it first."))


def _unplace(meeting: Meeting) -> None:
    MeetingSeat.objects.filter(meeting=meeting).delete()
    meeting.slot, meeting.table = None, None
    meeting.save(update_fields=["slot", "table"])


def _check_table(meeting: Meeting, slot: Slot, table: Table | None) -> None:
    if table is not None:
        table = Table.objects.select_related("host__company").get(pk=table.pk)
    if table is None:
        if Table.objects.filter(mission_id=meeting.mission_id).exists():
            raise _error("table", _("Choose a table."))
        return
    if table.mission_id != meeting.mission_id:
        raise _error("table", _("This table belongs to another mission."))
    host = table.host if table.host_id else None  # loaded only for a reserved table
    if host is not None and host.pk not in (meeting.a_id, meeting.b_id):
        raise _error(
            "table", _("Table %(table)s is reserved for %(host)s.") % {"table": table.name, "host": host.company.name}
        )
    taken = (
        Meeting.objects.filter(slot=slot, table=table)
        .exclude(pk=meeting.pk)
        .select_related("a__company", "b__company")
        .first()
    )
    if taken:
        raise _error(
            "table",
            _("Table %(table)s is taken at this time by %(a)s and %(b)s.")
            % {"table": table.name, "a": taken.a.company.name, "b": taken.b.company.name},
        )


def _free_seat(participation: Participation, slot: Slot) -> int:
    """The lowest seat number free in the slot, if the firm has a delegate present for one more meeting."""
    capacity = participation_capacity_in(participation, slot)
    used = set(MeetingSeat.objects.filter(participation=participation, slot=slot).values_list("seat", flat=True))
    if len(used) >= capacity:
        present = participation_capacity(participation)
        if capacity < present:  # some delegates are away then: say so, not "only N delegates"
            raise _error(
                "slot",
                _("%(firm)s already has %(meetings)d meeting(s) at this time and only %(delegates)d delegate(s) "
                  "present then.") % {"firm": participation.company.name, "meetings": len(used), "delegates": capacity},
            )  # fmt: skip
        raise _error(
            "slot",
            _("%(firm)s already has %(meetings)d meeting(s) at this time and only %(delegates)d delegate(s).")
            % {"firm": participation.company.name, "meetings": len(used), "delegates": capacity},
        )
    return next(n for n in range(1, len(used) + 2) if n not in used)


def _place(meeting: Meeting, slot: Slot | None, table: Table | None) -> None:
    """Put an unplaced meeting at (slot, table), or leave it unplaced when slot is None."""
    if slot is None:
        if table is not None:
            raise _error("table", _("A table needs a slot."))
        return
    if slot.mission_id != meeting.mission_id:
        raise _error("slot", _("This slot belongs to another mission."))
    if slot.removed:
        raise _error("slot", _("This slot was removed from the schedule."))
    allowed = set(meeting.allowed_slots.values_list("pk", flat=True))
    if allowed and slot.pk not in allowed:
        raise _error("slot", _("This meeting is restricted to other times (e.g. mornings only)."))
    for party in (meeting.a, meeting.b):
        if Unavailability.objects.filter(participation=party, slot=slot).exists():
            raise _error("slot", _("%(firm)s is not available at this time.") % {"firm": party.company.name})
        if participation_capacity_in(party, slot) == 0:
            raise _error("slot", _("%(firm)s has no delegate present at this time.") % {"firm": party.company.name})
    _check_table(meeting, slot, table)
    seats = [(party, _free_seat(party, slot)) for party in (meeting.a, meeting.b)]
    try:
        with transaction.atomic():
            meeting.slot, meeting.table = slot, table
            meeting.save(update_fields=["slot", "table"])
            MeetingSeat.objects.bulk_create(
                MeetingSeat(meeting=meeting, participation=party, slot=slot, seat=seat) for party, seat in seats
            )
    except IntegrityError as exc:  # only reachable if a write bypassed the locks
        raise _error("non_field_errors", _("This slot changed at the same moment; reload and try again.")) from exc


@transaction.atomic
def meeting_create(
    *, mission: Mission, a: Participation, b: Participation, user: User | None, required: bool = False
) -> Meeting:
    """An organiser creates a meeting (or marks the pair must-meet). Organisers are not bound by the
    firms' limits. For a pair that already meets, `required=True` marks that meeting must-meet."""
    require_manager(user=user, mission=mission)
    require_unlocked(mission)
    require_phase(mission, MissionAction.ADD_MEETING)
    if a.pk == b.pk:
        raise _error("b", _("A firm cannot meet itself."))
    if a.mission_id != mission.pk or b.mission_id != mission.pk:
        raise _error("b", _("Both firms must take part in this mission."))
    list(Participation.objects.select_for_update(no_key=True).filter(pk__in=sorted([a.pk, b.pk])).order_by("pk"))
    existing = (
        Meeting.objects.filter(Q(a=a, b=b) | Q(a=b, b=a), status=MeetingStatus.CONFIRMED)
        .select_related("mission", "slot", "table")
        .first()
    )
    if existing:
        if required and not existing.required:
            existing.required, existing.weight = True, max(existing.weight, ORGANISER_WEIGHT)
            existing.save(update_fields=["required", "weight"])
        return existing
    meeting = Meeting.objects.create(
        mission=mission, a=a, b=b, weight=ORGANISER_WEIGHT, required=required, created_by=user
    )
    schedule_change_record(meeting=meeting, kind=ChangeKind.CREATED, before={}, user=user)
    return meeting


@transaction.atomic
def meeting_move(*, meeting: Meeting, slot: Slot, table: Table | None, user: User | None) -> Meeting:
    """Place a meeting at (slot, table); taking it out of the schedule is meeting_unplace.

    Refused, with the reason as a field error: no slot, a pinned or cancelled meeting, a removed slot, a
    slot either firm is unavailable in, a firm already in as many meetings then as it has delegates,
    a taken table, a table reserved for another firm, a locked schedule.
    """
    require_manager(user=user, mission=meeting.mission)
    if slot is None:  # a Move without a slot used to unplace silently: that is its own action now
        raise _error("slot", _("Choose a slot to move the meeting to."))
    [meeting] = _lock_meetings(meeting)
    _lock_rest([meeting], [slot])
    _check_editable(meeting)
    before = meeting_state(meeting)
    _unplace(meeting)
    _place(meeting, slot, table)
    schedule_change_record(meeting=meeting, kind=ChangeKind.MOVED, before=before, user=user)
    return meeting


@transaction.atomic
def meeting_unplace(*, meeting: Meeting, user: User | None) -> Meeting:
    """Take a meeting out of the schedule (it stays agreed, waiting for a slot). An unplaced one is returned as is."""
    require_manager(user=user, mission=meeting.mission)
    [meeting] = _lock_meetings(meeting)
    _lock_rest([meeting], [])
    _check_editable(meeting)
    if meeting.slot_id is None:
        return meeting
    before = meeting_state(meeting)
    _unplace(meeting)
    schedule_change_record(meeting=meeting, kind=ChangeKind.MOVED, before=before, user=user)
    return meeting


@transaction.atomic
def meeting_swap(*, a: Meeting, b: Meeting, user: User | None) -> tuple[Meeting, Meeting]:
    """Exchange the slots and tables of two meetings of one mission; all the move checks apply to both."""
    require_manager(user=user, mission=a.mission)
    if a.pk == b.pk:
        raise _error("b", _("Choose two different meetings."))
    if a.mission_id != b.mission_id:
        raise _error("b", _("Both meetings must belong to the same mission."))
    a, b = _lock_meetings(a, b)
    _lock_rest([a, b], [a.slot, b.slot])
    for meeting in (a, b):
        _check_editable(meeting)
    before_a, before_b = meeting_state(a), meeting_state(b)
    pos_a, pos_b = (a.slot, a.table), (b.slot, b.table)
    _unplace(a)
    _unplace(b)
    _place(a, *pos_b)
    _place(b, *pos_a)
    schedule_change_record(meeting=a, kind=ChangeKind.SWAPPED, before=before_a, user=user)
    schedule_change_record(meeting=b, kind=ChangeKind.SWAPPED, before=before_b, user=user)
    return a, b


def _reason_clean(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise _error("reason", _("Say why the meeting is cancelled: the firms read it."))
    if len(reason) > CANCEL_REASON_MAX_LENGTH:
        raise _error("reason", _("Keep the reason under %(n)d characters.") % {"n": CANCEL_REASON_MAX_LENGTH})
    return reason


def _cancel(meeting: Meeting, *, user: User | None, reason: str, party: Participation | None) -> dict[str, Any]:
    """Cancel a locked, confirmed meeting: its seats go, so the slot frees. Returns the state it had."""
    before = meeting_state(meeting)
    MeetingSeat.objects.filter(meeting=meeting).delete()
    meeting.slot = meeting.table = None
    meeting.pinned, meeting.pinned_reason, meeting.status = False, "", MeetingStatus.CANCELLED
    meeting.cancelled_at, meeting.cancelled_by = timezone.now(), user
    meeting.cancelled_by_party, meeting.cancelled_reason = party, reason
    meeting.save(update_fields=[
        "slot", "table", "pinned", "pinned_reason", "status", "cancelled_at", "cancelled_by", "cancelled_by_party",
        "cancelled_reason",
    ])  # fmt: skip
    # Both firms are told of a cancellation at once (by the caller, with the reason): logged as told, the
    # next publication does not announce it again.
    schedule_change_record(meeting=meeting, kind=ChangeKind.CANCELLED, before=before, user=user, notified=True)
    return before


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, user: User | None, reason: str) -> Meeting:
    """The organisers cancel a meeting (pinned or not) and both firms are told why.

    Cancelling a cancelled meeting returns it unchanged and tells no one again (a double submit)."""
    require_manager(user=user, mission=meeting.mission)
    reason = _reason_clean(reason)
    [meeting] = _lock_meetings(meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        return meeting
    _lock_rest([meeting], [])
    before = _cancel(meeting, user=user, reason=reason, party=None)
    meeting_cancelled_notify(meeting=meeting, before=before, parties=[meeting.a, meeting.b])
    return meeting


@transaction.atomic
def meeting_cancel_by_firm(*, meeting: Meeting, user: User, reason: str) -> Meeting:
    """One of the two firms calls its meeting off; the other firm is told who and why. A meeting the
    organisers pinned is theirs to cancel. A cancelled meeting is returned unchanged, telling no one."""
    party = meeting_party_of(user=user, meeting=meeting)
    if party is None:
        raise PermissionDenied(_("Only the two firms of this meeting can cancel it."))
    reason = _reason_clean(reason)
    [meeting] = _lock_meetings(meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        return meeting
    require_phase(meeting.mission, MissionAction.CANCEL_MEETING)
    if meeting.pinned:
        raise _error("non_field_errors", _("The organisers pinned this meeting; ask them to cancel it."))
    _lock_rest([meeting], [])
    before = _cancel(meeting, user=user, reason=reason, party=party)
    other = meeting.b if party.pk == meeting.a_id else meeting.a
    meeting_cancelled_notify(meeting=meeting, before=before, parties=[other])
    return meeting


def _pin_reason_clean(reason: str) -> str:
    reason = " ".join(reason.split())
    if len(reason) > PIN_REASON_MAX_LENGTH:
        raise _error("reason", _("Keep the reason under %(n)d characters.") % {"n": PIN_REASON_MAX_LENGTH})
    return reason


@transaction.atomic
def meeting_pin(
    *,
    meeting: Meeting,
    user: User | None,
    pinned: bool = True,
    slot: Slot | None = None,
    table: Table | None = None,
    reason: str | None = None,
) -> Meeting:
    """Pin a meeting where it is (or first move it to `slot`/`table`), so that neither the scheduler
    nor a manual move shifts it; `pinned=False` unpins (and drops the reason).

    `reason` says why it is fixed there ("ministry slot"); both firms read it on their agenda.
    None keeps the reason a pinned meeting has; "" clears it.
    """
    require_manager(user=user, mission=meeting.mission)
    reason = _pin_reason_clean(reason) if reason is not None else None
    [meeting] = _lock_meetings(meeting)
    _lock_rest([meeting], [slot])
    if meeting.status != MeetingStatus.CONFIRMED:
        raise _error("non_field_errors", _("This meeting is cancelled."))
    before = meeting_state(meeting)
    if pinned and slot is not None:
        meeting.pinned = False
        _unplace(meeting)
        _place(meeting, slot, table)
    if pinned and meeting.slot_id is None:
        raise _error("slot", _("Place the meeting in a slot before pinning it."))
    new_reason = "" if not pinned else (meeting.pinned_reason if reason is None else reason)
    if meeting.pinned == pinned and slot is None and meeting.pinned_reason == new_reason:
        return meeting
    meeting.pinned, meeting.pinned_reason = pinned, new_reason
    meeting.save(update_fields=["pinned", "pinned_reason"])
    if slot is not None:  # the log keeps new times, not pins (which firms never see)
        schedule_change_record(meeting=meeting, kind=ChangeKind.MOVED, before=before, user=user)
    return meeting


@transaction.atomic
def meeting_restrict(*, meeting: Meeting, user: User | None, slots: list[Slot]) -> Meeting:
    """Limit a meeting to some slots ("mornings only", "day 2"); an empty list lifts the limit.

    A placed meeting must already sit in one of the slots: move it first.
    """
    require_manager(user=user, mission=meeting.mission)
    [meeting] = _lock_meetings(meeting)
    require_unlocked(meeting.mission)
    if any(slot.mission_id != meeting.mission_id for slot in slots):
        raise _error("slots", _("These slots belong to another mission."))
    if slots and meeting.slot_id is not None and meeting.slot_id not in {slot.pk for slot in slots}:
        raise _error("slots", _("The meeting is placed outside these slots; move it first."))
    meeting.allowed_slots.set(slots)
    return meeting
