"""A release from a version tag: the manifest's version from the tag, the notes from git.

    python scripts/release.py v0.2.0 --notes notes.md

sets ``version`` in the integration's manifest to 0.2.0 and writes the subjects of the
commits since the tag before (all of them for the first release) to ``notes.md``, one bullet
each. The Release workflow (.github/workflows/release.yml) runs it on every pushed ``v*`` tag,
then publishes the integration folder as the release's zip, which HACS installs.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "custom_components" / "heliotherm_podero" / "manifest.json"
TAG = re.compile(r"v(\d+\.\d+\.\d+(?:[-.]?(?:a|b|rc|dev)\d+)?)")


def version_of(tag: str) -> str:
    """The version a tag names ("v1.2.0" -> "1.2.0"); anything else is refused."""
    match = TAG.fullmatch(tag.strip())
    if match is None:
        raise SystemExit(f"not a version tag: {tag!r} (expected v<major>.<minor>.<patch>)")
    return match.group(1)


def stamp(manifest: Path, version: str) -> None:
    """Write ``version`` into the manifest, keeping its other keys and their order."""
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["version"] = version
    manifest.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True
    ).stdout.strip()


def notes(root: Path, tag: str) -> str:
    """The subjects of the commits since the tag before ``tag`` (all, for the first one)."""
    previous = subprocess.run(
        ["git", "describe", "--tags", "--abbrev=0", f"{tag}^"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    span = f"{previous}..{tag}" if previous else tag
    subjects = _git(root, "log", "--no-merges", "--pretty=format:%s", span).splitlines()
    since = f"Changes since {previous}" if previous else "The first release"
    return "\n".join([f"## {since}", "", *(f"- {subject}" for subject in subjects)]) + "\n"


def main() -> None:
    """Command line: stamp the manifest, write the notes, print the version."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("tag")
    parser.add_argument("--notes", type=Path, required=True, help="file to write the notes to")
    args = parser.parse_args()
    version = version_of(args.tag)
    stamp(MANIFEST, version)
    args.notes.write_text(notes(ROOT, args.tag), encoding="utf-8")
    print(version)


if __name__ == "__main__":
    main()
