"""A schedule being built: who is busy when, tables in use, and the break change of a move."""

from events.scheduler.instance import UNPLACED, Instance


class Occupancy:
    """Slot per meeting plus the loads derived from it, kept in step by `place` and `remove`."""

    def __init__(self, inst: Instance, assign: list[int] | None = None):
        self.inst = inst
        self.assign = [UNPLACED] * inst.n_meetings
        self.load = [[0] * inst.n_slots for _ in inst.people]
        self.tables_used = [0] * inst.n_slots
        self.fixed_used: set[tuple[int, int]] = set()
        for m, t in enumerate(assign or []):
            if t != UNPLACED:
                self.place(m, t)

    def fits(self, m: int, t: int) -> bool:
        inst = self.inst
        if self.tables_used[t] >= inst.tables[t]:
            return False
        table = inst.table_of[m]
        if table is not None and (table, t) in self.fixed_used:
            return False
        return all(self.load[p][t] < inst.capacity_at[p][t] for p in inst.members[m])

    def place(self, m: int, t: int) -> None:
        self.assign[m] = t
        self.tables_used[t] += 1
        table = self.inst.table_of[m]
        if table is not None:
            self.fixed_used.add((table, t))
        for p in self.inst.members[m]:
            self.load[p][t] += 1

    def remove(self, m: int) -> None:
        t = self.assign[m]
        self.assign[m] = UNPLACED
        self.tables_used[t] -= 1
        table = self.inst.table_of[m]
        if table is not None:
            self.fixed_used.discard((table, t))
        for p in self.inst.members[m]:
            self.load[p][t] -= 1

    def break_delta(self, p: int, t: int) -> int:
        """Change in p's breaks if it becomes busy at t (0 when it already is)."""
        row = self.load[p]
        if row[t]:
            return 0
        inst = self.inst
        left = t > 0 and inst.same_session(t - 1, t) and row[t - 1] > 0
        right = t + 1 < inst.n_slots and inst.same_session(t, t + 1) and row[t + 1] > 0
        if left and right:
            return -1
        if left or right:
            return 0
        return 1 if self._busy_elsewhere_in_session(p, t) else 0

    def _busy_elsewhere_in_session(self, p: int, t: int) -> bool:
        inst, row = self.inst, self.load[p]
        s = t - 1
        while s >= 0 and inst.same_session(s, t):
            if row[s]:
                return True
            s -= 1
        s = t + 1
        while s < inst.n_slots and inst.same_session(s, t):
            if row[s]:
                return True
            s += 1
        return False

    def move_cost(self, m: int, t: int) -> int:
        return sum(self.break_delta(p, t) for p in self.inst.members[m])
