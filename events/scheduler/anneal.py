"""Simulated annealing on the slots of the placed meetings: fewest breaks under the fairness cap.

CP-SAT proves bounds well but, on one worker, improves a poor schedule slowly: on the B2B variants
of the crafb/crafc events (tables nearly full) its minimisation from the greedy start stalls tens
of breaks above the optimum. This search only moves meetings, never drops one, and is cheap per
step (a participant's busy slots are one integer, its breaks a few bit operations), so it makes
hundreds of thousands of moves in the time CP-SAT makes a few hundred decisions.

Moves, on a meeting drawn at random and a slot it could use:
- *relocate* it there when it fits (a table free, its participants free);
- otherwise a *Kempe swap*: the chain of meetings linked to it through shared participants in the
  two slots changes slot all at once (every participant in the chain swaps what it does in the two
  slots), which keeps everyone's load and only the tables need checking. This is the move that
  lets a full slot be rearranged (edge-colouring and timetabling searches rely on it).

Cost: breaks + EXCESS_WEIGHT x fairness excess (breaks above the lowest + cap), accepted by the
Metropolis rule at a temperature cooling geometrically; the best schedule in the scheduler's
order (excess, then breaks) is kept. Deterministic: a seeded generator and a fixed number of moves.
"""

import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from events.scheduler.instance import UNPLACED, Instance

# A unit of fairness excess costs this many breaks: enough that the search leaves an unfair
# schedule for a fair one, low enough that it can cross an unfair one on the way.
EXCESS_WEIGHT = 4
# Each idle slot inside a participant's span costs this much beside its breaks: the break count
# alone is flat while a gap shrinks from three slots to one, this gives the search a slope there.
IDLE_WEIGHT = 0.2
# Temperatures (in breaks) at the first and the last move, cooling geometrically in between.
T_START = 1.0
T_END = 0.05
# The wall-clock deadline is looked at every this many moves.
CHECK_EVERY = 2048


@dataclass
class Result:
    assign: list[int]
    excess: int
    breaks: int
    moves: int  # moves tried (fewer than asked when the deadline stopped the search)


