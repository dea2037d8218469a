"""The installers' command-line cable test, run as a real process against the emulator."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import pytest

from custom_components.heliotherm_podero.sources.heliotherm.__main__ import main
from tests.emulators.heliotherm_pump import PumpEmulator

ROOT = Path(__file__).parents[3]
MODULE = "custom_components.heliotherm_podero.sources.heliotherm"


async def run_cli(*args: str) -> tuple[int, dict[str, object], str]:
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


def test_cli_refuses_unknown_names() -> None:
    with pytest.raises(SystemExit):
        main(["--url", "socket://127.0.0.1:9", "query", "no such point"])
