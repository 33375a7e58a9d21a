"""Every string a user reads is translatable, and every language's catalogue is complete.

(a) templates: text and the attributes a screen reader or a browser shows (aria-label, alt,
placeholder, title, a submit button's value) are inside {% translate %}/{% blocktranslate %};
(b) Python: messages, validation errors, field and admin labels and choice labels are marked;
(c) each language's .po has no untranslated or fuzzy entry and its .mo is compiled from it;
(d) the .po files hold every message of the code (makemessages into a temporary directory).
The reports' templates are templates/reports (checked by the reports' own tests).
"""

from __future__ import annotations

import ast
import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
APPS = ["accounts", "assessments", "audit", "catalogue", "scoring", "reports", "tanneeds"]
# Directory names of the catalogues (Django's locale names: zh_Hans for zh-hans).
CATALOGUES = ["ar", "zh_Hans", "fr", "ru", "es"]
# Names and codes that stay as they are in every language.
ALLOWED_TEXT = re.compile(r"\b(?:TA Needs|UNODC|CSV|XLSX|PDF)\b")

TEMPLATE_SKIPPED = [
    re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S),
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"\{%\s*blocktrans(?:late)?\b.*?\{%\s*endblocktrans(?:late)?\s*%\}", re.S),
    re.compile(r"<(script|style)\b.*?</\1>", re.S),
    re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S),
]
SHOWN_ATTRIBUTES = re.compile(r"""\b(aria-label|alt|placeholder|title)\s*=\s*(["'])(.*?)\2""", re.S)
SUBMIT_VALUE = re.compile(r"""<input\b[^>]*\btype=["']submit["'][^>]*\bvalue=(["'])(.*?)\1""", re.S)
CUT = "\x00"
LETTERS = re.compile(r"[^\W\d_]{2,}")


def template_files() -> list[Path]:
    return sorted(
        path for path in TEMPLATES.rglob("*")
        if path.suffix in {".html", ".txt"} and "reports" not in path.relative_to(TEMPLATES).parts
    )


def untranslated_in_template(text: str) -> list[str]:
    """The literal text of ``text`` left outside translation tags."""
    for pattern in TEMPLATE_SKIPPED:
        text = pattern.sub(CUT, text)  # the text on each side of a tag is a piece apart
    found = [value for _, _, value in SHOWN_ATTRIBUTES.findall(text)]
    found += [value for _, value in SUBMIT_VALUE.findall(text)]
    text = re.sub(r"<!--.*?-->", CUT, text, flags=re.S)
    found.append(re.sub(r"<[^>]*>", CUT, text))
    pieces = [piece for chunk in found for piece in chunk.split(CUT)]
    shown = [" ".join(html.unescape(piece).split()) for piece in pieces]
    return [chunk for chunk in shown if LETTERS.search(ALLOWED_TEXT.sub("", chunk))]


