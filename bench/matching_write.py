"""Writing a full run's suggestions to PostgreSQL: 400,000 pairs (10,000 EU × 10,000 JP, top 20).

Times `matchmaking.services.suggestions_write` (the upsert every run uses: reason texts resolved to
Reason ids, INSERT .. ON CONFLICT DO UPDATE of the computed fields, decisions kept) on an empty
scope and again on a full one. Its input is what a run hands it: block items as the engine's
block tasks return them (each list of reasons in English and Japanese, drawn from a few hundred
distinct sentences), passed through JSON as Celery does, merged by `pairs_from_items`.
Floors in the same process: psycopg COPY of the same pairs into an unlogged table with no index,
reasons as JSON texts (what was stored before Reason ids) and as id lists (what is stored now).
Target (issue 3): at most 30 s for the 400,000. Figures in docs/benchmarks/matching.md,
"Writing suggestions".

    .venv/bin/python bench/matching_write.py [--firms 10000] [--top 20] [--sentences 300]

Uses (and re-creates) the database `kizuna_bench` on the local PostgreSQL; set BENCH_DATABASE_URL
to use another server.
"""

import argparse
import json
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kizuna_bench")
os.environ.update(DJANGO_SETTINGS_MODULE="config.settings.base", DATABASE_URL=DB_URL, CELERY_BROKER_URL="")

PARTS = ("complementarity", "topic", "sector", "value_chain", "partnership", "supply_security")
# Sentence shapes like the engine's (matchmaking/engine/reasons.py), filled with term pairs below.
SHAPES = (
    ("They offer what you seek ({})", "先方は貴社が求めるもの（{}）を提供しています"),
    ("They seek what you offer ({})", "先方は貴社が提供するもの（{}）を求めています"),
    ("Shared topics: {}", "共通のテーマ：{}"),
    ("Upstream supplier for your {}", "貴社の{}の上流サプライヤー"),
    ("Downstream customer for your {}", "貴社の{}の下流の顧客"),
    ("Would cut your dependence on one country for {}", "{}の特定国への依存を減らせます"),
)
TERMS = (
    ("nickel", "ニッケル"), ("cobalt", "コバルト"), ("lithium", "リチウム"), ("graphite", "黒鉛"),
    ("battery grade", "バッテリーグレード"), ("refining", "精錬"), ("recycling", "リサイクル"),
    ("cathode", "正極材"), ("anode", "負極材"), ("electrolyte", "電解液"), ("antibodies", "抗体"),
    ("GMP manufacturing", "GMP製造"), ("cell culture", "細胞培養"), ("rare earths", "レアアース"),
)  # fmt: skip


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


