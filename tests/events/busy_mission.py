"""A mission whose schedule takes CP-SAT several seconds to prove (for tests that need a run to
last: killing its worker mid-run). Deterministic: the same firms and meetings every time."""

import datetime as dt
import random

from events.models import Meeting, Mission, Participation
from tests.events.factories import mission_created
from tests.factories import CompanyFactory

FIRMS_PER_SIDE = 15
MEETINGS = 180


def busy_mission(organiser) -> Mission:
    """One day of two 3.5-hour sessions in 30-minute slots (14 slots), 10 tables, 30 firms, 180 meetings."""
    mission = mission_created(organiser, {
        "title": "Busy mission", "city": "Tokyo", "time_zone": "Asia/Tokyo", "days": [dt.date(2025, 10, 6)],
        "sessions": [(dt.time(9, 0), dt.time(12, 30)), (dt.time(14, 0), dt.time(17, 30))],
        "meeting_minutes": 30, "break_minutes": 0, "tables": [f"T{i}" for i in range(1, 11)],
    })  # fmt: skip
    sides = [
        [Participation.objects.create(mission=mission, company=CompanyFactory(country=country))
         for _ in range(FIRMS_PER_SIDE)]
        for country in ("DE", "JP")
    ]  # fmt: skip
    rng = random.Random(0)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < MEETINGS:
        pairs.add((rng.randrange(FIRMS_PER_SIDE), rng.randrange(FIRMS_PER_SIDE)))
    Meeting.objects.bulk_create(
        Meeting(mission=mission, a=sides[0][i], b=sides[1][j], weight=rng.randint(1, 6), required=rng.random() < 0.05)
        for i, j in sorted(pairs)
    )
    return mission