class _Search:
    def __init__(self, inst: Instance, assign: list[int], cap: int | None):
        self.inst = inst
        self.cap = cap
        self.assign = list(assign)
        n_slots, n_people = inst.n_slots, len(inst.people)
        self.at: list[list[list[int]]] = [[[] for _ in range(n_slots)] for _ in range(n_people)]  # p -> t -> meetings
        self.used = [0] * n_slots
        self.in_slot: list[list[int]] = [[] for _ in range(n_slots)]
        self.fixed_at: list[dict[int, int]] = [{} for _ in range(n_slots)]  # t -> table -> meeting
        self.mask = [0] * n_people
        first = 0
        self.session_masks: list[int] = []
        for t in range(n_slots):
            if t == 0 or not inst.same_session(t - 1, t):
                first |= 1 << t
                self.session_masks.append(0)
            self.session_masks[-1] |= 1 << t
        self.first = first
        for m, t in enumerate(self.assign):
            if t != UNPLACED:
                self._put(m, t)
        self.movable = [m for m, t in enumerate(self.assign) if t != UNPLACED and len(inst.feasible[m]) > 1]
        self.allowed = [set(f) for f in inst.feasible]
        self.scores: dict[int, tuple[int, int]] = {}
        self.b = [self.score(k)[0] for k in self.mask]
        self.idle = [self.score(k)[1] for k in self.mask]
        self.hist = [0] * (n_slots + 1)
        for v in self.b:
            self.hist[v] += 1

    def _put(self, m: int, t: int) -> None:
        self.assign[m] = t
        self.used[t] += 1
        self.in_slot[t].append(m)
        table = self.inst.table_of[m]
        if table is not None:
            self.fixed_at[t][table] = m
        for p in self.inst.members[m]:
            self.at[p][t].append(m)
            self.mask[p] |= 1 << t

    def _take(self, m: int) -> None:
        t = self.assign[m]
        self.used[t] -= 1
        self.in_slot[t].remove(m)
        table = self.inst.table_of[m]
        if table is not None:
            del self.fixed_at[t][table]
        for p in self.inst.members[m]:
            row = self.at[p][t]
            row.remove(m)
            if not row:
                self.mask[p] &= ~(1 << t)

    def score(self, mask: int) -> tuple[int, int]:
        """(breaks, idle slots) of a participant busy in `mask`, remembered: few masks recur."""
        known = self.scores.get(mask)
        if known is None:
            known = self.scores[mask] = (self.breaks_of(mask), self.idle_of(mask))
        return known

    def breaks_of(self, mask: int) -> int:
        if not mask:
            return 0
        starts = (mask & ~((mask << 1) & ~self.first)).bit_count()
        if len(self.session_masks) == 1:
            return starts - 1
        return starts - sum(1 for s in self.session_masks if mask & s)

    def idle_of(self, mask: int) -> int:
        """Idle slots inside the participant's span, per session: the gaps' length."""
        total = 0
        for sm in self.session_masks:
            part = mask & sm
            if part:
                total += part.bit_length() - (part & -part).bit_length() + 1 - part.bit_count()
        return total

    def excess(self, hist: list[int]) -> tuple[int, int]:
        """(fairness excess, lowest breaks) from the count of participants per number of breaks."""
        low = next(v for v, n in enumerate(hist) if n)
        if self.cap is None:
            return 0, low
        return sum(n * (v - low - self.cap) for v, n in enumerate(hist) if n and v > low + self.cap), low

    def fits(self, m: int, t: int) -> bool:
        inst = self.inst
        if self.used[t] >= inst.tables[t]:
            return False
        table = inst.table_of[m]
        if table is not None and table in self.fixed_at[t]:
            return False
        return all(len(self.at[p][t]) < inst.capacity_at[p][t] for p in inst.members[m])

    def chain(self, m: int, t1: int, t2: int) -> tuple[list[int], set[int]] | None:
        """Meetings in t1 and t2 linked to m through shared participants, and those participants;
        None when one of them cannot change slot (not allowed there, or a participant's capacity)."""
        inst, at = self.inst, self.at
        people: set[int] = set()
        meetings: set[int] = {m}
        todo = [m]
        while todo:
            k = todo.pop()
            other = t2 if self.assign[k] == t1 else t1
            if other not in self.allowed[k]:
                return None
            for p in inst.members[k]:
                if p in people:
                    continue
                people.add(p)
                cap = inst.capacity_at[p]
                if len(at[p][t1]) > cap[t2] or len(at[p][t2]) > cap[t1]:
                    return None
                for j in at[p][t1] + at[p][t2]:
                    if j not in meetings:
                        meetings.add(j)
                        todo.append(j)
        return list(meetings), people

    def chain_fits(self, meetings: list[int], t1: int, t2: int) -> bool:
        inst = self.inst
        into_t2 = sum(1 for k in meetings if self.assign[k] == t1)
        into_t1 = len(meetings) - into_t2
        if self.used[t1] - into_t2 + into_t1 > inst.tables[t1] or self.used[t2] - into_t1 + into_t2 > inst.tables[t2]:
            return False
        fixed = [k for k in meetings if inst.table_of[k] is not None]
        if not fixed:
            return True
        moving = set(fixed)
        for k in fixed:
            target = t2 if self.assign[k] == t1 else t1
            holder = self.fixed_at[target].get(inst.table_of[k])  # type: ignore[arg-type]
            if holder is not None and holder not in moving:
                return False
        return True

    def propose(
        self, m: int, t1: int, t2: int, random_: Callable[[], float]
    ) -> tuple[list[tuple[int, int]], dict[int, int]] | None:
        """Moving m from t1 to t2: the (meeting, new slot) moves and the new busy masks of the
        participants it changes, or None when neither a relocation nor a Kempe swap is possible."""
        if self.fits(m, t2):
            return [(m, t2)], {p: _relocated(self, p, t1, t2) for p in self.inst.members[m]}
        linked = self.chain(m, t1, t2)
        if linked is None:
            return None
        meetings, people = linked
        if not self.chain_fits(meetings, t1, t2):
            # The tables do not balance: add the chain of a meeting coming the other way.
            there = [k for k in self.in_slot[t2] if k not in meetings]
            if not there:
                return None
            other = self.chain(there[int(random_() * len(there))], t2, t1)
            if other is None:
                return None
            meetings, people = meetings + other[0], people | other[1]
            if not self.chain_fits(meetings, t1, t2):
                return None
        plan = [(k, t2 if self.assign[k] == t1 else t1) for k in meetings]
        return plan, {p: _swapped(self.mask[p], t1, t2) for p in people}

    def apply(self, moves: list[tuple[int, int]]) -> None:
        for m, _ in moves:
            self._take(m)
        for m, t in moves:
            self._put(m, t)


