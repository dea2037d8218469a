"""Cable test for installers: read a Heliotherm pump and print JSON. Never writes.

python -m custom_components.heliotherm_podero.sources.heliotherm --url URL [--baud N] \
    info | query [NAMES...] | fastquery | faults | clock | timeprog [N]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import sys
from datetime import datetime
from typing import Any

from ..model import SourceError
from .catalog import CatalogPoint, PointType
from .client import HeliothermClient
from .timeprog import format_time
from .transport import SUPPORTED_BAUD_RATES


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _jsonable(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _select(client: HeliothermClient, names: list[str]) -> list[CatalogPoint]:
    if not names:
        return [p for p in client.catalog if p.default_set]
    chosen = []
    for name in names:
        point = client.catalog.find(name)
        if point is None:
            raise SystemExit(f"unknown data point: {name} (use a name or a key like sp_69)")
        chosen.append(point)
    return chosen


async def _run(args: argparse.Namespace) -> Any:
    client = HeliothermClient(args.url, baudrate=args.baud, read_only=True)
    chosen = _select(client, getattr(args, "names", []))  # refuse unknown names before connecting
    try:
        await client.login()
        if args.command == "info":
            version, build = await client.software_version()
            return {
                "serial_number": await client.serial_number(),
                "software": version,
                "build": build,
                "property": await client.read_value(PointType.SP, 3),
            }
        if args.command == "query":
            return {
                p.key: {
                    "name": p.name,
                    "value": await client.read_value(p.point_type, p.number),
                    "unit": p.unit,
                }
                for p in chosen
            }
        if args.command == "fastquery":
            numbers = [p.number for p in chosen if p.point_type == "MP"]
            return {f"mp_{n}": v for n, v in (await client.fast_query(numbers)).items()}
        if args.command == "faults":
            return {"count": await client.fault_count(), "entries": await client.fault_range()}
        if args.command == "clock":
            return {"clock": await client.get_clock()}
        if args.index is None:
            return {"programs": await client.time_programs()}
        program = await client.time_program(args.index)
        return {
            "program": program.info,
            "days": [
                [
                    {"state": e.state, "begin": format_time(e.begin), "end": format_time(e.end)}
                    for e in day
                ]
                for day in program.days
            ],
        }
    finally:
        await client.logout()
        await client.close()


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run one read, print JSON; exit 1 with a message on failure."""
    parser = argparse.ArgumentParser(
        prog="python -m custom_components.heliotherm_podero.sources.heliotherm",
        description="Read a Heliotherm heat pump over RS-232 (read only).",
    )
    parser.add_argument(
        "--url", required=True, help="/dev/ttyUSB0, socket://host:port or rfc2217://host:port"
    )
    parser.add_argument("--baud", type=int, default=19200, choices=SUPPORTED_BAUD_RATES)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("info", help="serial number and software version")
    query = commands.add_parser("query", help="read records (default: the default set)")
    query.add_argument("names", nargs="*", help="device names or keys such as sp_69")
    fast = commands.add_parser("fastquery", help="read MP values with one MR request")
    fast.add_argument("names", nargs="*")
    commands.add_parser("faults", help="the whole fault list")
    commands.add_parser("clock", help="the pump's date and time")
    timeprog = commands.add_parser("timeprog", help="list time programs, or show one")
    timeprog.add_argument("index", nargs="?", type=int)
    args = parser.parse_args(argv)
    try:
        result = asyncio.run(_run(args))
    except SourceError as err:
        print(json.dumps({"error": type(err).__name__, "message": str(err)}), file=sys.stderr)
        return 1
    print(json.dumps(_jsonable(result), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
