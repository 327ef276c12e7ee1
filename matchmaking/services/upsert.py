"""Engine suggestions (one firm's view each) merged into pairs, and written as one upsert.

Rules (docs/match-runs.md): a run rewrites the computed fields of the pairs it finds and never
touches the review or the firms' answers; a pair it no longer finds is kept when someone decided
on it, and removed otherwise. The pairs carry each side's reasons as (English, Japanese) texts;
the write stores them once each as `Reason` rows and the suggestions get their ids.
"""

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Q
from django.db.transaction import TransactionManagementError

from matchmaking.models import MatchRun, Suggestion
from matchmaking.services.pg_upsert import suggestions_write_pg
from matchmaking.services.reasons import ReasonText, reasons_in_pairs, reasons_paired, reasons_resolve

Pair = tuple[int, int]
COMPUTED_FIELDS = ["run", "score", "parts", "reasons_eu", "reasons_jp", "rank_eu", "rank_jp", "updated_at"]


def _empty_pair() -> dict[str, Any]:
    return {"score": None, "parts": {}, "reasons_eu": [], "reasons_jp": [], "rank_eu": None, "rank_jp": None}


def pairs_from_items(items: Iterable[dict[str, Any]], sides: dict[int, str]) -> dict[Pair, dict[str, Any]]:
    """(EU id, JP id) -> the pair's computed values, whatever the order of the items.

    A firm's own view (it ranked the partner) gives its rank and reasons; when it did not rank the
    partner, its reasons are the partner_reasons of the partner's item and its rank stays empty.
    Score and parts are symmetric; the EU firm's item is taken when both exist. Reasons become lists
    of (English, Japanese), the item's two lists paired by position.
    """
    pairs: dict[Pair, dict[str, Any]] = {}
    own_views: set[tuple[Pair, str]] = set()
    for item in items:
        side, other = sides.get(item["firm_id"]), sides.get(item["partner_id"])
        if side is None or other is None or side == other:
            continue  # a firm gone since the snapshot, or a same-side pair the model cannot hold
        key = (item["firm_id"], item["partner_id"]) if side == "EU" else (item["partner_id"], item["firm_id"])
        mine, theirs = side.lower(), other.lower()
        pair = pairs.setdefault(key, _empty_pair())
        pair[f"rank_{mine}"] = item["rank"]
        pair[f"reasons_{mine}"] = reasons_paired(item["reasons"], item["reasons_ja"])
        own_views.add((key, mine))
        if (key, theirs) not in own_views:
            pair[f"reasons_{theirs}"] = reasons_paired(item["partner_reasons"], item["partner_reasons_ja"])
        if mine == "eu" or pair["score"] is None:
            pair["score"], pair["parts"] = item["score"], item["parts"]
    return pairs


def suggestions_write(
    *, run: MatchRun, pairs: dict[Pair, dict[str, Any]], touching: int | None = None
) -> dict[str, int]:
    """Upsert `pairs` in the run's scope; call inside a transaction. Returns the counts of the run.

    `touching`: only the pairs of this firm are concerned (a refresh of one company). The upsert is
    INSERT .. ON CONFLICT DO UPDATE of the computed fields, so running it twice changes nothing.
    PostgreSQL stages the pairs with COPY and writes them with a few set-based statements
    (pg_upsert.py); other databases take the ORM path, with the same rules, rows and counts.
    """
    if connection.get_autocommit():
        raise TransactionManagementError("suggestions_write must run inside a transaction")
    if connection.vendor == "postgresql":
        return suggestions_write_pg(connection=connection, run=run, pairs=pairs, touching=touching)
    return suggestions_write_orm(run=run, pairs=pairs, touching=touching)


def suggestions_write_orm(
    *, run: MatchRun, pairs: dict[Pair, dict[str, Any]], touching: int | None = None
) -> dict[str, int]:
    """The portable path: reason texts resolved to ids, existing pairs locked and read,
    bulk_create(update_conflicts=True) in batches, undecided pairs no longer found deleted by id."""
    ids = reasons_resolve(texts=reasons_in_pairs(pairs))
    scope = run.mission_id or 0
    existing_qs = Suggestion.objects.filter(scope=scope)
    if touching is not None:
        existing_qs = existing_qs.filter(Q(eu_company_id=touching) | Q(jp_company_id=touching))
    existing = {(s.eu_company_id, s.jp_company_id): s for s in existing_qs.select_for_update().only(*_DECISION_FIELDS)}
    rows = [
        Suggestion(run=run, mission_id=run.mission_id, scope=scope, eu_company_id=eu, jp_company_id=jp,
                   **_with_reason_ids(values, ids))
        for (eu, jp), values in sorted(pairs.items())
    ]  # fmt: skip
    Suggestion.objects.bulk_create(
        rows, batch_size=500, update_conflicts=True, unique_fields=["eu_company", "jp_company", "scope"],
        update_fields=COMPUTED_FIELDS,
    )  # fmt: skip
    gone = [s for key, s in existing.items() if key not in pairs]
    stale = [s.pk for s in gone if not s.has_decision]
    Suggestion.objects.filter(pk__in=stale).delete()
    return {
        "created": len(pairs.keys() - existing.keys()),
        "updated": len(pairs.keys() & existing.keys()),
        "kept": len(gone) - len(stale),
        "removed": len(stale),
    }


def _with_reason_ids(values: dict[str, Any], ids: dict[ReasonText, int]) -> dict[str, Any]:
    reasons = {name: [ids[text] for text in values[name]] for name in ("reasons_eu", "reasons_jp")}
    return values | reasons


_DECISION_FIELDS = ("id", "eu_company_id", "jp_company_id", "status", "eu_response", "jp_response")
