"""Soak: many calls of every kind through a fault-injecting proxy, every result checked.

The pump emulator (static values) stands behind tests/emulators/fault_proxy.py, which behaves
like ser2net on a shared line. A share of the calls gets its reply damaged; every result is
compared with the emulator's own state. After every damaged call a clean call checks that the
client recovered. Prints calls, faults injected, wrong values (split into "undetectable by the
protocol's checksum" and "should have been caught"), exceptions outside the client's error
classes, hangs, recovery, and how many replies behind a fake header were read correctly.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from custom_components.heliotherm_podero.sources.heliotherm.catalog import PointType
from custom_components.heliotherm_podero.sources.heliotherm.client import HeliothermClient
from custom_components.heliotherm_podero.sources.heliotherm.timeprog import (
    TimeProgramEntry,
    format_time,
)
from custom_components.heliotherm_podero.sources.model import SourceError, WriteRejected
from tests.emulators.fault_proxy import FaultProxy, ProxyFault
from tests.emulators.heliotherm_pump import PumpEmulator

SP, MP = PointType.SP, PointType.MP
HANG_LIMIT = 15.0
MP_NUMBERS = [0, 1, 2, 3, 4, 5, 16, 20, 22, 30, 41, 52]
SP_NUMBERS = [13, 69, 71, 72, 76, 83, 84, 85, 153, 173]

type Check = Callable[[Any], bool]
type Kind = Callable[[HeliothermClient, PumpEmulator, random.Random], Awaitable[tuple[Any, Check]]]


def _record_value(pump: PumpEmulator, point_type: str, number: int) -> float:
    return float(pump.state.records[(point_type, number)].get("VAL"))


async def _read_sp(c: HeliothermClient, p: PumpEmulator, r: random.Random) -> tuple[Any, Check]:
    number = r.choice(SP_NUMBERS)
    return await c.read_value(SP, number), lambda v: float(v) == _record_value(p, "SP", number)


async def _read_mp(c: HeliothermClient, p: PumpEmulator, r: random.Random) -> tuple[Any, Check]:
    number = r.choice(MP_NUMBERS)
    return await c.read_value(MP, number), lambda v: float(v) == _record_value(p, "MP", number)


async def _fast(c: HeliothermClient, p: PumpEmulator, r: random.Random) -> tuple[Any, Check]:
    numbers = r.sample(MP_NUMBERS, r.randint(1, len(MP_NUMBERS)))
    return await c.fast_query(numbers), lambda v: v == {
        n: (
            bool(_record_value(p, "MP", n))
            if isinstance(v.get(n), bool)
            else _record_value(p, "MP", n)
        )
        for n in numbers
    }


async def _serial(c: HeliothermClient, p: PumpEmulator, r: random.Random) -> tuple[Any, Check]:
    return await c.serial_number(), lambda v: v == p.state.serial_number


async def _clock(c: HeliothermClient, p: PumpEmulator, r: random.Random) -> tuple[Any, Check]:
    value = await c.get_clock()
    return value, lambda v: abs((v - p._now()).total_seconds()) <= 2


async def _fault_count(c: HeliothermClient, p: PumpEmulator, r: random.Random) -> tuple[Any, Check]:
    return await c.fault_count(), lambda v: v == len(p.state.faults)


def _fault_ok(p: PumpEmulator, index: int, entry: Any) -> bool:
    code, when, message = p.state.faults[index]
    return (entry.index, entry.code, entry.time, entry.message) == (index, code, when, message)


async def _last_fault(c: HeliothermClient, p: PumpEmulator, r: random.Random) -> tuple[Any, Check]:
    last = len(p.state.faults) - 1
    return await c.last_fault(expected_index=last), lambda v: _fault_ok(p, last, v)


async def _faults(c: HeliothermClient, p: PumpEmulator, r: random.Random) -> tuple[Any, Check]:
    indices = sorted(r.sample(range(len(p.state.faults)), r.randint(1, 6)))
    return await c.faults(indices), lambda v: all(
        _fault_ok(p, i, e) for i, e in zip(indices, v, strict=True)
    )


async def _programs(c: HeliothermClient, p: PumpEmulator, r: random.Random) -> tuple[Any, Check]:
    return await c.time_programs(), lambda v: [i.name for i in v] == [
        program.name for program in p.state.programs
    ]


def _entry_ok(p: PumpEmulator, index: int, day: int, number: int, e: TimeProgramEntry) -> bool:
    state, begin, end = p.state.programs[index].entries[day][number]
    return (e.state, format_time(e.begin), format_time(e.end)) == (state, begin, end)


async def _program(c: HeliothermClient, p: PumpEmulator, r: random.Random) -> tuple[Any, Check]:
    index = r.randrange(len(p.state.programs))
    return await c.time_program(index), lambda v: all(
        _entry_ok(p, index, d, n, e) for d, day in enumerate(v.days) for n, e in enumerate(day)
    )


async def _write_sp(c: HeliothermClient, p: PumpEmulator, r: random.Random) -> tuple[Any, Check]:
    value = r.choice([20.0, 20.5, 21.0, 21.5, 22.0, 22.5])
    return await c.write(SP, 69, value), lambda v: v == value == _record_value(p, "SP", 69)


async def _write_clock(c: HeliothermClient, p: PumpEmulator, r: random.Random) -> tuple[Any, Check]:
    when = datetime(2026, 1, 1) + timedelta(minutes=r.randrange(10**5))
    return await c.set_clock(when), lambda v: abs((v - p._now()).total_seconds()) <= 2


async def _write_entry(c: HeliothermClient, p: PumpEmulator, r: random.Random) -> tuple[Any, Check]:
    begin = 60 * r.randrange(0, 12)
    entry = TimeProgramEntry(1, begin, begin + 15 * r.randrange(1, 40))
    day = r.randrange(7)
    stored = await c.set_time_program_entry(1, day, 1, entry)
    return stored, lambda v: v == entry and _entry_ok(p, 1, day, 1, v)


KINDS: dict[str, Kind] = {
    "read_setting": _read_sp,
    "read_measurement": _read_mp,
    "fast_query": _fast,
    "serial_number": _serial,
    "clock": _clock,
    "fault_count": _fault_count,
    "last_fault": _last_fault,
    "fault_list": _faults,
    "program_list": _programs,
    "program": _program,
    "write_setting": _write_sp,
    "write_clock": _write_clock,
    "write_program_entry": _write_entry,
}


async def soak(calls: int, fault_share: float, seed: int) -> dict[str, Any]:
    """Run the soak and return its figures."""
    rnd = random.Random(seed)
    pump = PumpEmulator(seed=seed)
    await pump.start_tcp()
    timeout = 0.3
    proxy = FaultProxy(pump.port or 0, late_delay=timeout + 0.15, seed=seed)
    url = await proxy.start()
    client = HeliothermClient(url, timeout=timeout)
    client.late_window = 0.4
    figures: Counter[str] = Counter()
    faults: Counter[str] = Counter()
    foreign: Counter[str] = Counter()
    fake_header = Counter[str]()
    started = time.monotonic()
    try:
        await client.login()
        for _ in range(calls):
            name = rnd.choice(list(KINDS))
            fault: ProxyFault | None = None
            if rnd.random() < fault_share:
                fault = ProxyFault(rnd.choice(list(ProxyFault)))
            proxy.arm(fault)
            applied_before = len(proxy.applied)
            outcome = await _run(KINDS[name], client, pump, rnd)
            figures["calls"] += 1
            figures[outcome] += 1
            if fault is None:
                if outcome == "wrong":
                    figures["wrong_without_fault"] += 1
                continue
            faults[fault] += 1
            undetectable = any(a.undetectable for a in proxy.applied[applied_before:])
            if outcome == "wrong":
                figures["wrong_undetectable" if undetectable else "wrong_should_catch"] += 1
            if outcome.startswith("foreign:"):
                foreign[outcome] += 1
            if fault is ProxyFault.FAKE_HEADER:
                fake_header["total"] += 1
                fake_header["read_correctly"] += outcome == "correct"
            # Recovery: the very next clean call must give the right value.
            proxy.arm(None)
            figures["recovery_checks"] += 1
            if await _run(_read_mp, client, pump, rnd) == "correct":
                figures["recovered"] += 1
    finally:
        await client.close()
        await proxy.stop()
        await pump.stop()
    total_fake = fake_header["total"] or 1
    return {
        "calls": figures["calls"],
        "faults_injected": sum(faults.values()),
        "faults_by_kind": dict(sorted(faults.items())),
        "correct": figures["correct"],
        "clean_errors": figures["error"],
        "refused_writes": figures["rejected"],
        "wrong_values": {
            "undetectable_by_checksum": figures["wrong_undetectable"],
            "should_have_been_caught": figures["wrong_should_catch"],
            "without_any_fault": figures["wrong_without_fault"],
        },
        "foreign_exceptions": dict(foreign),
        "hangs": figures["hang"],
        "recovery": f"{figures['recovered']}/{figures['recovery_checks']}",
        "recovery_percent": round(
            100 * figures["recovered"] / (figures["recovery_checks"] or 1), 2
        ),
        "fake_header_read_correctly": f"{fake_header['read_correctly']}/{fake_header['total']}",
        "fake_header_percent": round(100 * fake_header["read_correctly"] / total_fake, 2),
        "late_bytes_discarded": client.stats.late_bytes_discarded,
        "seconds": round(time.monotonic() - started, 1),
    }


async def _run(kind: Kind, client: HeliothermClient, pump: PumpEmulator, rnd: random.Random) -> str:
    try:
        async with asyncio.timeout(HANG_LIMIT):
            value, check = await kind(client, pump, rnd)
    except TimeoutError:
        return "hang"
    except WriteRejected:
        return "rejected"
    except SourceError:
        return "error"
    except Exception as err:  # counting them is the point
        return f"foreign:{type(err).__name__}"
    return "correct" if check(value) else "wrong"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--fault-share", type=float, default=0.25)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(soak(args.calls, args.fault_share, args.seed)), indent=2))


if __name__ == "__main__":
    main()
