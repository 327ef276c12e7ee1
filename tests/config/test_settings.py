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