@pytest.mark.parametrize("path", template_files(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_text_is_marked_for_translation(path):
    assert untranslated_in_template(path.read_text(encoding="utf-8")) == []


def test_the_template_check_finds_text_and_attributes():
    text = (
        '{% load i18n %}<p title="Hint">Hello {{ name }}</p>{% translate "Fine" %}'
        '<img alt="{% translate "Fine" %}">{% blocktranslate %}Fine {{ x }}{% endblocktranslate %}'
        '<input type="submit" value="Go">'
    )
    assert untranslated_in_template(text) == ["Hint", "Go", "Hello"]
    assert untranslated_in_template("{% block title %}TA Needs{% endblock %} · UNODC") == []


# --- Python ------------------------------------------------------------------------------------

LABEL_KEYWORDS = {
    "verbose_name", "verbose_name_plural", "help_text", "label", "empty_label",
    "short_description", "description",
}
MESSAGE_FUNCTIONS = {"debug", "info", "success", "warning", "error", "add_message"}


def bare(node: ast.AST | None) -> bool:
    """A literal string a user would read, not wrapped in a gettext call."""
    if isinstance(node, ast.JoinedStr):
        return True
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(
        LETTERS.search(node.value)
    )


def is_choices(node: ast.ClassDef) -> bool:
    names = {b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", "") for b in node.bases}
    return bool(names & {"TextChoices", "IntegerChoices", "Choices"})


def unmarked_in_python(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            owner = getattr(func.value, "id", "") if isinstance(func, ast.Attribute) else ""
            if (owner == "messages" and name in MESSAGE_FUNCTIONS) or name == "ValidationError":
                found += [(arg.lineno, name) for arg in node.args if bare(arg)]
            found += [
                (kw.value.lineno, kw.arg) for kw in node.keywords
                if kw.arg in LABEL_KEYWORDS and bare(kw.value)
            ]
        elif isinstance(node, ast.Assign) and bare(node.value):
            targets = {getattr(t, "id", "") for t in node.targets}
            found += [(node.lineno, t) for t in targets & {"verbose_name", "verbose_name_plural"}]
        elif isinstance(node, ast.ClassDef) and is_choices(node):
            for item in node.body:
                value = getattr(item, "value", None)
                if (
                    isinstance(item, ast.Assign) and isinstance(value, ast.Tuple)
                    and len(value.elts) > 1 and bare(value.elts[-1])
                ):
                    found.append((item.lineno, f"{node.name} label"))
    return found


def python_files() -> list[Path]:
    return [
        path for app in APPS for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def test_python_strings_users_read_are_marked_for_translation():
    unmarked = [
        f"{path.relative_to(ROOT)}:{line} {what}"
        for path in python_files()
        for line, what in unmarked_in_python(path.read_text(encoding="utf-8"))
    ]
    assert unmarked == []


def test_the_python_check_finds_bare_strings():
    source = (
        "class K(models.TextChoices):\n    A = 'a', 'Ay'\n    B = 'b', _('Bee')\n"
        "messages.success(request, 'Saved')\nmessages.info(request, _('Fine'))\n"
        "f = forms.CharField(label='Name', help_text=_('Fine'))\n"
        "raise ValidationError(f'Bad {x}')\n"
    )
    assert sorted(unmarked_in_python(source)) == [
        (2, "K label"), (4, "success"), (6, "label"), (7, "ValidationError"),
    ]


# --- catalogues --------------------------------------------------------------------------------


def po_entries(text: str) -> list[dict[str, str | bool]]:
    """The live entries of a .po file (the header and obsolete ones left out)."""
    entries = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        entry: dict[str, str | bool] = {"fuzzy": any(
            line.startswith("#,") and "fuzzy" in line for line in lines
        )}
        key = None
        for line in lines:
            match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$", line)
            if match:
                key = match.group(1)
                entry[key] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and key:
                entry[key] += ast.literal_eval(line)
        if "msgid" in entry and entry["msgid"]:
            entries.append(entry)
    return entries


def catalogue(code: str) -> Path:
    return ROOT / "locale" / code / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("code", CATALOGUES)
def test_each_catalogue_is_complete_and_compiled(code, tmp_path):
    po = catalogue(code)
    assert po.is_file(), f"no catalogue for {code}: run makemessages -l {code}"
    entries = po_entries(po.read_text(encoding="utf-8"))
    untranslated = [
        e["msgid"] for e in entries
        if e["fuzzy"] or not all(v for k, v in e.items() if k.startswith("msgstr"))
    ]
    assert untranslated == [], f"{len(untranslated)} untranslated or fuzzy in {code}"
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", compiled, po], check=True)
    mo = po.with_suffix(".mo")
    assert mo.is_file() and mo.read_bytes() == compiled.read_bytes(), (
        f"{mo.relative_to(ROOT)} is not compiled from its .po: run compilemessages"
    )


@pytest.fixture(scope="module")
def messages_of_the_code(tmp_path_factory) -> set[tuple[str, str]]:
    """(context, msgid) of every message makemessages finds, written to a temporary copy."""
    copy = tmp_path_factory.mktemp("messages")
    for app in [*APPS, "templates"]:
        shutil.copytree(ROOT / app, copy / app, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "locale").mkdir()
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        cwd = os.getcwd()
        os.chdir(copy)
        try:
            call_command(
                "makemessages", locale=["en"], keep_pot=True, no_location=True, verbosity=0
            )
        finally:
            os.chdir(cwd)
    pot = (copy / "locale" / "django.pot").read_text(encoding="utf-8")
    return {(e.get("msgctxt", ""), e["msgid"]) for e in po_entries(pot)}


@pytest.mark.parametrize("code", CATALOGUES)
def test_each_catalogue_holds_every_message_of_the_code(code, messages_of_the_code):
    po = catalogue(code)
    assert po.is_file(), f"no catalogue for {code}"
    held = {(e.get("msgctxt", ""), e["msgid"]) for e in po_entries(po.read_text(encoding="utf-8"))}
    missing = sorted(messages_of_the_code - held)
    assert missing == [], f"{len(missing)} messages missing from {code}: run makemessages"
