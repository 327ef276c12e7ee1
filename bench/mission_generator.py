"""Realistic EU–Japan trade missions as scheduling problems (docs/scheduling-format.md).

    .venv/bin/python bench/mission_generator.py --firms 400 --requests 3000 --days 2 --out P.json

Shape of a mission, deterministic per seed:
- days of two sessions, 09:00–12:30 and 14:00–17:30, in 30-minute slots (14 slots a day);
- tables ≈ firms / 2.5 in every slot; about 3% of firms host at their own fixed table;
- European and Japanese firms (about half each) request meetings across the two sides, with
  popularity skewed (a few firms are asked by many); a firm is asked at most for what its
  delegates could hold in the mission, and a little more (organisers cap requests like that);
- weight 1–6 from both sides' priorities (requester 1–3, other side 0–3);
- about 5% of meetings required, 0.5% pinned to a slot (a few also to a table);
- about 10% of firms send two delegates (capacity 2);
- availability holes: some firms arrive late, leave early, miss a half day or a single slot;
- some meetings are limited to mornings, or (on several days) to one day, by `allowed_slots`.
"""

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

SESSIONS = (("am", 9 * 60, 7), ("pm", 14 * 60, 7))  # name, first slot start (minutes), slots
SLOT_MINUTES = 30

SIZES = {
    "small": {"firms": 60, "requests": 300, "days": 1},
    "medium": {"firms": 400, "requests": 3000, "days": 2},
    "large": {"firms": 2000, "requests": 20000, "days": 3},
}


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def make_slots(days: int) -> list[dict[str, Any]]:
    slots = []
    for day in range(1, days + 1):
        for name, first, count in SESSIONS:
            for i in range(count):
                start = first + i * SLOT_MINUTES
                when = f"day{day}T{_clock(start)}", f"day{day}T{_clock(start + SLOT_MINUTES)}"
                slots.append({"id": len(slots) + 1, "session": f"d{day}-{name}", "start": when[0], "end": when[1]})
    return slots


def _sessions(slots: list[dict[str, Any]]) -> dict[str, list[int]]:
    by_session: dict[str, list[int]] = {}
    for slot in slots:
        by_session.setdefault(slot["session"], []).append(slot["id"])
    return by_session


def _unavailable(rng: random.Random, days: int, by_session: dict[str, list[int]]) -> list[int]:
    away: set[int] = set()
    day_slots = [by_session[f"d{d}-am"] + by_session[f"d{d}-pm"] for d in range(1, days + 1)]
    roll = rng.random()
    if roll < 0.10:  # arrives late on the first day
        away.update(day_slots[0][: rng.randint(1, 4)])
    elif roll < 0.20:  # leaves early on the last day
        away.update(day_slots[-1][-rng.randint(1, 4) :])
    elif roll < 0.28:  # misses a half day
        away.update(by_session[rng.choice(sorted(by_session))])
    if rng.random() < 0.15:  # another appointment
        away.add(rng.choice(rng.choice(day_slots)))
    return sorted(away)


