"""Every refusal and error the integration raises has an English and a German text."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

PACKAGE = Path(__file__).parents[1] / "custom_components" / "heliotherm_podero"


def _load(language: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (PACKAGE / "translations" / f"{language}.json").read_text(encoding="utf-8")
    )
    return data


def _keys(tree: dict[str, Any], prefix: str = "") -> set[str]:
    found: set[str] = set()
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else key
        found |= _keys(value, path) if isinstance(value, dict) else {path}
    return found


def _sources(pattern: str = "**/*.py") -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.glob(pattern))


def test_german_has_every_english_text() -> None:
    assert _keys(_load("de")) == _keys(_load("en"))


@pytest.mark.parametrize("language", ["en", "de"])
def test_every_refusal_reason_and_error_key_is_translated(language: str) -> None:
    reasons = set(re.findall(r'InvalidValue\(\s*"(\w+)"', _sources()))
    # Errors are raised by the upper floor; below it translation keys name entities.
    keys = set(re.findall(r'translation_key="(\w+)"', _sources("*.py")))
    exceptions = _load(language)["exceptions"]
    assert {"trigger_point", "point_name_mismatch", "not_a_setting_value"} <= reasons
    assert {"communication_error", "invalid_away_period", "read_only_mode"} <= keys
    missing = sorted(k for k in reasons | keys if k not in exceptions)
    assert missing == []


@pytest.mark.parametrize("language", ["en", "de"])
def test_every_repair_issue_is_translated(language: str) -> None:
    issues = _load(language)["issues"]
    for key in ("clock_ahead", "clock_behind", "frequent_writes", "away_mode_failed"):
        assert key in issues
        assert set(re.findall(r"\{(\w+)\}", json.dumps(issues[key]))) <= {
            "minutes",
            "name",
            "count",
            "limit",
            "title",
            "error",
        }


def _texts(tree: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = []
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else key
        texts += _texts(value, path) if isinstance(value, dict) else [(path, str(value))]
    return texts


def test_german_speaks_to_the_user_as_home_assistant_does() -> None:
    # Home Assistant's German says "du"; "Sie" is only allowed as "it/they" (mid-sentence
    # capitals are not told apart here, so a sentence starting with it names its subject).
    formal = re.compile(r"\b(Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres|Ihnen)\b|\b\w+en Sie\b")
    found = [(path, text) for path, text in _texts(_load("de")) if formal.search(text)]
    assert found == []


@pytest.mark.parametrize("language", ["en", "de"])
def test_every_form_field_says_what_to_enter(language: str) -> None:
    texts = _load(language)
    unexplained = [
        f"{flow}.{step_id}.{field}"
        for flow in ("config", "options")
        for step_id, step in texts[flow]["step"].items()
        for field in step.get("data", {})
        if not step.get("data_description", {}).get(field)
    ]
    assert unexplained == []
