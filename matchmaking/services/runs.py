"""Match runs: start, split into blocks, score blocks, save everything in one transaction.

The engine (matchmaking.engine: numpy, scipy, scikit-learn) is imported inside the functions that
score, so pages and commands that only read runs start fast. See docs/match-runs.md.
"""

import logging
import threading
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from companies.models import Company
from events.enums import MissionAction
from events.models import Mission
from events.services.phases import require_phase
from events.services.runs import (
    run_begin,
    run_enqueue_on_commit,
    run_fail,
    run_heartbeat,
    run_requeue,
    run_succeed,
    runs_fail_stale,
)
from matchmaking import selectors
from matchmaking.enums import ACTIVE_RUN_STATUSES, RunSource, RunStatus
from matchmaking.models import MatchRun
from matchmaking.permissions import require_run_scope
from matchmaking.services.upsert import pairs_from_items, suggestions_write

if TYPE_CHECKING:
    from matchmaking.engine import Prepared, Suggestion

logger = logging.getLogger(__name__)

SNAPSHOT_TIMEOUT = 6 * 3600
"""Seconds the profiles of a run stay cached for its block tasks."""


# --- Settings and start --------------------------------------------------------------------------


def match_settings_clean(*, top_k: int | None = None, min_score: float | None = None,
                         block_size: int | None = None, embedding_weight: float | None = None,
                         base: dict | None = None) -> dict[str, Any]:  # fmt: skip
    """Engine settings as stored on a run: the defaults (or `base`) with the given overrides.

    The one place where a run's weights are built: `embedding_weight` (from match_embeddings_choose)
    overrides weights["embedding"] of the base.
    """
    from matchmaking.engine import MatchSettings

    values = dict(base or match_settings_defaults(selectors.ranking_model_current(), embeddings=bool(embedding_weight)))
    overrides = {"top_k": top_k, "min_score": min_score, "block_size": block_size}
    values.update({k: v for k, v in overrides.items() if v is not None})
    if embedding_weight is not None:
        values["weights"] = {**values["weights"], "embedding": embedding_weight}
    try:
        return MatchSettings.from_dict(values).as_dict()
    except (TypeError, ValueError) as error:
        raise ValidationError({"settings": [str(error)]}) from error


def match_settings_defaults(model: dict[str, Any], *, embeddings: bool = False) -> dict[str, Any]:
    """The engine's default settings with the weights of a ranking model (selectors.ranking_model_current):
    its weights learned with embeddings when the run has an embedding part, else those without."""
    from matchmaking.engine import MatchSettings

    weights = model["weights_embedding"] if embeddings else model["weights"]
    return {**MatchSettings().as_dict(), "weights": dict(weights)}


def match_embeddings_choose(*, model: str | None = None, weight: float | None = None) -> tuple[str, float]:
    """(model, weight) of the embedding part for a new run; ("", 0.0) when it is off.

    Defaults: the deployment's MATCH_EMBEDDINGS_MODEL and MATCH_EMBEDDINGS_WEIGHT. `model` (the
    command's --embedding-model; "" turns it off) names another one, with MATCH_EMBEDDINGS_WEIGHT
    or else DEFAULT_EMBEDDING_WEIGHT when no weight is given.
    """
    from config.env import DEFAULT_EMBEDDING_WEIGHT, embeddings_model_problem

    if weight is not None and not 0 <= weight <= 1:
        raise ValidationError({"embedding_weight": [_("Give a weight from 0 to 1.")]})
    default_weight = django_settings.MATCH_EMBEDDINGS_WEIGHT
    if model is None:
        model = django_settings.MATCH_EMBEDDINGS_MODEL
    else:
        model = model.strip()
        problem = embeddings_model_problem(model)
        if problem:
            raise ValidationError({"embedding_model": [problem]})
        default_weight = default_weight or DEFAULT_EMBEDDING_WEIGHT
    if weight is None:
        weight = default_weight if model else 0.0
    if weight > 0 and not model:
        raise ValidationError(
            {"embedding_weight": [_("No embedding model is configured (MATCH_EMBEDDINGS_MODEL): leave this at 0.")]}
        )
    return (model, float(weight)) if weight > 0 else ("", 0.0)