def _sentences(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """`count` distinct (English, Japanese) reasons (up to about 13,000): each shape with one to three terms."""
    found: dict[str, str] = {}
    while len(found) < count:
        (en, ja), terms = rng.choice(SHAPES), rng.sample(TERMS, rng.choice((1, 2, 3)))
        found[en.format(", ".join(t[0] for t in terms))] = ja.format("、".join(t[1] for t in terms))
    return list(found.items())


def _items(eu: list[int], jp: list[int], top: int, sentences: list[tuple[str, str]], seed: int) -> list[dict]:
    """Each firm's top partners on the other side as block items (services.runs.block_items): up to
    2 * firms * top items, about 2.5 reasons in each of their four lists."""
    rng = random.Random(seed)

    def reasons() -> tuple[list[str], list[str]]:
        chosen = rng.sample(sentences, rng.randint(1, 4))
        return [en for en, _ja in chosen], [ja for _en, ja in chosen]

    items = []
    for own, others, step in ((eu, jp, 7), (jp, eu, 11)):
        for index, firm in enumerate(own):
            for k in range(top):
                (en, ja), (partner_en, partner_ja) = reasons(), reasons()
                items.append({
                    "firm_id": firm, "partner_id": others[(index * step + k * 131) % len(others)],
                    "score": round(rng.uniform(20, 95), 1), "parts": {p: round(rng.uniform(0, 100), 1) for p in PARTS},
                    "rank": k + 1, "reasons": en, "reasons_ja": ja,
                    "partner_reasons": partner_en, "partner_reasons_ja": partner_ja,
                })  # fmt: skip
    return json.loads(json.dumps(items, ensure_ascii=False))  # through JSON, as the chord's results come


class StatementTimer:
    """Seconds spent in the SQL statements of a write, by what they do (connection.execute_wrapper)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds[self._kind(sql)] += time.perf_counter() - start

    @staticmethod
    def _kind(sql: str) -> str:
        if "matchmaking_reason" in sql:
            return "reasons"
        if sql.startswith("WITH written"):
            return "upsert"
        if sql.startswith("WITH removed") or sql.startswith("SELECT count(*)"):
            return "delete"
        return "other"


def _timed_write(pairs: dict) -> tuple[float, dict, dict[str, float]]:
    from django.db import connection, transaction

    from matchmaking.models import MatchRun
    from matchmaking.services import suggestions_write

    run = MatchRun.objects.create(status="running", settings={})
    timer = StatementTimer()
    start = time.perf_counter()
    with transaction.atomic():
        with connection.execute_wrapper(timer):
            counts = suggestions_write(run=run, pairs=pairs)
        committing = time.perf_counter()
    seconds = time.perf_counter() - start
    split = dict(timer.seconds, commit=time.perf_counter() - committing)
    split["python + COPY"] = seconds - sum(split.values())
    MatchRun.objects.filter(pk=run.pk).update(status="succeeded")  # one active run per scope at a time
    return seconds, counts, split


def _floor_copy(pairs: dict, reasons: Any) -> float:
    """COPY of the pairs into an unlogged table with no index; `reasons` encodes one side's list."""
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("CREATE UNLOGGED TABLE IF NOT EXISTS floor_copy (eu int, jp int, score float, parts jsonb,"
                       " reasons_eu jsonb, reasons_jp jsonb, rank_eu smallint, rank_jp smallint)")  # fmt: skip
        cursor.execute("TRUNCATE floor_copy")
        with cursor.copy("COPY floor_copy FROM STDIN") as copy:
            for (e, j), v in pairs.items():
                copy.write_row((e, j, v["score"], json.dumps(v["parts"]), reasons(v["reasons_eu"]),
                                reasons(v["reasons_jp"]), v["rank_eu"], v["rank_jp"]))  # fmt: skip
    return time.perf_counter() - start


def _as_texts(reasons: list[tuple[str, str]]) -> str:
    return json.dumps({"en": [en for en, _ja in reasons], "ja": [ja for _en, ja in reasons]}, ensure_ascii=False)


def _encoding_alone(pairs: dict, ids: dict[tuple[str, str], int]) -> float:
    """The Python side of the COPY alone: the distinct reason texts collected, then the COPY text
    encoded in key order (what the write does around its SQL)."""
    from matchmaking.services.pg_upsert import _copy_text
    from matchmaking.services.reasons import reasons_in_pairs

    start = time.perf_counter()
    assert reasons_in_pairs(pairs) <= ids.keys()
    for _chunk in _copy_text(pairs, ids):
        pass
    return time.perf_counter() - start


def _print_split(name: str, split: dict[str, float]) -> None:
    order = ["reasons", "python + COPY", "upsert", "delete", "commit", "other"]
    print(f"  {name}: " + ", ".join(f"{key} {split[key]:.1f}" for key in order if key in split))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=10_000, help="firms per side")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--sentences", type=int, default=300, help="distinct reasons (a real run: ~3,600)")
    args = parser.parse_args()
    _recreate_database()
    eu, jp = _setup(args.firms)
    from matchmaking.services import pairs_from_items

    items = _items(eu, jp, args.top, _sentences(args.sentences, random.Random(2)), seed=1)
    start = time.perf_counter()
    pairs = pairs_from_items(items, {**dict.fromkeys(eu, "EU"), **dict.fromkeys(jp, "JP")})
    merge = time.perf_counter() - start
    del items
    floor_texts = _floor_copy(pairs, _as_texts)
    first, counts_first, split_first = _timed_write(pairs)
    second, counts_second, split_second = _timed_write(pairs)
    ids_of = _reason_ids()
    floor_ids = _floor_copy(pairs, lambda reasons: json.dumps([ids_of[r] for r in reasons]))
    encoding = _encoding_alone(pairs, ids_of)
    from matchmaking.models import Reason, Suggestion

    stored = Suggestion.objects.count()
    occurrences = sum(len(v["reasons_eu"]) + len(v["reasons_jp"]) for v in pairs.values())
    print(f"pairs: {len(pairs):,}  ({args.firms:,} EU x {args.firms:,} JP, top {args.top}); "
          f"reasons: {occurrences:,}, {Reason.objects.count():,} distinct")  # fmt: skip
    print(f"{'what':<38}{'seconds':>9}{'x floor':>9}  counts")
    print(f"{'floor: COPY, reasons as JSON texts':<38}{floor_texts:>9.1f}{1.0:>9.1f}")
    print(f"{'floor: COPY, reasons as id lists':<38}{floor_ids:>9.1f}{floor_ids / floor_texts:>9.1f}")
    print(f"{'upsert, empty scope (inserts)':<38}{first:>9.1f}{first / floor_texts:>9.1f}  {counts_first}")
    print(f"{'upsert again (all updates)':<38}{second:>9.1f}{second / floor_texts:>9.1f}  {counts_second}")
    print(f"split (s; 'python + COPY' = encoding {encoding:.1f} s + the COPY itself):")
    _print_split("inserts", split_first)
    _print_split("updates", split_second)
    print(f"not timed above: pairs_from_items of the items {merge:.1f} s (part of the run's save)")
    print(f"rows stored after both: {stored:,} ({'= pairs' if stored == len(pairs) else 'NOT the pairs'})")
    print(f"target: <= 30 s -> {'met' if max(first, second) <= 30 else 'NOT met'}")


def _reason_ids() -> dict[tuple[str, str], int]:
    from matchmaking.models import Reason

    return {(en, ja): pk for pk, en, ja in Reason.objects.values_list("id", "en", "ja")}


if __name__ == "__main__":
    main()
