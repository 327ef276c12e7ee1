"""Retrain the ranking model: gather the data, fit, compare with the current model, keep the better.

A new model replaces the current one only when its cross-validated weighted MRR on the same queries
is at least the current weights' (which saw some of them: the comparison favours the current model).
"""

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction

from matchmaking import feedback, selectors
from matchmaking.models import RankingModel

if TYPE_CHECKING:
    from matchmaking.engine import EmbeddingBackend

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrainingOutcome:
    model: dict[str, Any]
    """The new model as a model file holds it (version, weights, weights_embedding, evaluation...)."""
    replaced: bool
    """False when the new weights ranked worse than the current ones: nothing was saved."""
    current_version: str


def ranker_train(
    *,
    partners: Path | None,
    use_feedback: bool = True,
    embedder: "EmbeddingBackend | None" = None,
    save: bool = True,
    write_file: Path | None = None,
) -> TrainingOutcome:
    """Fit both weight sets (without and, given an embedder, with embeddings) on every source; save
    the model as the active RankingModel (and to `write_file`) only when it is not worse."""
    from matchmaking.engine.learning import build_queries, fit_and_compare, learnable_parts, not_worse, report_of
    from matchmaking.training import default_sets

    current = selectors.ranking_model_current()
    sets = default_sets(partners=partners) + (feedback.feedback_training_sets() if use_feedback else [])
    fits, reports = {}, {}
    for key, parts, with_embedder in (("weights", learnable_parts(embeddings=False), None),
                                      ("weights_embedding", learnable_parts(embeddings=True), embedder)):  # fmt: skip
        if key == "weights_embedding" and embedder is None:
            continue
        queries = build_queries(sets, parts, embedder=with_embedder)
        fits[key] = fit_and_compare(queries, parts, current[key])
        reports[key] = report_of(fits[key], sets)
    replaced = not_worse(fits)
    model = _model_file(current, fits, reports, sets)
    if replaced and save:
        _activate(model)
    if replaced and write_file is not None:
        write_file.write_text(json.dumps(model, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    logger.info("ranking model %s: %s", model["version"], "better or equal" if replaced else "worse")
    return TrainingOutcome(model, replaced, current["version"])


def _model_file(current: dict[str, Any], fits: dict, reports: dict, sets: list) -> dict[str, Any]:
    from matchmaking.engine import ENGINE_VERSION

    weights = {key: fit.weights for key, fit in fits.items()}
    return {
        "version": datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f"),
        "engine_version": ENGINE_VERSION,
        "command": "python manage.py match_train",
        "weights": weights.get("weights", current["weights"]),
        "weights_embedding": weights.get("weights_embedding", current["weights_embedding"]),
        "trained_on": [
            {"set": s.name, "pairs": len(s.pairs), "firms": len(s.profiles), "weight": s.weight} for s in sets
        ],
        "evaluation": reports,
    }


@transaction.atomic
def _activate(model: dict[str, Any]) -> RankingModel:
    RankingModel.objects.filter(active=True).update(active=False)
    return RankingModel.objects.create(
        version=model["version"],
        weights=model["weights"],
        weights_embedding=model["weights_embedding"],
        trained_on=model["trained_on"],
        evaluation=model["evaluation"],
        active=True,
    )


def ranker_train_nightly() -> TrainingOutcome:
    """The nightly retrain: feedback, our own data and the corpus that MATCH_TRAINING_CORPUS names."""
    from django.conf import settings

    corpus = Path(settings.MATCH_TRAINING_CORPUS) if settings.MATCH_TRAINING_CORPUS else None
    return ranker_train(partners=corpus if corpus and corpus.exists() else None, use_feedback=True)
