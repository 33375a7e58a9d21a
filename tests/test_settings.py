"""The settings module starts safely from the environment alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env: str) -> subprocess.CompletedProcess:
    """Import the settings in a clean interpreter with exactly these variables."""
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.DATABASES['default']['ENGINE']); print(settings.DEBUG); "
        "print(settings.CELERY_TASK_ALWAYS_EAGER); print(settings.CELERY_BROKER_URL)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "tanneeds.settings",
            "ENV_FILE": str(ROOT / "no-such.env"),
            **env,
        },
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = load_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_asked():
    result = load_settings(SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] == "False"


def test_embedded_defaults_are_sqlite_and_eager_celery():
    engine, debug, eager, broker = load_settings(DEBUG="1").stdout.splitlines()
    assert engine == "django.db.backends.sqlite3"
    assert debug == "True"
    assert eager == "True"
    assert broker == "memory://"


def test_database_url_and_redis_url_switch_to_postgresql_and_a_broker():
    result = load_settings(
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/test",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    engine, _, eager, broker = result.stdout.splitlines()
    assert engine == "django.db.backends.postgresql"
    assert eager == "False"
    assert broker == "redis://127.0.0.1:6379/0"


def environment_variables() -> set[str]:
    """Every variable the settings module reads: the first argument of each env.<type>(...)."""
    import ast

    tree = ast.parse((ROOT / "tanneeds" / "settings.py").read_text(encoding="utf-8"))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "env"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }


def test_every_variable_the_settings_read_is_in_the_readme_table():
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_cells = [line.split("|")[1] for line in readme.splitlines() if line.startswith("| `")]
    documented = {name for cell in first_cells for name in re.findall(r"`([A-Z_]+)`", cell)}
    assert len(environment_variables()) > 15
    assert environment_variables() - documented == set()
    assert "REPORT_TEST_RENDER_DELAY" not in environment_variables()
