"""The settings are documented and the translation catalogues are complete."""

import re
from pathlib import Path

import pytest

from entraide.config.env import envbool, envint, envlist, envstr

ROOT = Path(__file__).resolve().parents[3]
LOCALE = ROOT / "entraide" / "locale"


def test_it_lists_every_environment_setting_in_env_example():
    settings_py = (ROOT / "entraide" / "config" / "settings.py").read_text()
    read = set(re.findall(r'env(?:str|bool|int|float|list)\("([A-Z0-9_]+)"', settings_py))
    documented = set(re.findall(r"^#?\s*([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read, "the settings read nothing from the environment?"
    assert sorted(read - documented) == []


def test_it_reads_typed_values_from_the_environment(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "42")
    monkeypatch.setenv("X_LIST", "a, b,,c")
    monkeypatch.setenv("X_EMPTY", "")
    assert envbool("X_BOOL", False) is True
    assert envbool("X_EMPTY", True) is True
    assert envint("X_INT", 0) == 42
    assert envlist("X_LIST", []) == ["a", "b", "c"]
    assert envstr("X_EMPTY", "default") == "default"


def _entries(po: Path) -> list[tuple[str, str, bool]]:
    """Return (msgid, msgstr, fuzzy) for every entry of a .po file (plural forms joined)."""
    entries = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines or all(line.startswith("#~") for line in lines):
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        msgid: list[str] = []
        msgstr: list[str] = []
        current: list[str] | None = None
        for line in lines:
            if line.startswith("msgid "):
                current = msgid
                line = line[6:]
            elif line.startswith("msgid_plural "):
                current = msgid
                line = line[13:]
            elif line.startswith("msgstr"):
                current = msgstr
                line = line.split(" ", 1)[1]
            elif line.startswith("#") or current is None:
                continue
            current.append(line.strip().strip('"'))
        entries.append(("".join(msgid), "".join(msgstr), fuzzy))
    return entries


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_it_has_a_complete_catalogue(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    assert po.exists(), f"missing {po}"
    entries = [e for e in _entries(po) if e[0]]  # skip the header entry
    assert len(entries) > 100
    missing = [
        msgid for msgid, msgstr, fuzzy in entries if fuzzy or (language != "en" and not msgstr)
    ]
    assert missing == [], f"{len(missing)} untranslated strings in {language}, e.g. {missing[:5]}"
    assert (po.with_suffix(".mo")).exists(), "catalogue not compiled"
