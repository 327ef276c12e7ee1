"""Company import of a 10,000-row file: preview (the plan) and confirm (the write), time and peak memory.

What an admin waits for: `companies_import_preview` (read, validate every row, compare with the
stored companies, fingerprint) and `companies_import_confirm` (the same plan again under row
locks, then the writes), first on an empty database (10,000 companies created), then with a file
that changes one field of every company (10,000 updates, field by field, written in bulk), and
a sample of the old path (one `company_update` per row) extrapolated to the same count. Baseline
in the same process: parsing the same file and nothing else (`json.loads`). Peak memory is
Python's (tracemalloc), measured in a second run of each step, so tracing does not slow the timed
one. Figures in docs/import-format.md, "How fast".

    .venv/bin/python bench/import_companies.py [--rows 10000]

Uses (and re-creates) the database `kizuna_bench_imports` on the local PostgreSQL; set
BENCH_DATABASE_URL to use another server.
"""

import argparse
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


def _with_city(rows: list[dict], suffix: str) -> bytes:
    """The exported companies with every city changed: a file of len(rows) updates of one field each."""
    return json.dumps(
        [{**row, "city": f"{row['city'] or 'City'} {suffix}"} for row in rows], ensure_ascii=False
    ).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--per-row-sample", type=int, default=300, help="rows updated one company_update each")
    args = parser.parse_args()
    rows = args.rows
    _recreate_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from companies.exporting import companies_export
    from companies.importing import companies_import_confirm, companies_import_preview
    from companies.models import Company
    from companies.services import company_update
    from companies.synthetic import generate_profiles, import_rows

    call_command("migrate", verbosity=0)
    content = json.dumps(import_rows(generate_profiles(rows, 7), 7), ensure_ascii=False).encode()

    def preview(data: bytes) -> Any:
        return companies_import_preview(content=data, filename="firms.json")

    def confirm(data: bytes, fingerprint: str) -> Any:
        return companies_import_confirm(content=data, filename="firms.json", user=None, approve=False,
                                        fingerprint=fingerprint)  # fmt: skip

    print(f"load average at start (1, 5, 15 min): {os.getloadavg()}")
    print(f"{rows} rows, {len(content) / 2**20:.1f} MiB of JSON; PostgreSQL {DB_URL.rsplit('@', 1)[-1]}")
    parse_s, _ = _timed(lambda: json.loads(content))
    parse_mib = _peak_mib(lambda: json.loads(content))
    print(f"{'step':<44} {'time':>10} {'peak':>13} {'vs parse':>9}")
    print(_row("baseline: json.loads of the file", parse_s, parse_mib, parse_s))
    seconds, plan = _timed(lambda: preview(content))
    print(
        _row(f"create: preview, {len(plan.created)} to create", seconds, _peak_mib(lambda: preview(content)), parse_s)
    )
    seconds, result = _timed(lambda: confirm(content, plan.fingerprint))
    assert result.created == rows, result
    Company.objects.all().delete()
    mib = _peak_mib(lambda: confirm(content, plan.fingerprint))
    print(_row(f"create: confirm, {result.created} created", seconds, mib, parse_s))

    # Every company changes one field (its city): the plan diffs every stored row, the write updates each.
    exported = json.loads(companies_export(fmt="json"))
    first, second = _with_city(exported, "Nord"), _with_city(exported, "Süd")
    upd_parse_s, _ = _timed(lambda: json.loads(first))
    print(_row("baseline: json.loads of the update file", upd_parse_s, _peak_mib(lambda: json.loads(first)), parse_s))
    seconds, plan = _timed(lambda: preview(first))
    mib = _peak_mib(lambda: preview(first))
    print(_row(f"update: preview, {len(plan.updated)} to update", seconds, mib, parse_s))
    seconds, result = _timed(lambda: confirm(first, plan.fingerprint))
    assert result.updated == rows, result
    # Peak of the same write, measured on a second file (the first one now changes nothing).
    mib = _peak_mib(lambda: confirm(second, preview(second).fingerprint))
    print(_row(f"update: confirm, {result.updated} updated (bulk)", seconds, mib, parse_s))

    # What the import did before: one company_update per row (history, children, refresh each).
    sample = list(Company.objects.prefetch_related("dependencies", "contacts").order_by("pk")[: args.per_row_sample])
    start = time.perf_counter()
    with transaction.atomic():
        for company in sample:
            company_update(company=company, user=None, data={"city": f"{company.city} Ost"})
    per_row = (time.perf_counter() - start) / len(sample)
    label = f"before: company_update x {len(sample)}, per {rows}"
    print(_row(label, per_row * rows, 0.0, parse_s) + "  (extrapolated, no tracing)")
    print(f"load average at end (1, 5, 15 min): {os.getloadavg()}")


if __name__ == "__main__":
    main()
