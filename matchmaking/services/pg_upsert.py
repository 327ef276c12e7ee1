"""The suggestions upsert on PostgreSQL: COPY into a staging table, then set-based SQL.

Same rules and counts as the ORM path in matchmaking/services/upsert.py (docs/match-runs.md):
computed fields rewritten, review and answers never touched, pairs no longer found kept when
decided and removed when not. The same few statements whatever the number of pairs, and no
existing row is read into Python:

0. resolve the reasons' texts to Reason ids (services/reasons.py: one SELECT, and for new texts
   an INSERT .. ON CONFLICT DO NOTHING and a SELECT of them);
1. COPY the pairs, reasons as lists of ids, into a temporary table (dropped at the end, and at
   commit at the latest);
2. INSERT .. SELECT .. ON CONFLICT (eu_company_id, jp_company_id, scope) DO UPDATE of the computed
   fields, counting inserts and updates;
3. DELETE the scope's undecided pairs the run no longer finds (and their log), then count those kept.

Locks: step 2 locks every row it updates, step 3 every row it deletes, each for the rest of the
caller's transaction; the run-level constraint keeps two runs of one scope apart. The pairs are
copied in key order (numpy.lexsort of the keys) and a temporary table is read back in the order it
was written (never in parallel, never a synchronised scan), so step 2 writes and locks rows in key
order, like the sorted bulk_create of the ORM path. The undecided test sits in the DELETE's own
WHERE, so PostgreSQL re-checks it on a row a review changed meanwhile: a pair approved while the
run waited is kept, and counted kept by the next statement, which sees that review.
Identifiers come from the model's metadata; every value is a bound parameter or goes through COPY.
"""

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import chain
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field
from django.utils import timezone

from matchmaking.enums import FirmResponse, SuggestionStatus
from matchmaking.models import MatchRun, Suggestion, SuggestionDecision
from matchmaking.services.reasons import ReasonText, reasons_in_pairs, reasons_resolve

Pair = tuple[int, int]
STAGING = "pg_temp.suggestion_staging"  # pg_temp: never a table of the same name in another schema
KEY = ("eu_company", "jp_company")
VALUES = ("score", "parts", "reasons_eu", "reasons_jp", "rank_eu", "rank_jp")  # the COPY columns after KEY
# One encoder for every value (json.dumps with options builds a new one per call); jsonb stores the same
# value whatever the spacing or escaping, so the rows equal what the ORM writes.
_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
NULL = "\\N"  # COPY text format
COPY_LINES = 10_000  # lines per write to the COPY: few calls, and the text never all in memory at once
# On conflict only these change: the computed fields, the run that computed them, and the update time.
ON_CONFLICT_SET = ("run", *VALUES, "updated_at")


def suggestions_write_pg(
    *, connection: BaseDatabaseWrapper, run: MatchRun, pairs: dict[Pair, dict[str, Any]], touching: int | None = None
) -> dict[str, int]:
    """Upsert `pairs` in the run's scope on PostgreSQL, inside the caller's transaction; returns the counts."""
    scope = run.mission_id or 0
    ids = reasons_resolve(texts=reasons_in_pairs(pairs))
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")  # left by an earlier call in this transaction
        cursor.execute(_staging_sql(connection))
        with cursor.copy(f"COPY {STAGING} ({', '.join(_columns(KEY + VALUES))}) FROM STDIN") as copy:
            for text in _copy_text(pairs, ids):
                copy.write(text)
        created, updated = _upsert(cursor, connection, run=run, scope=scope, now=timezone.now())
        kept, removed = _remove_gone(cursor, scope=scope, touching=touching)
        cursor.execute(f"DROP TABLE {STAGING}")
    return {"created": created, "updated": updated, "kept": kept, "removed": removed}


def _field(name: str) -> Field:
    return Suggestion._meta.get_field(name)  # type: ignore[return-value]


def _column(name: str) -> str:
    column = _field(name).column
    assert column is not None, name  # every field named here is a concrete column (none is a many-to-many)
    return column


def _columns(names: Iterable[str]) -> list[str]:
    return [_column(name) for name in names]


def _staging_sql(connection: BaseDatabaseWrapper) -> str:
    """The staging table. Its primary key keeps step 3 fast whatever the planner believes: on a table
    never analysed (the first run) it expects one pair in the scope and joins them one by one."""
    columns = ", ".join(f"{_field(n).column} {_field(n).db_type(connection)}" for n in KEY + VALUES)
    return f"CREATE TEMPORARY TABLE {STAGING} ({columns}, PRIMARY KEY ({', '.join(_columns(KEY))})) ON COMMIT DROP"


def _copy_text(pairs: dict[Pair, dict[str, Any]], ids: dict[ReasonText, int]) -> Iterator[str]:
    r"""The pairs as COPY text lines (columns KEY + VALUES) in key order, COPY_LINES at a time.

    Every value is a number, NULL (a missing rank), a JSON list of reason ids or the parts' JSON,
    so the only character COPY would misread is a backslash in that JSON (which writes tabs and
    line breaks inside strings as the two characters \t and \n).
    """
    reason = {text: str(pk) for text, pk in ids.items()}.__getitem__
    keys, values = list(pairs), list(pairs.values())
    templates: dict[tuple[str, ...], str] = {}
    lines = []
    for i in _key_order(keys):
        (eu, jp), v = keys[i], values[i]
        parts = _parts_json(v["parts"], templates)
        if "\\" in parts:
            parts = parts.replace("\\", "\\\\")
        rank_eu, rank_jp = v["rank_eu"], v["rank_jp"]
        lines.append(
            f"{eu}\t{jp}\t{v['score']}\t{parts}\t[{','.join(map(reason, v['reasons_eu']))}]"
            f"\t[{','.join(map(reason, v['reasons_jp']))}]"
            f"\t{NULL if rank_eu is None else rank_eu}\t{NULL if rank_jp is None else rank_jp}\n"
        )
        if len(lines) == COPY_LINES:
            yield "".join(lines)
            lines.clear()
    if lines:
        yield "".join(lines)


