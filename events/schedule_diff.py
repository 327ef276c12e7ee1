"""The difference between two schedule snapshots: what publishing the current schedule would change.

Pure: it reads the plain dicts of events.selectors.schedule_snapshot (a published ScheduleVersion's
`snapshot`, and the live schedule) and imports no Django. A meeting is compared by its id; its
placement is its start, end and table, so pinning a meeting, or a slot row replaced by another at
the same time, changes nothing a firm would read.
"""

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

Entry = dict[str, Any]


def placement(entry: Entry | None) -> tuple[Any, Any, Any]:
    """(start, end, table) of a snapshot entry; all None when it is not placed (or absent)."""
    entry = entry or {}
    return entry.get("start"), entry.get("end"), entry.get("table")


@dataclass(frozen=True)
class MeetingChange:
    """One meeting that differs: `before` is its published entry (None when added), `after` its
    current entry (None when removed: cancelled since). `told` marks a removal the firms already
    heard of (a firm cancelled it), which publishing does not announce again."""

    id: int
    a_id: int | None
    b_id: int | None
    a: str
    b: str
    before: Entry | None
    after: Entry | None
    told: bool = False

    @property
    def firm_ids(self) -> tuple[int, ...]:
        return tuple(pk for pk in (self.a_id, self.b_id) if pk is not None)

    def partner(self, firm_id: int) -> str:
        """The other firm's name, seen from participation `firm_id`."""
        return self.b if firm_id == self.a_id else self.a


@dataclass(frozen=True)
class ScheduleDiff:
    moved: list[MeetingChange] = field(default_factory=list)
    added: list[MeetingChange] = field(default_factory=list)
    removed: list[MeetingChange] = field(default_factory=list)

    @property
    def changes(self) -> list[MeetingChange]:
        return [*self.moved, *self.added, *self.removed]

    @property
    def is_empty(self) -> bool:
        return not self.changes

    @property
    def firm_ids(self) -> list[int]:
        """The participations to tell: both firms of every change except removals already told."""
        return sorted({pk for change in self.changes if not change.told for pk in change.firm_ids})

    def for_firm(self, firm_id: int) -> "ScheduleDiff":
        """The changes one firm is told of."""

        def mine(changes: list[MeetingChange]) -> list[MeetingChange]:
            return [c for c in changes if firm_id in c.firm_ids and not c.told]

        return ScheduleDiff(moved=mine(self.moved), added=mine(self.added), removed=mine(self.removed))

    def fingerprint(self, *, base: int) -> str:
        """A short digest of this diff against version `base` (0: nothing published): a page shows it,
        and publishing refuses when the schedule changed since (a stale page)."""
        kinds = (("m", self.moved), ("a", self.added), ("r", self.removed))
        rows = [[k, c.id, placement(c.before), placement(c.after), c.told] for k, changes in kinds for c in changes]
        text = json.dumps([base, rows], separators=(",", ":"), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def _change(old: Entry | None, new: Entry | None, *, told: bool = False) -> MeetingChange:
    known = new or old or {}
    other = old or {}
    return MeetingChange(
        id=int(known["id"]), a_id=known.get("a_id", other.get("a_id")), b_id=known.get("b_id", other.get("b_id")),
        a=str(known.get("a", "")), b=str(known.get("b", "")), before=old, after=new, told=told,
    )  # fmt: skip


def _order(entry: Entry | None) -> tuple[str, str, int]:
    entry = entry or {}
    return entry.get("start") or "~", entry.get("table") or "", int(entry.get("id") or 0)


def schedule_diff(
    old: dict[str, Any] | None, new: dict[str, Any], *, told: frozenset[int] = frozenset()
) -> ScheduleDiff:
    """What changed from snapshot `old` (None: nothing published yet, every meeting is added) to `new`.

    `told` holds the ids of meetings whose cancellation both firms were already told of. Each list is
    ordered by time (the new time for moves), table and meeting id.
    """
    before = {int(e["id"]): e for e in (old or {}).get("meetings", [])}
    after = {int(e["id"]): e for e in new.get("meetings", [])}
    kept = [pk for pk in after if pk in before]
    moved = [_change(before[pk], after[pk]) for pk in kept if placement(before[pk]) != placement(after[pk])]
    added = [_change(None, after[pk]) for pk in after if pk not in before]
    removed = [_change(before[pk], None, told=pk in told) for pk in before if pk not in after]
    return ScheduleDiff(
        moved=sorted(moved, key=lambda c: _order(c.after)),
        added=sorted(added, key=lambda c: _order(c.after)),
        removed=sorted(removed, key=lambda c: _order(c.before)),
    )
