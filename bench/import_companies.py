"""Company import of a 10,000-row file: preview (the plan) and confirm (the write), time and peak memory.

What an admin waits for: `companies_import_preview` (read, validate every row, compare with the
stored companies, fingerprint) and `companies_import_confirm` (the same plan again under row
locks, then the writes), first on an empty database (10,000 companies created), then with a file
that changes one field of every company (10,000 updates, field by field). Baseline in the same
process: parsing the same file and nothing else (`json.loads`, `csv.reader`). Peak memory is
Python's (tracemalloc), measured in a second run of each step, so tracing does not slow the timed
one. Figures in docs/import-format.md, "How fast".

    .venv/bin/python bench/import_companies.py [--rows 10000]

Uses (and re-creates) the database `kizuna_bench_imports` on the local PostgreSQL; set
BENCH_DATABASE_URL to use another server.
"""

import argparse
import csv
import io
import json
import os
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kizuna_bench_imports")
os.environ.update(DJANGO_SETTINGS_MODULE="config.settings.base", DATABASE_URL=DB_URL, CELERY_BROKER_URL="")


def _recreate_database() -> None:
    import psycopg

    admin_url, _, name = DB_URL.rpartition("/")
    with psycopg.connect(f"{admin_url}/postgres".replace("postgres://", "postgresql://", 1), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{name}"')


def _timed(step: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = step()
    return time.perf_counter() - start, result


def _peak_mib(step: Callable[[], Any]) -> float:
    tracemalloc.start()
    step()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def _row(label: str, seconds: float, mib: float, baseline: float) -> str:
    return f"{label:<44} {seconds:8.2f} s {mib:9.1f} MiB {seconds / baseline:8.0f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    rows = parser.parse_args().rows
    _recreate_database()
    import django

    django.setup()
    from django.core.management import call_command

    from companies.exporting import companies_export
    from companies.importing import companies_import_confirm, companies_import_preview
    from companies.models import Company
    from companies.synthetic import generate_profiles, import_rows

    call_command("migrate", verbosity=0)
    content = json.dumps(import_rows(generate_profiles(rows, 7), 7), ensure_ascii=False).encode()

    def preview(data: bytes, name: str) -> Any:
        return companies_import_preview(content=data, filename=name)

    def confirm(data: bytes, name: str, fingerprint: str) -> Any:
        return companies_import_confirm(content=data, filename=name, user=None, approve=False, fingerprint=fingerprint)

    print(f"{rows} rows, {len(content) / 2**20:.1f} MiB of JSON; PostgreSQL {DB_URL.rsplit('@', 1)[-1]}")
    parse_s, _ = _timed(lambda: json.loads(content))
    parse_mib = _peak_mib(lambda: json.loads(content))
    print(f"{'step':<44} {'time':>10} {'peak':>13} {'vs parse':>9}")
    print(_row("baseline: json.loads of the file", parse_s, parse_mib, parse_s))
    seconds, plan = _timed(lambda: preview(content, "firms.json"))
    mib = _peak_mib(lambda: preview(content, "firms.json"))
    print(_row(f"preview, {len(plan.created)} to create", seconds, mib, parse_s))
    seconds, result = _timed(lambda: confirm(content, "firms.json", plan.fingerprint))
    assert result.created == rows, result
    Company.objects.all().delete()
    mib = _peak_mib(lambda: confirm(content, "firms.json", plan.fingerprint))
    print(_row(f"confirm, {result.created} created", seconds, mib, parse_s))

    # Every company changes one field: the plan diffs 10,000 stored rows, the write updates each.
    text = companies_export(fmt="csv").replace(",en,", ",en_ja,")
    changed = text.encode()
    csv_s, _ = _timed(lambda: list(csv.reader(io.StringIO(changed.decode()))))
    csv_mib = _peak_mib(lambda: list(csv.reader(io.StringIO(changed.decode()))))
    print(_row("baseline: csv.reader of the CSV export", csv_s, csv_mib, csv_s))
    seconds, plan = _timed(lambda: preview(changed, "firms.csv"))
    label = f"preview CSV, {len(plan.updated)} to update"
    print(_row(label, seconds, _peak_mib(lambda: preview(changed, "firms.csv")), csv_s))
    seconds, result = _timed(lambda: confirm(changed, "firms.csv", plan.fingerprint))
    print(_row(f"confirm CSV, {result.updated} updated (no tracing)", seconds, 0.0, csv_s))


if __name__ == "__main__":
    main()
