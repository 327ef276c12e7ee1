"""Writes on matching, split by subject; import from here."""

from matchmaking.services.review import (
    partner_respond,
    suggestion_accepted_both,
    suggestion_decision_record,
    suggestion_respond,
    suggestion_review,
    suggestions_bulk_review,
)
from matchmaking.services.runs import (
    match_embeddings_choose,
    match_nightly_start,
    match_run_attempt,
    match_run_begin,
    match_run_execute,
    match_run_fail,
    match_run_retry,
    match_run_save,
    match_run_score_block,
    match_run_start,
    match_settings_clean,
    suggestions_refresh_companies,
    suggestions_refresh_companies_on_commit,
    suggestions_refresh_company,
    suggestions_refresh_company_on_commit,
)
from matchmaking.services.training import ranker_train, ranker_train_nightly
from matchmaking.services.upsert import pairs_from_items, suggestions_write

__all__ = [
    "match_nightly_start", "match_run_attempt", "match_run_begin", "match_run_execute", "match_run_fail",
    "match_run_retry",
    "match_run_save", "match_run_score_block", "match_run_start",
    "match_embeddings_choose", "match_settings_clean", "pairs_from_items", "ranker_train", "ranker_train_nightly",
    "partner_respond", "suggestion_accepted_both", "suggestion_decision_record",
    "suggestion_respond", "suggestion_review", "suggestions_bulk_review", "suggestions_refresh_company",
    "suggestions_refresh_companies", "suggestions_refresh_companies_on_commit",
    "suggestions_refresh_company_on_commit", "suggestions_write",
]  # fmt: skip