def anneal(
    inst: Instance,
    assign: list[int],
    *,
    moves: int,
    seed: int,
    deadline_passed: Callable[[], bool] | None = None,
) -> Result:
    """The best schedule found in `moves` steps from `assign` (placed meetings stay placed).
    `deadline_passed` is called every CHECK_EVERY moves and stops the search when true."""
    cap = inst.problem.max_break_spread
    s = _Search(inst, assign, cap)
    rng = random.Random(seed)
    hist, b, idle = s.hist, s.b, s.idle
    (excess, low), breaks = s.excess(hist), sum(b)
    # Above this many breaks a participant adds to the excess (no cap: never).
    top = low + cap if cap is not None else len(hist)
    best = Result(list(s.assign), excess, breaks, 0)
    if not s.movable or moves <= 0:
        return best
    cooling = (T_END / T_START) ** (1.0 / moves)
    temperature = T_START
    random_, movable, allowed, score = rng.random, s.movable, inst.feasible, s.score
    done = 0
    for done in range(1, moves + 1):
        temperature *= cooling
        if deadline_passed is not None and done % CHECK_EVERY == 0 and deadline_passed():
            break
        m = movable[int(random_() * len(movable))]
        t1 = s.assign[m]
        options = allowed[m]
        t2 = options[int(random_() * len(options))]
        if t2 == t1:
            continue
        proposal = s.propose(m, t1, t2, random_)
        if proposal is None:
            continue
        plan, changed = proposal
        new = [(p, *score(mask)) for p, mask in changed.items()]
        delta_breaks = delta_idle = 0
        recount = False
        for p, v, gaps in new:
            old = b[p]
            delta_breaks += v - old
            delta_idle += gaps - idle[p]
            hist[old] -= 1
            hist[v] += 1
            recount = recount or v > top or old > top or v < low or (old == low and not hist[low])
        new_excess, new_low = s.excess(hist) if recount else (excess, low)
        delta = delta_breaks + EXCESS_WEIGHT * (new_excess - excess) + IDLE_WEIGHT * delta_idle
        if delta <= 0 or random_() < math.exp(-delta / temperature):
            s.apply(plan)
            for p, v, gaps in new:
                b[p], idle[p] = v, gaps
            breaks += delta_breaks
            excess, low = new_excess, new_low
            top = low + cap if cap is not None else len(hist)
            if (excess, breaks) < (best.excess, best.breaks):
                best = Result(list(s.assign), excess, breaks, 0)  # moves: set once, at the end
        else:
            for p, v, _ in new:
                hist[v] -= 1
                hist[b[p]] += 1
    best.moves = done
    return best


def _relocated(s: _Search, p: int, t1: int, t2: int) -> int:
    mask = s.mask[p] | (1 << t2)
    if len(s.at[p][t1]) == 1:
        mask &= ~(1 << t1)
    return mask


def _swapped(mask: int, t1: int, t2: int) -> int:
    bit1, bit2 = (mask >> t1) & 1, (mask >> t2) & 1
    if bit1 == bit2:
        return mask
    return mask ^ ((1 << t1) | (1 << t2))
