"""Benchmark: read the 61-point default set from the emulator paced like a real pump.

(a) one record request per point, (b) one MR fast query for the MP points plus records for the
SP points. Prints round trips, wall time, the wire-time lower bound of the bytes exchanged
(10 bits per byte at the baud rate) and the ratio of each to that bound.

Then the integration's own cycles, as HeliothermSource runs them on the curated set enabled by
default: setup (identity and the first full poll), a fast cycle, a settings cycle and a
counters cycle, and the bus-seconds per minute they add up to at the default intervals (30 s,
5 min, 1 h) against the naive baseline: (a) every 30 s.

Then the calendars: the programs the pump lists as in use (each a calendar enabled by
default) read on the programs' default interval, as the integration's program coordinator
reads them when nobody edits or looks, added to the figure above.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace

from custom_components.heliotherm_podero.const import (
    DEFAULT_COUNTERS_INTERVAL,
    DEFAULT_PROGRAMS_INTERVAL,
    DEFAULT_SETTINGS_INTERVAL,
)
from custom_components.heliotherm_podero.sources.heliotherm.catalog import (
    CatalogPoint,
    PointType,
    default_catalog,
)
from custom_components.heliotherm_podero.sources.heliotherm.client import HeliothermClient
from custom_components.heliotherm_podero.sources.heliotherm.source import HeliothermSource
from custom_components.heliotherm_podero.sources.programs import (
    Slot,
    SlotEdit,
    TimeProgramInfo,
)
from tests.emulators.heliotherm_pump import PumpEmulator


async def _records(client: HeliothermClient, points: list[CatalogPoint]) -> None:
    for point in points:
        await client.read_value(point.point_type, point.number)


async def _fast(client: HeliothermClient, points: list[CatalogPoint]) -> None:
    await client.fast_query([p.number for p in points if p.point_type is PointType.MP])
    await _records(client, [p for p in points if p.point_type is PointType.SP])


async def _measure(
    url: str,
    baud: int,
    turnaround: float,
    points: list[CatalogPoint],
    strategy: Callable[[HeliothermClient, list[CatalogPoint]], Awaitable[None]],
) -> dict[str, float]:
    client = HeliothermClient(url, baudrate=baud, timeout=5.0)
    try:
        await client.link.open()
        start = time.perf_counter()
        await strategy(client, points)
        wall = time.perf_counter() - start
        exchanged = client.link.bytes_sent + client.link.bytes_received
    finally:
        await client.close()
    return _figures(baud, turnaround, wall, client.stats.round_trips, exchanged)


def _figures(
    baud: int, turnaround: float, wall: float, trips: int, exchanged: int
) -> dict[str, float]:
    """Requests, bytes and wall time, against the wire time (10 bits a byte) and turnarounds."""
    wire = exchanged * 10 / baud
    bound = wire + trips * turnaround
    return {
        "requests": trips,
        "bytes": exchanged,
        "wall_s": round(wall, 3),
        "wire_bound_s": round(wire, 3),
        "wall_to_wire": round(wall / wire, 2),
        "wire_plus_turnaround_s": round(bound, 3),
        "wall_to_wire_plus_turnaround": round(wall / bound, 2),
    }


type Meter = Callable[[str, Callable[[], Awaitable[object]]], Awaitable[None]]


def _meter(
    client: HeliothermClient, baud: int, turnaround: float, results: dict[str, dict[str, float]]
) -> Meter:
    """Run a piece of work and put its requests, bytes and seconds into ``results``."""

    async def run(name: str, work: Callable[[], Awaitable[object]]) -> None:
        trips, sent = client.stats.round_trips, client.link.bytes_sent
        received = client.link.bytes_received
        start = time.perf_counter()
        await work()
        wall = time.perf_counter() - start
        exchanged = client.link.bytes_sent - sent + client.link.bytes_received - received
        results[name] = _figures(
            baud, turnaround, wall, client.stats.round_trips - trips, exchanged
        )

    return run


async def _cycles(url: str, baud: int, turnaround: float) -> dict[str, dict[str, float]]:
    """Setup and the three poll cycles, as the integration runs them."""
    client = HeliothermClient(url, baudrate=baud, timeout=5.0)
    source = HeliothermSource(client)
    points = source.points
    enabled = {k for k, p in points.items() if p.enabled_by_default}
    for climate in source.climates:
        enabled |= climate.keys
    fast = frozenset(k for k in enabled if not points[k].slow)
    settings = fast | {k for k in enabled if points[k].slow and not points[k].counter}
    counters = fast | {k for k in enabled if points[k].counter}
    results: dict[str, dict[str, float]] = {}
    run = _meter(client, baud, turnaround, results)

    async def setup() -> None:
        await source.async_connect()
        await source.async_fetch(frozenset(enabled))

    try:
        await run("setup", setup)
        await run("fast_cycle", lambda: source.async_fetch(fast))
        await run("settings_cycle", lambda: source.async_fetch(settings))
        await run("counters_cycle", lambda: source.async_fetch(counters))
    finally:
        await client.close()
    return results


async def _programs(url: str, baud: int, turnaround: float) -> dict[str, dict[str, float]]:
    """The calendars' traffic: the program list at setup, the refresh of the programs in use
    (each calendar enabled by default), one day read entry by entry against one whole
    program, and moving one slot by 30 minutes as the calendar does it."""
    client = HeliothermClient(url, baudrate=baud, timeout=5.0)
    source = HeliothermSource(client)
    results: dict[str, dict[str, float]] = {}
    run = _meter(client, baud, turnaround, results)

    try:
        await client.link.open()
        headers: list[TimeProgramInfo] = []

        async def program_list() -> None:
            headers.extend(await source.async_time_programs())

        async def refresh() -> None:
            for info in headers:
                if info.in_use:  # enabled_programs(): a calendar enabled by default
                    await source.async_time_program(info.index)

        await run("program_list_at_setup", program_list)
        await run("programs_refresh_all", refresh)
        await run("one_whole_program", lambda: source.async_time_program(0))
        await run("one_day_entry_by_entry", lambda: client.time_program_days(0, [0]))
        shown = (await client.time_program(0)).days[0][0]  # as the calendar showed it
        later = replace(shown, begin=shown.begin + 30, end=shown.end + 30)
        move = SlotEdit(0, remove=Slot(0, 0, shown), add=(0,), value=later)
        await run("move_one_slot_30_min", lambda: source.async_edit_time_program(move))
    finally:
        await client.close()
    return results


def _per_minute(seconds: float, interval_s: float) -> float:
    return seconds * 60 / interval_s


async def main(baud: int, turnaround_ms: float) -> dict[str, object]:
    turnaround = turnaround_ms / 1000
    pump = PumpEmulator(baudrate=baud, turnaround=turnaround, quirks=True)
    url = await pump.start_tcp()
    points = [p for p in default_catalog() if p.default_set]
    try:
        naive = await _measure(url, baud, turnaround, points, _records)
        cycles = await _cycles(url, baud, turnaround)
        scan = HeliothermSource.SCAN_INTERVAL.total_seconds()
        fast_s = cycles["fast_cycle"]["wall_s"]
        # A settings or counters cycle replaces a fast one: count what it adds to it.
        ours = (
            _per_minute(fast_s, scan)
            + _per_minute(
                cycles["settings_cycle"]["wall_s"] - fast_s,
                DEFAULT_SETTINGS_INTERVAL.total_seconds(),
            )
            + _per_minute(
                cycles["counters_cycle"]["wall_s"] - fast_s,
                DEFAULT_COUNTERS_INTERVAL.total_seconds(),
            )
        )
        baseline = _per_minute(naive["wall_s"], scan)
        programs = await _programs(url, baud, turnaround)
        calendars = _per_minute(
            programs["programs_refresh_all"]["wall_s"], DEFAULT_PROGRAMS_INTERVAL.total_seconds()
        )
        return {
            "baud": baud,
            "turnaround_ms": turnaround_ms,
            "points": len(points),
            "mp_points": sum(p.point_type is PointType.MP for p in points),
            "a_one_record_per_point": naive,
            "b_fast_query_plus_sp_records": await _measure(url, baud, turnaround, points, _fast),
            "integration": cycles,
            "bus_seconds_per_minute": {
                "naive_every_30_s": round(baseline, 2),
                "integration_default_intervals": round(ours, 3),
                "reduction": round(baseline / ours, 1),
                "calendars_add": round(calendars, 3),
                "with_calendars": round(ours + calendars, 3),
                "reduction_with_calendars": round(baseline / (ours + calendars), 1),
            },
            "time_programs": programs,
        }
    finally:
        await pump.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--baud", type=int, default=19200)
    parser.add_argument("--turnaround", type=float, default=60.0, help="ms")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main(args.baud, args.turnaround)), indent=2))
