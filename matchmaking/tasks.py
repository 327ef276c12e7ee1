"""Thin tasks: take ids, call one service. Each is safe to run twice (see docs/match-runs.md).

A run: `run_execute` marks it running and fans its blocks out as a chord of `run_block` tasks;
the chord callback `run_save` writes everything in one transaction. Any crash marks the run failed.
"""

import logging

from celery import chord, shared_task
from django.conf import settings
from django.db import OperationalError
from django.utils.translation import gettext_noop

from matchmaking import services
from matchmaking.services.runs import error_text

logger = logging.getLogger(__name__)
# Stored in English (the worker has no viewer); the run page translates it when it shows the error.
BLOCK_FAILED = gettext_noop("A block of this run failed.")


# acks_late + reject_on_worker_lost: a task whose worker dies goes back to the queue. A block
# or the save then simply runs again (both are idempotent); a run whose begin was lost stays
# running without a sign of life and is failed by the sweep (events.runs_sweep). The run's row is
# its result (ignore_result), so enqueueing it from a page never waits on the result store.
@shared_task(name="matchmaking.run_execute", acks_late=True, reject_on_worker_lost=True, ignore_result=True,
             soft_time_limit=300, time_limit=360)  # fmt: skip
def match_run_execute_task(run_id: int) -> None:
    try:
        blocks = services.match_run_begin(run_id=run_id)
        if blocks is None:
            return
        if not blocks:  # no firm in the scope: nothing to fan out
            services.match_run_save(run_id=run_id, results=[])
            return
        # Every task of this attempt carries its number, so that a late one never touches a retry.
        attempt = services.match_run_attempt(run_id=run_id)
        header = [match_run_block_task.s(run_id, index, firm_ids, attempt) for index, firm_ids in enumerate(blocks)]
        errback = match_run_fail_task.si(run_id, BLOCK_FAILED, attempt)
        chord(header)(match_run_save_task.s(run_id, attempt).on_error(errback))
    except Exception as error:  # the run ends failed with the reason; no retry, a person decides
        logger.exception("match run %s", run_id)
        services.match_run_fail(run_id=run_id, error=error_text(error))


@shared_task(name="matchmaking.run_block", acks_late=True, reject_on_worker_lost=True, soft_time_limit=1800,
             time_limit=1900)  # fmt: skip
def match_run_block_task(run_id: int, index: int, firm_ids: list[int], attempt: int | None = None) -> list[dict]:
    try:
        return services.match_run_score_block(run_id=run_id, index=index, firm_ids=firm_ids, attempt=attempt)
    except Exception as error:
        services.match_run_fail(run_id=run_id, error=error_text(error), attempt=attempt)
        raise  # fails the chord, so its callback does not run


@shared_task(name="matchmaking.run_save", acks_late=True, reject_on_worker_lost=True, soft_time_limit=600,
             time_limit=660)  # fmt: skip
def match_run_save_task(results: list[list[dict]], run_id: int, attempt: int | None = None) -> None:
    try:
        services.match_run_save(run_id=run_id, results=results, attempt=attempt)
    except Exception as error:
        logger.exception("match run %s: saving failed", run_id)
        services.match_run_fail(run_id=run_id, error=error_text(error), attempt=attempt)


@shared_task(name="matchmaking.run_fail", acks_late=True, time_limit=60)
def match_run_fail_task(run_id: int, error: str, attempt: int | None = None) -> None:
    services.match_run_fail(run_id=run_id, error=error, attempt=attempt)


@shared_task(name="matchmaking.refresh_company", acks_late=True, soft_time_limit=300, time_limit=360,
             autoretry_for=(OperationalError,), max_retries=3, retry_backoff=True)  # fmt: skip
def match_refresh_company_task(company_id: int) -> dict[str, int]:
    return services.suggestions_refresh_company(company_id=company_id)


@shared_task(name="matchmaking.refresh_companies", acks_late=True, soft_time_limit=600, time_limit=660,
             autoretry_for=(OperationalError,), max_retries=3, retry_backoff=True)  # fmt: skip
def match_refresh_companies_task(company_ids: list[int]) -> dict[str, int]:
    return services.suggestions_refresh_companies(company_ids=company_ids)


@shared_task(name="matchmaking.nightly", acks_late=True, soft_time_limit=1700, time_limit=1800)
def match_nightly_task() -> list[int]:
    """Retrain first when MATCH_RETRAIN_NIGHTLY is on (the runs then score with the new model)."""
    if settings.MATCH_RETRAIN_NIGHTLY:
        services.ranker_train_nightly()
    return [run.pk for run in services.match_nightly_start()]