def _parts_json(parts: dict[str, Any], templates: dict[tuple[str, ...], str]) -> str:
    """The parts as JSON, the same text as the encoder's. A run's parts all have the same names, so
    each set of names becomes a template once and only the floats are formatted per pair (a third
    faster on 400,000 pairs); a value that is not a float (float.__repr__ refuses it) takes the encoder."""
    names = tuple(parts)
    template = templates.get(names)
    if template is None:
        template = templates[names] = "{" + ",".join(_json(name).replace("%", "%%") + ":%s" for name in names) + "}"
    try:
        return template % tuple(map(float.__repr__, parts.values()))
    except TypeError:
        return _json(parts)


def _key_order(keys: list[Pair]) -> list[int]:
    """Positions of the keys sorted by (EU id, JP id): numpy.lexsort over the two id columns, some
    ten times faster than sorting 400,000 tuples in Python."""
    import numpy as np  # here, not at module level: pages and commands that never save a run start faster

    ids = np.fromiter(chain.from_iterable(keys), dtype=np.int64, count=2 * len(keys)).reshape(-1, 2)
    return np.lexsort((ids[:, 1], ids[:, 0])).tolist()


def _fixed(connection: BaseDatabaseWrapper, *, run: MatchRun, scope: int, now: datetime) -> list[tuple[Field, Any]]:
    """(field, value) of every column the pair does not bring: set by the run, else the model's default
    (status proposed, no review, no answers)."""
    by_run = {"run": run.pk, "mission": run.mission_id, "scope": scope, "created_at": now, "updated_at": now}
    fixed = []
    for field in Suggestion._meta.concrete_fields:
        if field.primary_key or field.name in KEY or field.name in VALUES:
            continue
        value = by_run[field.name] if field.name in by_run else field.get_default()
        fixed.append((field, field.get_db_prep_save(value, connection)))
    return fixed


def _upsert(
    cursor: Any, connection: BaseDatabaseWrapper, *, run: MatchRun, scope: int, now: datetime
) -> tuple[int, int]:
    """Step 2; returns (created, updated). A row this statement inserted has xmax 0; one it updated
    carries the statement's transaction id (the row lock ON CONFLICT DO UPDATE takes)."""
    fixed = _fixed(connection, run=run, scope=scope, now=now)
    staged = _columns(KEY + VALUES)
    columns = ", ".join([*staged, *(_column(f.name) for f, _v in fixed)])
    selected = ", ".join([*(f"s.{c}" for c in staged), *(f"%s::{f.db_type(connection)}" for f, _v in fixed)])
    keys = ", ".join(_columns([*KEY, "scope"]))
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in _columns(ON_CONFLICT_SET))
    cursor.execute(
        f"WITH written AS (INSERT INTO {Suggestion._meta.db_table} ({columns})"
        f" SELECT {selected} FROM {STAGING} s"
        f" ON CONFLICT ({keys}) DO UPDATE SET {updates} RETURNING (xmax = 0) AS inserted)"
        " SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM written",
        [value for _f, value in fixed],
    )
    created, updated = cursor.fetchone()
    return created, updated


def _remove_gone(cursor: Any, *, scope: int, touching: int | None) -> tuple[int, int]:
    """Step 3; returns (kept, removed) among the scope's pairs that were not staged.

    Removed: the undecided ones (`Suggestion.has_decision` false: proposed, neither firm answered),
    with their decision log, as the ORM's cascade does (the foreign key is checked at commit). Kept:
    those left afterwards, all decided. A firm answers only an approved pair (the check constraint
    suggestion_answers_need_approval), so they are the pairs not proposed, which the status index finds.
    """
    table, pk = Suggestion._meta.db_table, Suggestion._meta.pk.column
    log, log_fk = SuggestionDecision._meta.db_table, SuggestionDecision._meta.get_field("suggestion").column
    eu, jp = _columns(KEY)
    scope_column, status, eu_response, jp_response = _columns(["scope", "status", "eu_response", "jp_response"])
    not_staged = (
        f"t.{scope_column} = %s{f' AND (t.{eu} = %s OR t.{jp} = %s)' if touching is not None else ''}"
        f" AND NOT EXISTS (SELECT 1 FROM {STAGING} s WHERE s.{eu} = t.{eu} AND s.{jp} = t.{jp})"
    )
    where = [scope, *([touching, touching] if touching is not None else [])]
    cursor.execute(
        f"WITH removed AS (DELETE FROM {table} t WHERE {not_staged} AND t.{status} = %s"
        f" AND t.{eu_response} = %s AND t.{jp_response} = %s RETURNING t.{pk}),"
        f" cascaded AS (DELETE FROM {log} WHERE {log_fk} IN (SELECT {pk} FROM removed))"
        " SELECT count(*) FROM removed",
        [*where, SuggestionStatus.PROPOSED, FirmResponse.NONE, FirmResponse.NONE],
    )
    (removed,) = cursor.fetchone()
    decided = [value for value in SuggestionStatus.values if value != SuggestionStatus.PROPOSED]
    cursor.execute(f"SELECT count(*) FROM {table} t WHERE {not_staged} AND t.{status} = ANY(%s)", [*where, decided])
    (kept,) = cursor.fetchone()
    return kept, removed
