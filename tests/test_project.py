"""Properties of the project as a whole: migrations, deploy checks, translations, lint."""

import gettext
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_production_settings_pass_check_deploy():
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DATABASE_URL", "REDIS_URL", "CELERY_", "DJANGO_ALLOW_ASYNC_UNSAFE"))
        },
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_ENV": "production",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "production-secret-key-for-the-deploy-check-0123456789",
        "PII_HASH_KEY": "y" * 20 + "production-hash-key-for-the-deploy-check",
        "ID_NUMBER_KEY": "Kb4bUtF4Ar0mjGQ5oHnvPhpo1qWvWGhYs9NoYqlrEwU=",
        "ALLOWED_HOSTS": "jiefen.example.gov.cn",
        "DATABASE_URL": "postgres://jiefen:secret@db:5432/jiefen",
        "REDIS_URL": "redis://redis:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_the_development_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_ENV": "production"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def _unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def _po_entries():
    text = PO.read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n"):
        if "msgid" not in block or block.startswith('msgid ""\nmsgstr ""\n"Project'):
            continue
        fuzzy = "#, fuzzy" in block
        msgid = "".join(re.findall(r'"(.*)"', block.split("msgid ", 1)[1].split("msgstr", 1)[0]))
        msgstr = "".join(re.findall(r'"(.*)"', block.split("msgstr ", 1)[1])) if "msgstr " in block else ""
        if "msgid_plural" in block or not msgid:
            continue
        entries.append((_unescape(msgid), _unescape(msgstr), fuzzy))
    return entries


def test_every_string_has_a_chinese_translation():
    entries = _po_entries()
    assert len(entries) > 50
    untranslated = [m for m, s, fuzzy in entries if not s or fuzzy]
    assert untranslated == []


def test_compiled_catalogue_matches_the_po_file():
    catalogue = gettext.GNUTranslations(MO.open("rb"))
    stale = [msgid for msgid, msgstr, _ in _po_entries() if catalogue.gettext(msgid) != msgstr]
    assert stale == [], "run `make messages` to recompile locale/*.mo"


def test_ruff_is_clean():
    ruff = Path(sys.executable).parent / "ruff"
    if not ruff.exists():
        pytest.skip("ruff is not installed in this environment")
    result = subprocess.run([str(ruff), "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_apps_import_only_lower_floors_and_no_circles():
    """The import-linter contracts in pyproject.toml (docs/architecture.md, "Layers"): floors, the two
    case types independent, supervision and jobs free of case types, no circle inside an app."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    assert lint_imports.exists(), "lint-imports is missing: `make test` installs it from requirements-dev.txt"
    result = subprocess.run([str(lint_imports)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout
