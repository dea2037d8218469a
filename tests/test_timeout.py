"""A test that hangs ends at its timeout, so CI can never hang."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

PYPROJECT = Path(__file__).parents[1] / "pyproject.toml"

# What a broken change once did: the event loop kept spawning tasks while the test waited for
# something that never came. pytest-timeout's "signal" method raised its timeout inside one
# of those tasks, which kept the error to itself, and the test spun on for minutes.
SPINNING = """
import asyncio


async def test_spins() -> None:
    loop = asyncio.get_running_loop()

    async def again() -> None:
        await asyncio.sleep(0)
        loop.create_task(again())

    loop.create_task(again())
    await loop.create_future()
"""


def test_a_test_that_spins_the_event_loop_ends_at_its_timeout(tmp_path: Path) -> None:
    (tmp_path / "test_spinning.py").write_text(SPINNING)
    started = time.monotonic()
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-c",
            str(PYPROJECT),
            "--rootdir",
            str(tmp_path),
            "-p",
            "no:cacheprovider",
            "-o",
            "timeout=2",
            str(tmp_path / "test_spinning.py"),
        ],
        capture_output=True,
        text=True,
        timeout=90,  # far past the test's own timeout: had it not ended, this fails
        check=False,
    )
    assert run.returncode != 0
    assert "Timeout" in run.stdout + run.stderr
    assert time.monotonic() - started < 60
