"""Write the long tail's entity names (scripts/long_tail_names.csv) into translations/*.json.

Each catalog point that is not curated is named by its key (``sp_123``) under every platform
it can take: read-only, and writable in expert mode. Run ``scripts/translations`` after editing
the CSV; tests/test_naming.py fails while the JSON files and the CSV disagree.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path
from typing import Any

from custom_components.heliotherm_podero.descriptions import platform_for
from custom_components.heliotherm_podero.sources.heliotherm.catalog import default_catalog
from custom_components.heliotherm_podero.sources.heliotherm.points import CURATED, describe

ROOT = Path(__file__).parents[1]
NAMES_FILE = ROOT / "scripts" / "long_tail_names.csv"
TRANSLATIONS = ROOT / "custom_components" / "heliotherm_podero" / "translations"
LANGUAGES = ("en", "de")
_LONG_TAIL_KEY = re.compile(r"[ms]p_[0-9]+")


def long_tail_names() -> dict[str, dict[str, str]]:
    """Key -> {language: name}, as the CSV has them."""
    with NAMES_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            row["key"]: {lang: row[lang] for lang in LANGUAGES} for row in csv.DictReader(handle)
        }


def platforms_of(key: str) -> set[str]:
    """Every platform a catalog point can be shown on (plain and expert mode)."""
    entry = default_catalog().by_key(key)
    assert entry is not None, key
    points = (describe(entry, expert=expert) for expert in (False, True))
    return {str(platform_for(point)) for point in points if point is not None}


def merged(language: str, current: dict[str, Any]) -> dict[str, Any]:
    """``current`` with its long-tail names replaced by the CSV's."""
    names = long_tail_names()
    result: dict[str, Any] = json.loads(json.dumps(current))
    entities: dict[str, dict[str, Any]] = result["entity"]
    for section in entities.values():
        for key in [k for k in section if _LONG_TAIL_KEY.fullmatch(k)]:
            del section[key]
    for entry in default_catalog():
        platforms = platforms_of(entry.key)
        curated = CURATED.get(entry.key)
        if curated is not None:
            # A curated setting read-only by default is a number in expert mode: same name
            key = curated.translation_key
            name = next(entities[p][key]["name"] for p in sorted(platforms) if key in entities[p])
        elif platforms:
            if entry.key not in names:
                raise SystemExit(f"{NAMES_FILE.name} has no name for {entry.key}")
            key, name = entry.key, names[entry.key][language]
        for platform in sorted(platforms):
            entities.setdefault(platform, {}).setdefault(key, {})["name"] = name
    return result


def main() -> None:
    for language in LANGUAGES:
        path = TRANSLATIONS / f"{language}.json"
        current = json.loads(path.read_text(encoding="utf-8"))
        text = json.dumps(merged(language, current), ensure_ascii=False, indent=2) + "\n"
        path.write_text(text, encoding="utf-8")
        sys.stdout.write(f"{path.relative_to(ROOT)}\n")


if __name__ == "__main__":
    main()
