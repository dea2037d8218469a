"""Benchmark: read the 61-point default set from the emulator paced like a real pump.

(a) one record request per point, (b) one MR fast query for the MP points plus records for the
SP points. Prints round trips, wall time, the wire-time lower bound of the bytes exchanged
(10 bits per byte at the baud rate) and the ratio of each to that bound.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Awaitable, Callable

from custom_components.heliotherm_podero.sources.heliotherm.catalog import (
    CatalogPoint,
    PointType,
    default_catalog,
)
from custom_components.heliotherm_podero.sources.heliotherm.client import HeliothermClient
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
    wire = exchanged * 10 / baud
    trips = client.stats.round_trips
    return {
        "round_trips": trips,
        "bytes": exchanged,
        "wall_s": round(wall, 3),
        "wire_bound_s": round(wire, 3),
        "wall_to_wire": round(wall / wire, 2),
        "wire_plus_turnaround_s": round(wire + trips * turnaround, 3),
        "wall_to_wire_plus_turnaround": round(wall / (wire + trips * turnaround), 2),
    }


async def main(baud: int, turnaround_ms: float) -> dict[str, object]:
    turnaround = turnaround_ms / 1000
    pump = PumpEmulator(baudrate=baud, turnaround=turnaround, quirks=True)
    url = await pump.start_tcp()
    points = [p for p in default_catalog() if p.default_set]
    try:
        return {
            "baud": baud,
            "turnaround_ms": turnaround_ms,
            "points": len(points),
            "mp_points": sum(p.point_type is PointType.MP for p in points),
            "a_one_record_per_point": await _measure(url, baud, turnaround, points, _records),
            "b_fast_query_plus_sp_records": await _measure(url, baud, turnaround, points, _fast),
        }
    finally:
        await pump.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--baud", type=int, default=19200)
    parser.add_argument("--turnaround", type=float, default=60.0, help="ms")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main(args.baud, args.turnaround)), indent=2))
