"""Reason sentences stored once: the (English, Japanese) texts of a write turned into Reason ids.

A run of 10,000 firms per side carries about 2,000,000 reasons but only a few thousand distinct
sentences; suggestions store the ids (docs/match-runs.md, "Reasons"). Resolving is set-based,
whatever the number of pairs: one SELECT of the stored texts, and only when some are new, an
INSERT .. ON CONFLICT DO NOTHING of those and a SELECT of them (SQLite: per 999 texts).
"""

from collections.abc import Collection, Iterable, Sequence
from itertools import zip_longest
from typing import Any

from django.db import connection

from matchmaking.models import Reason

ReasonText = tuple[str, str]
"""(English, Japanese) of one reason; "" where a language has no sentence."""
INSERT_BATCH = 5000  # 10,000 parameters a statement; a first full run brings about 3,600 new texts
SELECT_BATCH = 5000


def reasons_paired(english: Sequence[str], japanese: Sequence[str]) -> list[ReasonText]:
    """The engine's two parallel lists as one list of (en, ja), paired by position."""
    return list(zip_longest(english, japanese, fillvalue=""))


def reasons_in_pairs(pairs: dict[Any, dict[str, Any]]) -> set[ReasonText]:
    """Every distinct text in the `reasons_eu` and `reasons_jp` of the pairs (lists of ReasonText)."""
    texts: set[ReasonText] = set()
    for values in pairs.values():
        texts.update(values["reasons_eu"])
        texts.update(values["reasons_jp"])
    return texts


def reasons_resolve(*, texts: Collection[ReasonText]) -> dict[ReasonText, int]:
    """The Reason id of each text, adding the texts not stored yet; call inside the write's transaction.

    Safe when two writes add the same new text at once (READ COMMITTED, PostgreSQL's and Django's
    default): the second INSERT waits for the first transaction, then skips the row on conflict, and
    its SELECT, a new statement, sees the row once committed. Both insert in the same sorted order,
    so neither can hold a text the other needs while waiting for one it holds (no deadlock).
    """
    wanted = set(texts)
    ids = _stored(wanted)
    missing = sorted(wanted - ids.keys())
    if missing:
        rows = [Reason(en=en, ja=ja) for en, ja in missing]
        Reason.objects.bulk_create(rows, batch_size=INSERT_BATCH, ignore_conflicts=True)
        ids |= _stored(set(missing))
    if len(ids) != len(wanted):  # only under an isolation level that hides rows committed meanwhile
        raise RuntimeError(f"{len(wanted) - len(ids)} reason texts could be neither inserted nor found")
    return ids


def _stored(wanted: set[ReasonText]) -> dict[ReasonText, int]:
    english = sorted({en for en, _ja in wanted})
    size = min(SELECT_BATCH, connection.ops.bulk_batch_size(["en"], english) or SELECT_BATCH)
    found: dict[ReasonText, int] = {}
    for chunk in _chunks(english, size):
        for pk, en, ja in Reason.objects.filter(en__in=chunk).values_list("id", "en", "ja"):
            if (en, ja) in wanted:
                found[(en, ja)] = pk
    return found


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    return (items[i : i + size] for i in range(0, len(items), size))
