"""The French and Spanish catalogues cannot drift from the code.

A string marked for translation but missing from a catalogue, left empty or fuzzy, or a placeholder
that differs from its English original fails here. `make messages` brings the catalogues up to date;
then every new entry is translated by hand (UN terminology, see gcm/data/SOURCES.md).
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
LOCALES = [code for code, _name in settings.LANGUAGES if code != "en"]
# What `make messages` leaves out of extraction; the copy below leaves the same out.
NOT_SOURCE = (".git", ".venv", "node_modules", "tests", "staticfiles", "benchmarks", ".test-media", ".local-broker")


def _catalogue(root, code):
    return polib.pofile(str(root / "locale" / code / "LC_MESSAGES" / "django.po"))


def _keys(po):
    return {(entry.msgctxt, entry.msgid) for entry in po if not entry.obsolete}


def _need(tool):
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is not installed: `make system-deps` installs gettext, which the catalogues need")


@pytest.mark.parametrize("code", LOCALES)
def test_every_entry_is_translated_and_none_is_fuzzy(code):
    po = _catalogue(ROOT, code)
    problems = []
    for entry in po:
        label = f"{entry.msgid!r}" + (f" (context {entry.msgctxt!r})" if entry.msgctxt else "")
        if entry.obsolete:
            problems.append(f"obsolete: {label}")
        elif "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {label}")
        elif entry.msgid_plural:
            if not entry.msgstr_plural or any(not text.strip() for text in entry.msgstr_plural.values()):
                problems.append(f"plural form missing: {label}")
        elif not entry.msgstr.strip():
            problems.append(f"untranslated: {label}")
    assert not problems, f"locale/{code}: " + "; ".join(problems[:40])


@pytest.mark.parametrize("code", LOCALES)
def test_placeholders_and_plural_forms_pass_msgfmt_check(code, tmp_path):
    _need("msgfmt")
    po_path = ROOT / "locale" / code / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(po_path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_catalogues_hold_every_marked_string(tmp_path):
    """Extract the marked strings from a copy of the sources, as `make messages` does, and compare."""
    _need("xgettext")
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*NOT_SOURCE, "*.mo", "__pycache__"), symlinks=True)
    command = [sys.executable, "manage.py", "makemessages", "--no-location", "--no-obsolete"]
    for code in LOCALES:
        command += ["-l", code]
    result = subprocess.run(command, cwd=copy, capture_output=True, text=True, env={
        "PATH": "/usr/bin:/bin", "PYTHONPATH": str(copy), "DJANGO_SETTINGS_MODULE": "iscm_portal.settings.test",
        "SECRET_KEY": "catalogue-check",
    })
    assert result.returncode == 0, result.stderr
    for code in LOCALES:
        marked = _keys(_catalogue(copy, code))
        kept = _keys(_catalogue(ROOT, code))
        missing = sorted(msgid for _ctx, msgid in marked - kept)
        unused = sorted(msgid for _ctx, msgid in kept - marked)
        assert not missing, f"locale/{code} lacks {len(missing)} marked strings (run `make messages`): {missing[:20]}"
        assert not unused, f"locale/{code} keeps {len(unused)} unused strings (run `make messages`): {unused[:20]}"