def match_run_start(
    *,
    user: User | None,
    mission: Mission | None = None,
    top_k: int | None = None,
    min_score: float | None = None,
    block_size: int | None = None,
    embedding_model: str | None = None,
    embedding_weight: float | None = None,
    source: str = RunSource.WEB,
    enqueue: bool = True,
) -> MatchRun:
    """Queue a run of one scope and enqueue its task after commit. `user` None: the system (command, beat).

    The run scores with the current ranking model's weights and records its version. The embedding
    model and weight default to the deployment's settings (match_embeddings_choose); with an embedding
    part the model's weights learned with embeddings are used, the chosen weight replacing the
    learned embedding weight.
    """
    from matchmaking.engine import ENGINE_VERSION

    require_run_scope(user=user, mission=mission)
    if user is not None and mission is not None:
        require_phase(mission, MissionAction.RUN_MATCHING)
    ranking = selectors.ranking_model_current()
    model, weight = match_embeddings_choose(model=embedding_model, weight=embedding_weight)
    base = match_settings_defaults(ranking, embeddings=weight > 0)
    settings = match_settings_clean(
        top_k=top_k, min_score=min_score, block_size=block_size, embedding_weight=weight, base=base
    )
    runs_fail_stale()  # a run whose worker died must not block its scope (also without a beat process)
    try:
        with transaction.atomic():
            _require_no_active_run(mission)
            run = MatchRun.objects.create(
                mission=mission, settings=settings, engine_version=ENGINE_VERSION, source=source, created_by=user,
                model_version=ranking["version"], embedding_model=model, embedding_weight=weight,
            )  # fmt: skip
    except IntegrityError as error:  # another start won the race for this scope
        raise ValidationError({"non_field_errors": [_("A run of this scope is already queued or running.")]}) from error
    if enqueue:
        _enqueue(run)
    return run


def _require_no_active_run(mission: Mission | None) -> None:
    active = MatchRun.objects.filter(mission=mission, status__in=ACTIVE_RUN_STATUSES).first()
    if active is not None:
        raise ValidationError(
            {"non_field_errors": [_("Run %(id)s of this scope is already queued or running.") % {"id": active.pk}]}
        )


def _enqueue(run: MatchRun) -> None:
    from matchmaking.tasks import match_run_execute_task

    run_enqueue_on_commit(MatchRun, run_id=run.pk, task=match_run_execute_task)


@transaction.atomic
def match_run_retry(*, run: MatchRun, user: User | None) -> MatchRun:
    """Queue a failed run again with the same settings, as a new attempt; its upsert cannot duplicate
    suggestions. Retrying a run that is queued again already (a double submit) does nothing."""
    require_run_scope(user=user, mission=run.mission)
    runs_fail_stale()
    if run.status == RunStatus.FAILED:
        _require_no_active_run(run.mission)
    if run_requeue(MatchRun, run_id=run.pk, blocks_done=[]):
        _enqueue(run)
    run.refresh_from_db()
    return run


# --- Execution: begin, blocks, save, fail --------------------------------------------------------


def _side_blocks(records: list[dict[str, Any]], size: int) -> list[list[int]]:
    """Blocks of `size` firm ids, EU firms first, each block on one side only: a block scores its
    firms against the other side, whose matrices a worker then prepares once for all its blocks."""
    blocks = []
    for side in ("EU", "JP"):
        ids = [r["id"] for r in records if r["side"] == side]
        blocks += [ids[i : i + size] for i in range(0, len(ids), size)]
    return blocks


def _snapshot_key(run: MatchRun) -> str:
    # Ids can come back after a rollback (SQLite), the start time of an attempt does not.
    started = run.started_at.timestamp() if run.started_at else 0
    return f"matchmaking:run:{run.pk}:{run.attempts}:{started}:profiles"


def match_run_begin(*, run_id: int) -> list[list[int]] | None:
    """Mark the run running as a new attempt, snapshot its profiles, return its blocks of firm ids.

    None when there is nothing to do (the run is not queued: finished, failed, or taken by another
    delivery of its task), so a task that is delivered twice does no harm.
    """
    with transaction.atomic():
        if run_begin(MatchRun, run_id=run_id) is None:
            return None
        run = MatchRun.objects.select_related("mission").get(pk=run_id)  # locked by run_begin's update
        records = selectors.match_profile_records(mission=run.mission)
        blocks = _side_blocks(records, int(run.settings.get("block_size", 512)))
        run.firms, run.blocks_total, run.blocks_done = len(records), len(blocks), []
        run.save(update_fields=["firms", "blocks_total", "blocks_done"])
        # Blocks score this snapshot, so an edit while the run goes on cannot split it in two versions.
        transaction.on_commit(lambda: cache.set(_snapshot_key(run), records, SNAPSHOT_TIMEOUT))
    return blocks


_prepared_lock = threading.Lock()
_prepared_memo: dict[str, "Prepared"] = {}


def _prepared_for(run: MatchRun) -> "Prepared":
    """The run's prepared state: built once per worker process, from the snapshot (or the DB)."""
    from matchmaking.engine import MatchSettings, prepare, profile_from_dict

    key = _snapshot_key(run)
    with _prepared_lock:
        if key not in _prepared_memo:
            records = cache.get(key)
            if records is None:  # another process's memory cache, or evicted: the DB gives the same
                records = selectors.match_profile_records(mission=run.mission)
            settings = MatchSettings.from_dict(run.settings)
            prepared = prepare([profile_from_dict(r) for r in records], settings, embedder=_embedder(run))
            _prepared_memo.clear()  # one run at a time per process is plenty; keeps memory bounded
            _prepared_memo[key] = prepared
        return _prepared_memo[key]


_backends_lock = threading.Lock()
_backends: dict[str, Any] = {}


def _embedder(run: MatchRun) -> Any:
    """The run's embedding backend, built once per process (a model loads in seconds); None when off.

    A run with an embedding weight but no model (made by hand) gets None, and the engine says why.
    """
    from matchmaking.engine import backend_from_setting

    if not run.embedding_model or float(run.settings.get("weights", {}).get("embedding", 0)) <= 0:
        return None
    with _backends_lock:
        if run.embedding_model not in _backends:
            _backends[run.embedding_model] = backend_from_setting(run.embedding_model)
        return _backends[run.embedding_model]


def block_items(prepared: "Prepared", suggestions: list["Suggestion"]) -> list[dict[str, Any]]:
    """Engine suggestions as JSON-ready dicts, each with the partner's reasons for the same pair.

    The partner sees the pair too, even when the firm is not in its own top k; its reasons come
    from the engine with the roles swapped (the score and parts are symmetric), for the whole
    block at once (explain_pairs: the same reasons as explain() pair by pair, far faster).
    """
    import numpy as np

    from matchmaking.engine.reasons import explain_pairs

    if not suggestions:
        return []
    values = {name: np.array([s.parts[name] for s in suggestions]) / 100 for name in suggestions[0].parts}
    partners = np.array([prepared.position[s.partner_id] for s in suggestions])
    firms = np.array([prepared.position[s.firm_id] for s in suggestions])
    partner_en, partner_ja = explain_pairs(prepared, partners, firms, values)
    return [
        {
            "firm_id": s.firm_id,
            "partner_id": s.partner_id,
            "score": s.score,
            "parts": s.parts,
            "rank": s.rank,
            "reasons": list(s.reasons),
            "reasons_ja": list(s.reasons_ja),
            "partner_reasons": en,
            "partner_reasons_ja": ja,
        }  # fmt: skip
        for s, en, ja in zip(suggestions, partner_en, partner_ja, strict=True)
    ]


