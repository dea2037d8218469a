"""The installers' command-line cable test against the emulator: in-process and as a process."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import sys
from pathlib import Path

import pytest

from custom_components.heliotherm_podero.sources.heliotherm.__main__ import main
from tests.emulators.heliotherm_pump import PumpEmulator

ROOT = Path(__file__).parents[3]
MODULE = "custom_components.heliotherm_podero.sources.heliotherm"


async def run_cli(*args: str) -> tuple[int, dict[str, object], str]:
    """Run the CLI's main() in a thread (it runs its own event loop there)."""

    def call() -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
        return code, out.getvalue(), err.getvalue()

    code, out, err = await asyncio.to_thread(call)
    return code, json.loads(out or "{}"), err


async def run_cli_process(*args: str) -> tuple[int, dict[str, object], str]:
    """Run the CLI as its own process, the way installers do."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        MODULE,
        *args,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, json.loads(out or b"{}"), err.decode()


@pytest.mark.parametrize(
    ("args", "check"),
    [
        (["info"], lambda r: r["serial_number"] == 123456 and r["software"] == "3.0.14"),
        (
            ["query", "sp_69", "Temp. Aussen"],
            lambda r: r["sp_69"]["value"] == 23.0 and r["mp_0"]["value"] == 4.8,
        ),
        (["query"], lambda r: len(r) == 61),
        (["fastquery"], lambda r: r["mp_0"] == 4.8 and len(r) == 26),
        (["faults"], lambda r: r["count"] == 30 and len(r["entries"]) == 30),
        (["clock"], lambda r: "T" in r["clock"]),
        (["timeprog"], lambda r: len(r["programs"]) == 5),
        (
            ["timeprog", "1"],
            lambda r: r["program"]["name"] == "Zirkulationspumpe"
            and r["days"][0][0] == {"state": 1, "begin": "06:30", "end": "08:00"},
        ),
    ],
)
async def test_cli_reads_and_never_writes(
    emulator: tuple[PumpEmulator, str], args: list[str], check: object
) -> None:
    pump, url = emulator
    code, result, _ = await run_cli("--url", url, *args)
    assert code == 0
    assert callable(check) and check(result)
    assert pump.write_requests() == []


async def test_cli_reports_a_dead_port() -> None:
    code, _, err = await run_cli("--url", "socket://127.0.0.1:9", "info")
    assert code == 1
    assert "CannotConnect" in err


async def test_cli_runs_as_its_own_process(emulator: tuple[PumpEmulator, str]) -> None:
    pump, url = emulator
    code, result, _ = await run_cli_process("--url", url, "info")
    assert code == 0
    assert result["serial_number"] == 123456
    code, _, err = await run_cli_process("--url", "socket://127.0.0.1:9", "info")
    assert (code, "CannotConnect" in err) == (1, True)
    assert pump.write_requests() == []


def test_cli_refuses_unknown_names() -> None:
    with pytest.raises(SystemExit):
        main(["--url", "socket://127.0.0.1:9", "query", "no such point"])
