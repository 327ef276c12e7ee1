"""The organiser's schedule grid page at 60 tables × 30 slots: time and queries, full against empty.

    .venv/bin/python bench/schedule_grid.py [--repeat 7]

Builds two missions of the same shape (3 days × 10 slots of 30 minutes, 60 tables, 120 firms):
"empty" (no meetings: the floor, what the page costs without a single cell to fill) and "full"
(1,800 meetings: 1,740 placed, every EU firm in every slot, plus 60 waiting unplaced). Then GETs
/missions/<id>/schedule/ with the test client as the organiser, `--repeat` times each after one
warm-up, and prints the median and the worst time and the query count of one request, side by
side. Target (issue 12, item 7): at most 300 ms for the full grid, and the same query count for both.

Uses (and re-creates) the database `kizuna_bench_grid` on the local PostgreSQL; set
BENCH_DATABASE_URL to use another server. Figures in docs/scheduling.md, "The schedule editor".
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kizuna_bench_grid")
os.environ.update(DJANGO_SETTINGS_MODULE="config.settings.base", DATABASE_URL=DB_URL, CELERY_BROKER_URL="")
os.environ.setdefault("SECRET_KEY", "bench-only")

TABLES = 60
FIRMS_PER_SIDE = 60
SLOTS_PLACED = 29  # of the 30 slots: the last one stays empty, so drops have somewhere to go
MISSION = {
    "title": "Grid bench", "city": "Tokyo", "time_zone": "Asia/Tokyo", "venue": "",
    "days": [dt.date(2026, 10, 5), dt.date(2026, 10, 6), dt.date(2026, 10, 7)],
    "sessions": [(dt.time(9, 0), dt.time(12, 0)), (dt.time(14, 0), dt.time(16, 0))],
    "meeting_minutes": 30, "break_minutes": 0, "tables": [f"T{i}" for i in range(1, TABLES + 1)],
}  # fmt: skip


def _recreate_database() -> None:
    import psycopg

    admin_url, _, name = DB_URL.rpartition("/")
    with psycopg.connect(f"{admin_url}/postgres".replace("postgres://", "postgresql://", 1), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{name}"')


def _mission(organiser, *, meetings: bool):  # type: ignore[no-untyped-def]
    """A mission of the bench's shape in the scheduling phase; with meetings, the grid filled by a
    Latin square (EU firm e meets JP firm (e + s) mod 60 in slot s, at table e)."""
    from companies.models import Company
    from events import services
    from events.models import Meeting, MeetingSeat, Mission, Participation, Slot, Table

    mission = services.mission_create(user=organiser, data=dict(MISSION))
    Mission.objects.filter(pk=mission.pk).update(phase="scheduling")
    companies = Company.objects.bulk_create(
        Company(name=f"{'Europa' if i < FIRMS_PER_SIDE else 'Nippon'} Materials {i} GmbH", status="approved",
                country="DE" if i < FIRMS_PER_SIDE else "JP")
        for i in range(2 * FIRMS_PER_SIDE)
    )  # fmt: skip
    parts = Participation.objects.bulk_create(Participation(mission=mission, company=c) for c in companies)
    if not meetings:
        return mission
    eu, jp = parts[:FIRMS_PER_SIDE], parts[FIRMS_PER_SIDE:]
    slots = list(Slot.objects.filter(mission=mission).order_by("start"))
    tables = list(Table.objects.filter(mission=mission).order_by("id"))
    rows = [
        Meeting(mission=mission, a=eu[e], b=jp[(e + s) % FIRMS_PER_SIDE], weight=4,
                slot=slots[s] if s < SLOTS_PLACED else None, table=tables[e] if s < SLOTS_PLACED else None)
        for s in range(SLOTS_PLACED + 1) for e in range(FIRMS_PER_SIDE)
    ]  # fmt: skip
    placed = [m for m in Meeting.objects.bulk_create(rows) if m.slot_id]
    MeetingSeat.objects.bulk_create(
        MeetingSeat(meeting=m, participation_id=p, slot_id=m.slot_id, seat=1) for m in placed for p in (m.a_id, m.b_id)
    )
    return mission


def _measure(client, mission, repeat: int) -> tuple[float, float, float, int, int]:  # type: ignore[no-untyped-def]
    """Median and worst wall milliseconds of `repeat` GETs (after a warm-up), their median CPU
    milliseconds in this process (what other jobs on a shared machine disturb least; the database
    server's own work is not in it), queries of one, page bytes."""
    from django.db import connection

    url = f"/missions/{mission.pk}/schedule/"
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    times, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(times), max(times), statistics.median(cpu), len(queries), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    _recreate_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    from accounts.models import User
    from events.models import Meeting

    organiser = User.objects.create_user(email="organiser@bench.example", password="x", is_organiser=True)
    client = Client()
    client.force_login(organiser)
    print(f"{'grid':<8}{'meetings':>10}{'median ms':>11}{'worst ms':>10}{'CPU ms':>8}{'queries':>9}{'KB':>8}")
    for name, meetings in (("empty", False), ("full", True)):
        mission = _mission(organiser, meetings=meetings)
        count = Meeting.objects.filter(mission=mission).count()
        median, worst, cpu, queries, size = _measure(client, mission, args.repeat)
        print(f"{name:<8}{count:>10,}{median:>11.0f}{worst:>10.0f}{cpu:>8.0f}{queries:>9}{size / 1024:>8.0f}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
