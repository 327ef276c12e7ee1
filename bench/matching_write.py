"""Writing a full run's suggestions to PostgreSQL: 400,000 pairs (10,000 EU × 10,000 JP, top 20).

Times `matchmaking.services.suggestions_write` (the upsert every run uses: INSERT .. ON CONFLICT DO
UPDATE of the computed fields, decisions kept) on an empty scope and again on a full one, against
a floor in the same run: psycopg COPY of the same rows into an unlogged table with no index.
Target (issue 3): at most 30 s for the 400,000. On PostgreSQL the upsert stages the pairs with COPY
and writes them with set-based SQL (matchmaking/services/pg_upsert.py); figures in
docs/benchmarks/matching.md, "Writing suggestions".

    .venv/bin/python bench/matching_write.py [--firms 10000] [--top 20]

Uses (and re-creates) the database `kizuna_bench` on the local PostgreSQL; set BENCH_DATABASE_URL
to use another server.
"""

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kizuna_bench")
os.environ.update(DJANGO_SETTINGS_MODULE="config.settings.base", DATABASE_URL=DB_URL, CELERY_BROKER_URL="")

REASON_EN = "They seek battery-grade nickel sulphate; you refine nickel (nickel, refining, battery grade)"
REASON_JA = "先方はバッテリーグレードの硫酸ニッケルを探しています。貴社はニッケルを精錬しています"
PARTS = ("complementarity", "topic", "sector", "value_chain", "partnership", "supply_security")


def _recreate_database() -> None:
    import psycopg

    admin_url, _, name = DB_URL.rpartition("/")
    with psycopg.connect(f"{admin_url}/postgres".replace("postgres://", "postgresql://", 1), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{name}"')


def _setup(firms: int) -> tuple[list[int], list[int]]:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from companies.models import Company

    rows = [Company(name=f"Firm {i}", country="JP" if i % 2 else "DE", sectors=["batteries"], status="approved")
            for i in range(2 * firms)]  # fmt: skip
    Company.objects.bulk_create(rows, batch_size=5000)
    ids = list(Company.objects.order_by("id").values_list("id", "country"))
    return [i for i, c in ids if c != "JP"], [i for i, c in ids if c == "JP"]


def _pairs(eu: list[int], jp: list[int], top: int, seed: int) -> dict:
    """Each firm's top partners on the other side, as a run stores them: up to 2 * firms * top pairs
    (a pair that both firms ranked is stored once)."""
    rng = random.Random(seed)
    pairs: dict = {}
    for own, others, mine in ((eu, jp, "eu"), (jp, eu, "jp")):
        step = 7 if mine == "eu" else 11
        for index, firm in enumerate(own):
            for k in range(top):
                other = others[(index * step + k * 131) % len(others)]
                key = (firm, other) if mine == "eu" else (other, firm)
                pair = pairs.setdefault(key, _payload(rng))
                pair[f"rank_{mine}"] = k + 1
    return pairs


def _payload(rng: random.Random) -> dict:
    return {
        "score": round(rng.uniform(20, 95), 1), "parts": {p: round(rng.uniform(0, 100), 1) for p in PARTS},
        "reasons_eu": {"en": [REASON_EN] * 3, "ja": [REASON_JA] * 3},
        "reasons_jp": {"en": [REASON_EN] * 3, "ja": [REASON_JA] * 3},
        "rank_eu": None, "rank_jp": None,
    }  # fmt: skip


def _timed_write(pairs: dict) -> tuple[float, dict]:
    from django.db import transaction

    from matchmaking.models import MatchRun
    from matchmaking.services import suggestions_write

    run = MatchRun.objects.create(status="running", settings={})
    start = time.perf_counter()
    with transaction.atomic():
        counts = suggestions_write(run=run, pairs=pairs)
    seconds = time.perf_counter() - start
    MatchRun.objects.filter(pk=run.pk).update(status="succeeded")  # one active run per scope at a time
    return seconds, counts


def _floor_copy(pairs: dict) -> float:
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("CREATE UNLOGGED TABLE IF NOT EXISTS floor_copy (eu int, jp int, score float, parts jsonb,"
                       " reasons_eu jsonb, reasons_jp jsonb, rank_eu smallint, rank_jp smallint)")  # fmt: skip
        cursor.execute("TRUNCATE floor_copy")
        with cursor.copy("COPY floor_copy FROM STDIN") as copy:
            for (e, j), v in pairs.items():
                copy.write_row((e, j, v["score"], json.dumps(v["parts"]), json.dumps(v["reasons_eu"]),
                                json.dumps(v["reasons_jp"]), v["rank_eu"], v["rank_jp"]))  # fmt: skip
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=10_000, help="firms per side")
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    _recreate_database()
    eu, jp = _setup(args.firms)
    pairs = _pairs(eu, jp, args.top, seed=1)
    floor = _floor_copy(pairs)
    first, counts_first = _timed_write(pairs)
    second, counts_second = _timed_write(pairs)
    from matchmaking.models import Suggestion

    stored = Suggestion.objects.count()
    print(f"pairs: {len(pairs):,}  ({args.firms:,} EU x {args.firms:,} JP, top {args.top})")
    print(f"{'what':<34}{'seconds':>9}{'x floor':>9}  counts")
    print(f"{'floor: COPY into unlogged table':<34}{floor:>9.1f}{1.0:>9.1f}")
    print(f"{'upsert, empty scope (inserts)':<34}{first:>9.1f}{first / floor:>9.1f}  {counts_first}")
    print(f"{'upsert again (all updates)':<34}{second:>9.1f}{second / floor:>9.1f}  {counts_second}")
    print(f"rows stored after both: {stored:,} ({'= pairs' if stored == len(pairs) else 'NOT the pairs'})")
    print(f"target: <= 30 s -> {'met' if max(first, second) <= 30 else 'NOT met'}")


if __name__ == "__main__":
    main()
