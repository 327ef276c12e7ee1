"""Writes on which delegates of a firm are present in which slots.

A firm member sets it while the phase allows editing the participation (events.phases,
EDIT_PARTICIPATION); the organisers at any time. A change that leaves fewer delegates present in
a slot than the firm has meetings placed there (the current schedule, published or not) is
refused for a firm, naming the meetings; organisers may make it and are told what is now in
conflict, to move those meetings or let the next computation do it.
"""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from events.enums import MeetingStatus
from events.models import DelegateUnavailability, Meeting, Participation, Slot
from events.selectors import mission_can_manage
from events.services._common import require_unlocked
from events.services.participation import _lock, _require_open_for


@dataclass(frozen=True)
class Conflict:
    """Meetings of the firm placed in `slot`, more than the `present` delegates then."""

    slot: Slot
    meetings: list[Meeting]
    present: int

    def describe(self, participation: Participation) -> str:
        """ "Tue 12 May 10:00: meetings with A, B; 1 delegate present." in the mission's zone."""
        partners = ", ".join(
            (m.b if m.a_id == participation.pk else m.a).company.name for m in self.meetings
        )  # fmt: skip
        return _("%(time)s: meeting(s) with %(partners)s placed, %(present)d delegate(s) present.") % {
            "time": slot_label(self.slot, participation.mission.time_zone), "partners": partners,
            "present": self.present,
        }  # fmt: skip


def slot_label(slot: Slot, zone: str) -> str:
    return date_format(slot.start.astimezone(ZoneInfo(zone)), "DAY_MONTH_TIME_FORMAT")


def capacity_conflicts(participation: Participation, present: dict[int, int]) -> list[Conflict]:
    """The slots of `present` (slot id -> delegates present) holding more of the firm's placed meetings."""
    meetings = (
        Meeting.objects.filter(Q(a=participation) | Q(b=participation), status=MeetingStatus.CONFIRMED,
                               slot_id__in=list(present))
        .select_related("slot", "a__company", "b__company")
        .order_by("slot__start", "id")
    )  # fmt: skip
    by_slot: dict[int, list[Meeting]] = {}
    for meeting in meetings:
        by_slot.setdefault(meeting.slot_id, []).append(meeting)  # type: ignore[arg-type]
    return [
        Conflict(ms[0].slot, ms, present[slot_id])  # type: ignore[arg-type]
        for slot_id, ms in by_slot.items()
        if len(ms) > present[slot_id]
    ]


def _clean(participation: Participation, unavailable: dict[int, set[int]]) -> dict[int, set[int]]:
    delegates = set(participation.delegates.values_list("pk", flat=True))
    slots = set(Slot.objects.filter(mission_id=participation.mission_id, removed=False).values_list("pk", flat=True))
    errors = []
    unknown_delegates = sorted(set(unavailable) - delegates)
    if unknown_delegates:
        errors.append(_("Unknown delegates: %(ids)s.") % {"ids": ", ".join(map(str, unknown_delegates))})
    unknown_slots = sorted({s for ids in unavailable.values() for s in ids} - slots)
    if unknown_slots:
        errors.append(_("Unknown slots: %(ids)s.") % {"ids": ", ".join(map(str, unknown_slots))})
    if errors:
        raise ValidationError({"delegates": errors})
    return {d: set(unavailable.get(d, set())) for d in delegates}


def _present(delegates: int, unavailable: dict[int, set[int]]) -> dict[int, int]:
    """Delegates present per slot where at least one is away."""
    away: dict[int, int] = {}
    for slots in unavailable.values():
        for s in slots:
            away[s] = away.get(s, 0) + 1
    return {s: delegates - n for s, n in away.items()}


@transaction.atomic
def delegate_availability_set(
    *, participation: Participation, user: User | None, unavailable: dict[int, set[int]]
) -> list[Conflict]:
    """Replace the slots each delegate cannot attend (delegate id -> slot ids; delegates left out
    are present everywhere). Returns, for organisers, the slots now holding more meetings than
    delegates present; a firm's change that would cause one is refused instead."""
    _require_open_for(user, participation)
    participation = _lock(participation)
    require_unlocked(participation.mission)
    unavailable = _clean(participation, unavailable)
    before = _present(len(unavailable), _current(participation))
    after = _present(len(unavailable), unavailable)
    # Only slots where fewer delegates are present than before: an old conflict elsewhere (made by
    # the organisers) does not block the firm's unrelated changes.
    lowered = {s: n for s, n in after.items() if n < before.get(s, len(unavailable))}
    conflicts = capacity_conflicts(participation, lowered)
    if conflicts and (user is not None and not mission_can_manage(user=user, mission=participation.mission)):
        lines = [c.describe(participation) for c in conflicts]
        raise ValidationError(
            {"delegates": [_("Meetings are placed when too few of your delegates would be present; "
                             "ask the organisers to move them first.")] + lines}
        )  # fmt: skip
    DelegateUnavailability.objects.filter(delegate__participation=participation).delete()
    rows = [(d, s) for d, slots in sorted(unavailable.items()) for s in sorted(slots)]
    DelegateUnavailability.objects.bulk_create(DelegateUnavailability(delegate_id=d, slot_id=s) for d, s in rows)
    return capacity_conflicts(participation, after)


def _current(participation: Participation) -> dict[int, set[int]]:
    result: dict[int, set[int]] = {d: set() for d in participation.delegates.values_list("pk", flat=True)}
    rows = DelegateUnavailability.objects.filter(delegate__participation=participation)
    for delegate_id, slot_id in rows.values_list("delegate_id", "slot_id"):
        result[delegate_id].add(slot_id)
    return result
