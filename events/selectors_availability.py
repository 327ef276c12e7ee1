"""Reads on who is present when: a firm's capacity per slot from its delegates' unavailability.

A firm holds as many meetings at once as it has delegates present (at least one when it named no
delegate); in a slot where it is marked unavailable as a whole (Unavailability), or where every
delegate is away (DelegateUnavailability), it holds none. The scheduler (events.schedule_problem),
the schedule editor (events.services.meetings) and the availability page all read these figures.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Subquery

from events.enums import MeetingStatus
from events.models import Delegate, DelegateUnavailability, Meeting, Mission, Participation, Slot, Unavailability
from events.selectors import SlotGroup, slots_grouped


def participation_capacity_in(participation: Participation, slot: Slot | int) -> int:
    """Meetings the firm can hold at once in `slot`: its delegates present, 0 when unavailable."""
    slot_id = slot if isinstance(slot, int) else slot.pk
    if Unavailability.objects.filter(participation=participation, slot_id=slot_id).exists():
        return 0
    delegates = participation.delegates.count()
    if not delegates:
        return 1
    away = DelegateUnavailability.objects.filter(delegate__participation=participation, slot_id=slot_id).count()
    return delegates - away


def mission_delegates_away(mission: Mission) -> dict[int, dict[int, int]]:
    """Per participation id, the slots where some of its delegates are away: slot id -> how many.
    One query, whatever the mission's size (the caller knows each firm's delegate count)."""
    away = (
        DelegateUnavailability.objects.filter(delegate__participation__mission=mission, slot__removed=False)
        .values("delegate__participation_id", "slot_id")
        .annotate(n=Count("id"))
    )
    result: defaultdict[int, dict[int, int]] = defaultdict(dict)
    for row in away:
        result[row["delegate__participation_id"]][row["slot_id"]] = row["n"]
    return dict(result)


def participation_present_by_slot(participation: Participation) -> dict[int, int]:
    """The slots where some of the firm's delegates are away: slot id -> delegates present."""
    delegates = participation.delegates.count()
    away = (
        DelegateUnavailability.objects.filter(delegate__participation=participation)
        .values("slot_id")
        .annotate(n=Count("id"))
    )
    return {row["slot_id"]: max(0, delegates - row["n"]) for row in away}


def participation_slots_without_delegates(participation: Participation) -> set[int]:
    """The slots where every one of the firm's delegates is away (one query)."""
    delegates = Delegate.objects.filter(participation=participation).values("participation").annotate(n=Count("id"))
    return set(
        DelegateUnavailability.objects.filter(delegate__participation=participation)
        .values("slot_id")
        .annotate(n=Count("id"))
        .filter(n__gte=Subquery(delegates.values("n")[:1]))
        .values_list("slot_id", flat=True)
    )


@dataclass(frozen=True)
class SlotRow:
    """One slot of the availability page: each delegate's box (delegate id, name, present), the firm's
    capacity then and the meetings placed then."""

    slot: Slot
    boxes: list[tuple[int, str, bool]]
    firm_unavailable: bool
    present: int
    placed: int

    @property
    def is_short(self) -> bool:
        """More meetings placed than delegates present: the organisers must move one."""
        return self.placed > (0 if self.firm_unavailable else self.present)


@dataclass
class DayRows:
    group: SlotGroup
    rows: list[SlotRow] = field(default_factory=list)


@dataclass(frozen=True)
class DelegateAvailability:
    delegates: list[Delegate]
    days: list[DayRows]
    away_somewhere: set[int] = field(default_factory=set)  # delegates away in at least one slot


def delegate_availability(participation: Participation) -> DelegateAvailability:
    """The page's table: days and sessions of slots (mission order), a box per delegate."""
    delegates = list(participation.delegates.order_by("id"))
    away = set(
        DelegateUnavailability.objects.filter(delegate__participation=participation).values_list(
            "delegate_id", "slot_id"
        )
    )
    firm_away = set(participation.unavailabilities.values_list("slot_id", flat=True))
    placed = Counter(
        Meeting.objects.filter(
            Q(a=participation) | Q(b=participation), status=MeetingStatus.CONFIRMED, slot__isnull=False
        ).values_list("slot_id", flat=True)
    )
    days = []
    for group in slots_grouped(participation.mission):
        day = DayRows(group)
        for slot in group.slots:
            boxes = [(d.pk, d.name, (d.pk, slot.pk) not in away) for d in delegates]
            present = sum(1 for *_, here in boxes if here) if delegates else 1
            day.rows.append(SlotRow(slot, boxes, slot.pk in firm_away, present, placed[slot.pk]))
        days.append(day)
    return DelegateAvailability(delegates, days, {d for d, _slot in away})


def delegate_unavailable_slots(participation: Participation) -> dict[int, list[int]]:
    """Per delegate id (all of the firm's), the slot ids it cannot attend, in time order."""
    result: dict[int, list[int]] = {d: [] for d in participation.delegates.order_by("id").values_list("pk", flat=True)}
    rows = DelegateUnavailability.objects.filter(delegate__participation=participation).order_by("slot__start")
    for delegate_id, slot_id in rows.values_list("delegate_id", "slot_id"):
        result[delegate_id].append(slot_id)
    return result
