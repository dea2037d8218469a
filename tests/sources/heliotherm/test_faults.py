"""Fault injection: each fault ends in a clean error or a correct value; the next call works."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custom_components.heliotherm_podero.sources.heliotherm.catalog import PointType
from custom_components.heliotherm_podero.sources.heliotherm.client import HeliothermClient
from custom_components.heliotherm_podero.sources.heliotherm.frame import FrameParser
from custom_components.heliotherm_podero.sources.heliotherm.timeprog import TimeProgramEntry
from custom_components.heliotherm_podero.sources.model import CommunicationError
from tests.emulators.heliotherm_pump import Fault, PumpEmulator, frame_reply

type Call = Callable[[HeliothermClient], Awaitable[object]]

CALLS: dict[str, tuple[Call, object]] = {
    "login": (lambda c: c.login(), None),
    "record": (lambda c: c.read_value(PointType.MP, 2), 42.3),
    "setting": (lambda c: c.read_value(PointType.SP, 69), 23.0),
    "error_reply": (lambda c: c.probe([(PointType.MP, 103)]), {(PointType.MP, 103): None}),
    "fast_query": (
        lambda c: c.fast_query([0, 1, 2, 3, 4, 5]),
        {0: 4.8, 1: 4.6, 2: 42.3, 3: 34.0, 4: 33.7, 5: 33.7},
    ),
    "clock_size": (lambda c: c.fault_count(), 30),
    "clock": (lambda c: _clock_is_now(c), True),
    "programs": (lambda c: c.time_programs(), None),
    "program": (lambda c: c.time_program(0), None),
    "program_entry": (lambda c: c.get_time_program_entry(1, 2, 0), None),
    "faults": (lambda c: c.faults([3, 4, 5]), None),
    "last_fault": (lambda c: c.last_fault(expected_index=29), None),
    "serial": (lambda c: c.serial_number(), 123456),
}


async def _clock_is_now(client: HeliothermClient) -> bool:
    clock = await client.get_clock()
    return abs((clock - datetime.now()).total_seconds()) < 5


def _pump_clock(pump: PumpEmulator) -> datetime:
    return (datetime.now() + pump.state.clock_offset).replace(second=0, microsecond=0)


# Writes: the first sets a known value, the second a different one; what the pump holds is read
# from the emulator itself (never through the client under test), as the client reports it.
WRITES: dict[str, tuple[Call, Call, Callable[[PumpEmulator], object], object, object]] = {
    "setting": (
        lambda c: c.write(PointType.SP, 69, 21.5),
        lambda c: c.write(PointType.SP, 69, 22.0),
        lambda pump: float(pump.state.records[("SP", 69)].get("VAL")),
        21.5,
        22.0,
    ),
    "clock": (
        lambda c: c.set_clock(datetime(2026, 3, 1, 12, 0, 0)),
        lambda c: c.set_clock(datetime(2026, 3, 1, 12, 30, 0)),
        _pump_clock,
        datetime(2026, 3, 1, 12, 0),
        datetime(2026, 3, 1, 12, 30),
    ),
    "program_entry": (
        lambda c: c.set_time_program_entry(0, 1, 1, TimeProgramEntry(1, 1020, 1080)),
        lambda c: c.set_time_program_entry(0, 1, 1, TimeProgramEntry(1, 1020, 1140)),
        lambda pump: pump.state.programs[0].entries[1][1],
        (1, "17:00", "18:00"),
        (1, "17:00", "19:00"),
    ),
}


@pytest.mark.parametrize("fault", list(Fault))
@pytest.mark.parametrize("kind", list(WRITES))
async def test_fault_on_a_write_gives_the_pumps_value_or_a_clean_error(
    client: HeliothermClient, pump: PumpEmulator, fault: Fault, kind: str
) -> None:
    first, second, held, old, new = WRITES[kind]
    await first(client)
    assert held(pump) == old
    pump.inject(fault)
    try:
        await second(client)
    except CommunicationError:
        assert held(pump) in (old, new)  # sent or not: never a third value
    else:
        assert held(pump) == new  # reported done: the pump holds it
    # The link works again: the write goes through and the pump holds the new value.
    await second(client)
    assert held(pump) == new


@pytest.mark.parametrize("fault", list(Fault))
@pytest.mark.parametrize("call", list(CALLS))
async def test_fault_gives_clean_error_or_correct_value(
    client: HeliothermClient, pump: PumpEmulator, fault: Fault, call: str
) -> None:
    invoke, expected = CALLS[call]
    reference = await invoke(client)
    if expected is not None:
        assert reference == expected
    pump.inject(fault)
    try:
        result = await invoke(client)
    except CommunicationError:
        assert not client.link.is_open  # the port was closed and will be reopened
    else:
        # A silent login is answered by a CONNECT line and a second try (modem mode).
        assert call == "login" or fault in (
            Fault.GARBAGE,
            Fault.FRAGMENT,
            Fault.FAKE_HEADER,
            Fault.BAD_THEN_GOOD,
        )
        assert result == reference
    # The very next call succeeds with the right value.
    assert await invoke(client) == reference


@pytest.mark.parametrize("fault", [Fault.DROP, Fault.CORRUPT, Fault.SILENCE, Fault.DISCONNECT])
async def test_faults_that_lose_data_are_errors(
    client: HeliothermClient, pump: PumpEmulator, fault: Fault
) -> None:
    pump.inject(fault)
    with pytest.raises(CommunicationError):
        await client.read_value(PointType.MP, 2)
    assert await client.read_value(PointType.MP, 2) == 42.3


async def test_garbage_and_fragments_are_transparent(
    client: HeliothermClient, pump: PumpEmulator
) -> None:
    pump.inject(Fault.GARBAGE, 5)
    pump.inject(Fault.FRAGMENT, 5)
    for _ in range(10):
        assert await client.read_value(PointType.MP, 3) == 34.0
    assert client.stats.faults == 0


async def test_disconnect_and_reconnect_of_the_bridge() -> None:
    pump = PumpEmulator()
    url = await pump.start_tcp()
    port = pump.port
    client = HeliothermClient(url, timeout=0.3)
    try:
        assert await client.serial_number() == 123456
        await pump.stop()
        with pytest.raises(CommunicationError):
            await client.serial_number()
        with pytest.raises(CommunicationError):
            await client.serial_number()  # still down: reopening fails cleanly
        await pump.start_tcp(port=port or 0)
        assert await client.serial_number() == 123456
    finally:
        await client.close()
        await pump.stop()


async def test_late_bytes_of_a_broken_answer_never_become_a_value(
    client: HeliothermClient, pump: PumpEmulator
) -> None:
    # A slow pump answers after the client gave up; the reply must not be taken for the next one.
    pump.turnaround = client.timeout + 0.3
    with pytest.raises(CommunicationError):
        await client.read_value(PointType.MP, 2)
    pump.turnaround = 0.0
    await asyncio.sleep(0.6)  # the late reply arrives while the port is closed or idle
    assert await client.read_value(PointType.MP, 3) == 34.0


REPLIES = [
    ("MA,2,42.3,16", 0x00),
    ("MA,3,34.0,17", 0x01),
    ("MA,5,33.7,16", 0x02),
    ("SP,NR=69,ID=69,NAME=HKR Soll_Raum,LEN=4,TP=1,BIT=1,VAL=23.0,MAX=25.0,MIN=10.0,WR=1,US=1", 0),
    ("ERR,INVALID IDX", 0x02),
]


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    choice=st.integers(0, len(REPLIES) - 1),
    zero_length=st.booleans(),
    position=st.integers(0, 10_000),
    mask=st.integers(1, 255),
    drop=st.booleans(),
    cut=st.integers(0, 10_000),
    noise=st.binary(max_size=12),
)
def test_random_corruption_never_yields_a_wrong_value(
    choice: int, zero_length: bool, position: int, mask: int, drop: bool, cut: int, noise: bytes
) -> None:
    """Corrupt or drop any one byte of a checksummed frame, behind random noise, split anywhere.

    The checksum detects every change confined to one byte (its map is injective), so the
    only acceptable outcomes are "no frame" and the original text. Two changes in different
    bytes can cancel in the XOR checksum: a protocol limit, documented in the README.
    """
    text, flag = REPLIES[choice]
    original = frame_reply(text, flag, zero_length=zero_length and flag == 0x02)
    data = bytearray(original)
    position %= len(data)
    if drop:
        del data[position]
    else:
        data[position] ^= mask
    cut %= len(data) + 1
    parser = FrameParser()
    frames = []
    for piece in (noise + bytes(data[:cut]), bytes(data[cut:])):
        parser.feed(piece)
        while (frame := parser.next_frame()) is not None:
            frames.append(frame)
    assert all(f.text == text for f in frames), frames
