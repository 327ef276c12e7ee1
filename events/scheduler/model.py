"""Plain data for the meeting scheduler: the problem, a solution and their parts.

Ids are whatever the caller uses (str or int) and are kept as given. Tables are numbered 1..N in
every slot. Weights are positive integers (a meeting worth more is kept before one worth less).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

Id = str | int

DEFAULT_SESSION = "default"
DEFAULT_BREAK_SPREAD = 2


@dataclass(frozen=True)
class Slot:
    id: Id
    session: Id = DEFAULT_SESSION
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class Participant:
    """`capacity`: meetings it can hold at once (its delegates); `fixed_table`: a host's own table.

    `slot_capacity` lowers the capacity in some slots (delegates away then): slot id -> 0..capacity,
    0 meaning unavailable there like `unavailable`. Slots not listed have the full capacity; most
    participants have one delegate and list nothing.
    """

    id: Id
    capacity: int = 1
    unavailable: frozenset[Id] = frozenset()
    fixed_table: int | None = None
    slot_capacity: Mapping[Id, int] = field(default_factory=dict, hash=False)

    def capacity_in(self, slot: Id) -> int:
        """Meetings it can hold at once in `slot` (0 when unavailable there)."""
        if slot in self.unavailable:
            return 0
        return min(self.capacity, self.slot_capacity.get(slot, self.capacity))

    @cached_property
    def away(self) -> frozenset[Id]:
        """Every slot it cannot attend: `unavailable` and the slots of capacity 0."""
        zero = [s for s, c in self.slot_capacity.items() if c <= 0]
        return self.unavailable | frozenset(zero) if zero else self.unavailable


@dataclass(frozen=True)
class Meeting:
    """`slot`/`table` set = pinned there; `allowed_slots` None = any slot."""

    id: Id
    participants: tuple[Id, ...]
    weight: int = 1
    required: bool = False
    allowed_slots: frozenset[Id] | None = None
    slot: Id | None = None
    table: int | None = None

    @property
    def pinned(self) -> bool:
        return self.slot is not None


@dataclass(frozen=True)
class Problem:
    """`tables` maps every slot id to its number of tables; `max_break_spread` None = no fairness cap."""

    slots: tuple[Slot, ...]
    tables: dict[Id, int]
    participants: tuple[Participant, ...]
    meetings: tuple[Meeting, ...]
    max_break_spread: int | None = DEFAULT_BREAK_SPREAD


@dataclass(frozen=True)
class Placement:
    id: Id
    slot: Id
    table: int


@dataclass(frozen=True)
class Unscheduled:
    """`kind` names the reason for programs: see docs/scheduling-format.md."""

    id: Id
    reason: str
    kind: str = ""


@dataclass
class Solution:
    """`stats` holds figures (see docs/scheduling-format.md); extra keys are allowed."""

    meetings: list[Placement] = field(default_factory=list)
    unscheduled: list[Unscheduled] = field(default_factory=list)
    stats: dict[str, object] = field(default_factory=dict)
