"""Releases from version tags: the manifest's version from the tag, the notes from git."""

from __future__ import annotations

import json
import subprocess
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path

import pytest

_SPEC = spec_from_file_location("release", Path(__file__).parents[1] / "scripts" / "release.py")
assert _SPEC is not None and _SPEC.loader is not None
release = module_from_spec(_SPEC)
_SPEC.loader.exec_module(release)


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def _commit(repo: Path, subject: str) -> None:
    (repo / "file.txt").write_text(subject)
    _git(repo, "add", "file.txt")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", subject)


def test_the_notes_are_the_commits_since_the_tag_before(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    _commit(tmp_path, "First")
    _git(tmp_path, "tag", "v0.1.0")
    assert release.notes(tmp_path, "v0.1.0") == "## The first release\n\n- First\n"
    _commit(tmp_path, "Calendars in words")
    _commit(tmp_path, "One door for every change")
    _git(tmp_path, "tag", "v0.2.0")
    assert release.notes(tmp_path, "v0.2.0") == (
        "## Changes since v0.1.0\n\n- One door for every change\n- Calendars in words\n"
    )


def test_the_manifest_takes_the_tags_version(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"domain": "x", "name": "X", "version": "0.1.0"}))
    release.stamp(manifest, release.version_of("v1.4.2"))
    assert json.loads(manifest.read_text()) == {"domain": "x", "name": "X", "version": "1.4.2"}
    assert release.version_of("v2.0.0b1") == "2.0.0b1"
    for tag in ("1.4.2", "v1.4", "release-1", "v1.4.2 && rm -rf /"):
        with pytest.raises(SystemExit):
            release.version_of(tag)
