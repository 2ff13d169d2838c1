"""Configuration from the environment: production refuses insecure settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
GOOD_KEY = "k" * 60


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "CASEAUDIT_ENVIRONMENT"}
    }
    environment.update(env)
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], settings.SESSION_COOKIE_NAME, "
        "settings.PROTECTIVE_MARKING)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_is_the_default_and_refuses_to_start_without_a_secret_key() -> None:
    result = load_settings()
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_demo_key_and_debug() -> None:
    demo_key = load_settings(SECRET_KEY="insecure-demo-key-never-use-in-production")
    assert "SECRET_KEY must be set" in demo_key.stderr
    debug = load_settings(SECRET_KEY=GOOD_KEY, DEBUG="true")
    assert "DEBUG must be off in production" in debug.stderr


def test_production_uses_host_prefixed_cookies() -> None:
    result = load_settings(SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="audit.example.org")
    assert result.returncode == 0, result.stderr
    assert "__Host-sessionid" in result.stdout


def test_secret_key_can_come_from_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(GOOD_KEY + "\n")
    result = load_settings(SECRET_KEY_FILE=str(key_file))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be true or false"),
        ("EMAIL_PORT", "twenty-five", "EMAIL_PORT must be a whole number"),
        ("CASEAUDIT_ENVIRONMENT", "staging", "CASEAUDIT_ENVIRONMENT must be"),
    ],
)
def test_a_bad_value_stops_the_start_with_a_clear_message(name, value, message) -> None:
    env = {"CASEAUDIT_ENVIRONMENT": "demo", name: value}
    result = load_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_demo_defaults_to_sqlite_and_the_marking_is_configurable() -> None:
    result = load_settings(CASEAUDIT_ENVIRONMENT="demo", PROTECTIVE_MARKING="OFFICIAL")
    assert result.stdout.split() == ["django.db.backends.sqlite3", "sessionid", "OFFICIAL"]


def test_postgresql_is_chosen_by_database_url() -> None:
    result = load_settings(
        CASEAUDIT_ENVIRONMENT="demo", DATABASE_URL="postgres://u:p@127.0.0.1:5432/caseaudit"
    )
    assert result.stdout.split()[0] == "django.db.backends.postgresql"
