"""The layout keeps its promises: dependencies point one way, across apps only public names,
and the questionnaire runs without the apps built on it."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Each app may use the apps before it, never those after it; tanneeds (settings, URLs) is on top.
LAYERS = ["catalogue", "assessments", "scoring", "reports", "tools", "tanneeds"]
TEMPLATE_URL = re.compile(r"""\{%\s*url\s+["'](\w+):""")
TEMPLATE_INCLUDE = re.compile(r"""\{%\s*(?:include|extends)\s+["'](?:admin/)?(\w+)/""")


def layer(name: str) -> int | None:
    top = name.split(".")[0]
    return LAYERS.index(top) if top in LAYERS else None


def python_modules():
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield app, path


def imports(path: Path):
    """(line, imported module, names) of every import of a module, lazy ones included."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module, [alias.name for alias in node.names]


def where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT)}:{line}"


def test_no_app_imports_an_app_built_on_it():
    reverse = [
        f"{where(path, line)} {app} imports {module}"
        for app, path in python_modules()
        for line, module, _ in imports(path)
        if layer(module) is not None and layer(module) > LAYERS.index(app)
    ]
    assert reverse == []


def test_apps_use_each_others_public_names_only():
    """Across apps: no name with a leading underscore, and no module inside another app's
    sub-package (``catalogue.matching.tfidf_index``): the package itself is the public face."""
    private = []
    for app, path in python_modules():
        for line, module, names in imports(path):
            if layer(module) is None or module.split(".")[0] == app:
                continue
            if module.count(".") > 1:
                private.append(f"{where(path, line)} imports the module {module}")
            private += [
                f"{where(path, line)} imports {module}.{name}"
                for name in names
                if name.startswith("_")
            ]
    assert private == []


def test_no_template_reaches_into_an_app_built_on_it():
    """A page of an app links and includes only its own app and the apps below it; the apps
    above add to it through slots (assessments/slots.py)."""
    reverse = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        parts = path.relative_to(ROOT / "templates").parts
        owner = parts[1] if parts[0] == "admin" and len(parts) > 2 else parts[0]
        if owner not in LAYERS:
            continue  # the shared layout and error pages: on top of every app
        text = path.read_text(encoding="utf-8")
        for pattern in (TEMPLATE_URL, TEMPLATE_INCLUDE):
            for match in pattern.finditer(text):
                used = match.group(1)
                if used in LAYERS and LAYERS.index(used) > LAYERS.index(owner):
                    line = text.count("\n", 0, match.start()) + 1
                    reverse.append(f"{where(path, line)} {owner} uses {used}")
    assert reverse == []


def test_the_questionnaire_works_without_reports(tmp_path):
    """The questionnaire's own tests and tests/without_reports pass with ``reports`` out of
    INSTALLED_APPS (a separate process: the app registry is fixed once Django is set up)."""
    result = subprocess.run(
        [
            sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
            "--ds=tests.settings_without_reports",
            "tests/without_reports", "tests/test_questionnaire.py", "tests/test_answering.py",
        ],
        cwd=ROOT,
        env={**os.environ, "SECRET_KEY": os.environ.get("SECRET_KEY") or "test-only-secret-key"},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