def make_participants(rng: random.Random, firms: int, days: int, slots: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_session = _sessions(slots)
    n_eu = firms // 2 + rng.randint(-firms // 20, firms // 20)
    ids = [f"EU{i:04d}" for i in range(1, n_eu + 1)] + [f"JP{i:04d}" for i in range(1, firms - n_eu + 1)]
    hosts = rng.sample(ids, max(1, firms * 3 // 100))
    host_table = {pid: n for n, pid in enumerate(sorted(hosts), start=1)}
    participants = []
    for pid in ids:
        record: dict[str, Any] = {"id": pid, "capacity": 2 if rng.random() < 0.10 and pid not in host_table else 1,
                                  "unavailable": _unavailable(rng, days, by_session)}  # fmt: skip
        if pid in host_table:
            record["fixed_table"] = host_table[pid]
        participants.append(record)
    return participants


def _pairs(rng: random.Random, participants: list[dict[str, Any]], requests: int, n_slots: int) -> list[tuple]:
    """Distinct (requester, other) pairs across sides, popular firms asked more, within a cap each."""
    eu = [p for p in participants if p["id"].startswith("EU")]
    jp = [p for p in participants if p["id"].startswith("JP")]
    appeal = {p["id"]: rng.lognormvariate(0, 0.6) for p in participants}
    cap = {p["id"]: int((n_slots - len(p["unavailable"])) * p["capacity"] * 1.1) for p in participants}
    load = dict.fromkeys(appeal, 0)
    seen: set[frozenset[str]] = set()
    pairs: list[tuple] = []
    eu_w = [appeal[p["id"]] for p in eu]
    jp_w = [appeal[p["id"]] for p in jp]
    while len(pairs) < requests:
        for a, b in zip(rng.choices(eu, eu_w, k=256), rng.choices(jp, jp_w, k=256), strict=True):
            key = frozenset((a["id"], b["id"]))
            if key in seen or load[a["id"]] >= cap[a["id"]] or load[b["id"]] >= cap[b["id"]]:
                continue
            if "fixed_table" in a and "fixed_table" in b:  # two hosts cannot both stay at their tables
                continue
            seen.add(key)
            load[a["id"]] += 1
            load[b["id"]] += 1
            pairs.append((a, b) if rng.random() < 0.55 else (b, a))
            if len(pairs) == requests:
                break
    return pairs


def _allowed(rng: random.Random, days: int, by_session: dict[str, list[int]]) -> list[int] | None:
    roll = rng.random()
    if roll < 0.04:  # mornings only
        return [s for d in range(1, days + 1) for s in by_session[f"d{d}-am"]]
    if days > 1 and roll < 0.07:  # one day only
        day = rng.randint(1, days)
        return by_session[f"d{day}-am"] + by_session[f"d{day}-pm"]
    return None


def make_meetings(
    rng: random.Random, participants: list[dict[str, Any]], requests: int, days: int, slots: list[dict[str, Any]],
    tables: int,
) -> list[dict[str, Any]]:  # fmt: skip
    by_session = _sessions(slots)
    pins = _PinBook(participants, tables)
    meetings = []
    for n, (a, b) in enumerate(_pairs(rng, participants, requests, len(slots)), start=1):
        weight = min(6, max(1, rng.choice((1, 1, 2, 2, 3)) + rng.choice((0, 0, 1, 1, 2, 3))))
        record: dict[str, Any] = {"id": n, "participants": [a["id"], b["id"]], "weight": weight,
                                  "required": rng.random() < 0.05}  # fmt: skip
        allowed = _allowed(rng, days, by_session)
        if allowed is not None:
            record["allowed_slots"] = allowed
        if rng.random() < 0.005:
            pins.pin(rng, record, a, b, allowed or [s["id"] for s in slots])
        meetings.append(record)
    return meetings


class _PinBook:
    """Pins meetings only where they fit: both free, under capacity, a table left (and its own)."""

    def __init__(self, participants: list[dict[str, Any]], tables: int):
        self.tables = tables
        self.load: dict[tuple[str, int], int] = {}
        self.used: dict[int, int] = {}
        self.numbers: set[tuple[int, int]] = set()
        self.fixed = {p["id"]: p.get("fixed_table") for p in participants}

    def pin(self, rng: random.Random, record: dict[str, Any], a: dict[str, Any], b: dict[str, Any],
            allowed: list[int]) -> None:  # fmt: skip
        for slot in rng.sample(allowed, len(allowed)):
            if any(slot in p["unavailable"] or self.load.get((p["id"], slot), 0) >= p["capacity"] for p in (a, b)):
                continue
            table = self.fixed[a["id"]] or self.fixed[b["id"]]
            if table is None and rng.random() < 0.3:
                table = self.tables - rng.randrange(3)  # a pinned table from the top, away from hosts
            if self.used.get(slot, 0) >= self.tables or (table is not None and (slot, table) in self.numbers):
                continue
            for p in (a, b):
                self.load[p["id"], slot] = self.load.get((p["id"], slot), 0) + 1
            self.used[slot] = self.used.get(slot, 0) + 1
            record["slot"] = slot
            if table is not None:
                self.numbers.add((slot, table))
                if not (self.fixed[a["id"]] or self.fixed[b["id"]]):
                    record["table"] = table
            return


def generate(*, firms: int, requests: int, days: int, seed: int = 0) -> dict[str, Any]:
    """A mission problem in the interchange format; the same arguments give the same problem."""
    rng = random.Random(f"kizuna-mission/{firms}/{requests}/{days}/{seed}")
    slots = make_slots(days)
    tables = max(1, round(firms / 2.5))
    participants = make_participants(rng, firms, days, slots)
    meetings = make_meetings(rng, participants, requests, days, slots, tables)
    return {"slots": slots, "tables": tables, "participants": participants, "meetings": meetings}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES), help="a preset (overrides the three counts)")
    parser.add_argument("--firms", type=int, default=60)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--days", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", help="file to write (default: standard output)")
    args = parser.parse_args()
    shape = SIZES[args.size] if args.size else {"firms": args.firms, "requests": args.requests, "days": args.days}
    text = json.dumps(generate(**shape, seed=args.seed), ensure_ascii=False)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