def match_run_score_block(*, run_id: int, index: int, firm_ids: list[int],
                          attempt: int | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """Score one block of a running run and count it done; plain JSON for the chord callback."""
    run = MatchRun.objects.select_related("mission").get(pk=run_id)
    if run.status != RunStatus.RUNNING or (attempt is not None and attempt != run.attempts):
        # Failed meanwhile, or a block of an earlier attempt (its worker died; the retry scores its
        # own blocks): its callback will not save anything, so scoring it would only waste the worker.
        return []
    from matchmaking.engine import score_block  # numpy & co. load only for a block that scores

    with run_heartbeat(MatchRun, run_id=run_id, attempt=attempt):
        prepared = _prepared_for(run)
        # Blocks hold one side each (match_run_begin), so a worker densifies each side once, not per block.
        items = block_items(prepared, score_block(prepared, firm_ids, keep_dense=True))
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().get(pk=run_id)
        if index not in run.blocks_done:
            run.blocks_done = sorted([*run.blocks_done, index])
            run.progress = min(99, 100 * len(run.blocks_done) // max(run.blocks_total, 1))
            run.heartbeat_at = timezone.now()
            run.save(update_fields=["blocks_done", "progress", "heartbeat_at"])
    return items


def match_run_save(*, run_id: int, results: list[list[dict[str, Any]]], attempt: int | None = None) -> MatchRun:
    """Write every block's suggestions in one transaction and mark the run succeeded (chord callback)."""
    with run_heartbeat(MatchRun, run_id=run_id, attempt=attempt), transaction.atomic():
        run = MatchRun.objects.select_for_update(of=("self",)).select_related("mission").get(pk=run_id)
        if run.status != RunStatus.RUNNING or (attempt is not None and attempt != run.attempts):
            return run  # already saved, failed, or retried since: saving twice must not count twice
        missing = set(range(run.blocks_total)) - set(run.blocks_done)
        if missing:
            raise RuntimeError(f"blocks {sorted(missing)} of run {run_id} were not scored")
        sides = {c.pk: c.side for c in Company.objects.filter(pk__in=_firm_ids(results)).only("id", "country")}
        counts = suggestions_write(run=run, pairs=pairs_from_items([i for block in results for i in block], sides))
        run_succeed(MatchRun, run_id=run_id, attempt=run.attempts, **{f"suggestions_{k}": v for k, v in counts.items()})
    cache.delete(_snapshot_key(run))
    run.refresh_from_db()
    return run


def _firm_ids(results: list[list[dict[str, Any]]]) -> set[int]:
    return {i[key] for block in results for i in block for key in ("firm_id", "partner_id")}


def match_run_attempt(*, run_id: int) -> int:
    return MatchRun.objects.values_list("attempts", flat=True).get(pk=run_id)


def match_run_fail(*, run_id: int, error: str, attempt: int | None = None) -> MatchRun | None:
    """Mark an active run failed with the error; a finished run stays as it is.

    `attempt`: the attempt the failing task belonged to. A late error callback of an earlier
    attempt must not fail a run that was retried meanwhile.
    """
    run_fail(MatchRun, run_id=run_id, error=error, attempt=attempt)
    return MatchRun.objects.filter(pk=run_id).first()


def match_run_execute(*, run_id: int) -> MatchRun:
    """The whole run in this process, one block after another (the command, tests, small scopes)."""
    try:
        blocks = match_run_begin(run_id=run_id)
        if blocks is None:
            return MatchRun.objects.get(pk=run_id)
        results = [match_run_score_block(run_id=run_id, index=i, firm_ids=ids) for i, ids in enumerate(blocks)]
        return match_run_save(run_id=run_id, results=results)
    except Exception as error:  # any crash ends as a failed run with its message
        match_run_fail(run_id=run_id, error=error_text(error))
        return MatchRun.objects.get(pk=run_id)


def error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


# --- One company, and the nightly recompute -------------------------------------------------------


def suggestions_refresh_company(*, company_id: int) -> dict[str, int]:
    """Recompute the pairs of one firm in every scope that has a finished run; returns the counts.

    The firm is scored with its current partners and candidates, so each pair including it gets the
    values a full run would give it. A firm that is no longer approved loses its undecided pairs.
    """
    company = Company.objects.filter(pk=company_id).first()
    totals = {"created": 0, "updated": 0, "kept": 0, "removed": 0}
    if company is None:
        return totals
    missions = list(Mission.objects.filter(participations__company=company).order_by("id"))
    for mission in [None, *missions]:
        run = selectors.match_run_latest_succeeded(mission=mission)
        if run is None:
            continue  # nothing computed for this scope yet: its first run will include the firm
        for name, value in _refresh_in_scope(company, run).items():
            totals[name] += value
    return totals


@transaction.atomic
def _refresh_in_scope(company: Company, run: MatchRun) -> dict[str, int]:
    from matchmaking.engine import MatchSettings, prepare, profile_from_dict, score_block

    records = selectors.match_profile_records(mission=run.mission)
    if company.pk not in {r["id"] for r in records}:
        return suggestions_write(run=run, pairs={}, touching=company.pk)
    settings = MatchSettings.from_dict(run.settings)
    prepared = prepare([profile_from_dict(r) for r in records], settings, embedder=_embedder(run))
    own = score_block(prepared, [company.pk])
    known = selectors.match_pair_partners(company=company, scope=run.mission_id or 0)
    partners = ({s.partner_id for s in own} | known) & set(prepared.position)
    found = own + score_block(prepared, sorted(partners))
    items = [i for i in block_items(prepared, found) if company.pk in (i["firm_id"], i["partner_id"])]
    sides = {r["id"]: r["side"] for r in records}
    return suggestions_write(run=run, pairs=pairs_from_items(items, sides), touching=company.pk)


def suggestions_refresh_company_on_commit(*, company_id: int) -> None:
    """Enqueue the refresh of one firm once the current transaction commits (profile approved or edited)."""
    from matchmaking.tasks import match_refresh_company_task

    transaction.on_commit(partial(match_refresh_company_task.delay, company_id))


# Past this many firms, an import's refresh starts one run per scope instead: each firm's refresh
# prepares its whole scope again, so twenty refreshes already cost about what one run does.
REFRESH_ONE_BY_ONE = 20


def suggestions_refresh_companies(*, company_ids: list[int]) -> dict[str, int]:
    """Refresh the suggestions of many changed firms (an import): a few one by one, more by queueing a
    run of each scope that has a finished run and holds one of them. Returns the refreshes made
    (`refreshed`) and the runs queued (`runs`)."""
    from events.phases import ALLOWED

    if len(company_ids) <= REFRESH_ONE_BY_ONE:
        for company_id in company_ids:
            suggestions_refresh_company(company_id=company_id)
        return {"refreshed": len(company_ids), "runs": 0}
    missions = Mission.objects.filter(
        match_runs__status=RunStatus.SUCCEEDED, phase__in=ALLOWED[MissionAction.RUN_MATCHING],
        participations__company_id__in=company_ids,
    ).distinct().order_by("id")  # fmt: skip
    scopes: list[Mission | None] = [None] if selectors.match_run_latest_succeeded(mission=None) else []
    runs = 0
    for mission in [*scopes, *missions]:
        try:
            match_run_start(user=None, mission=mission, source=RunSource.IMPORT)
            runs += 1
        except ValidationError:
            logger.info("import refresh: scope %s already has an active run", mission.pk if mission else "all")
    return {"refreshed": 0, "runs": runs}


def suggestions_refresh_companies_on_commit(*, company_ids: list[int]) -> None:
    """Enqueue one refresh of these firms once the current transaction commits (a company import)."""
    from matchmaking.tasks import match_refresh_companies_task

    if company_ids:
        transaction.on_commit(partial(match_refresh_companies_task.delay, sorted(company_ids)))


def match_nightly_start() -> list[MatchRun]:
    """Queue the nightly recompute: every approved company, and each mission matched before that is
    still in a phase where matching runs (events.phases)."""
    from events.phases import ALLOWED

    runs_fail_stale()
    scopes: list[Mission | None] = [None]
    scopes += list(
        Mission.objects.filter(match_runs__status=RunStatus.SUCCEEDED, phase__in=ALLOWED[MissionAction.RUN_MATCHING])
        .distinct()
        .order_by("id")
    )
    runs = []
    for mission in scopes:
        try:
            runs.append(match_run_start(user=None, mission=mission, source=RunSource.SCHEDULE))
        except ValidationError:
            logger.info("nightly match: scope %s already has an active run", mission.pk if mission else "all")
    return runs
