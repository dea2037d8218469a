"""Every client command against the emulator, over a pty and over TCP."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest

from custom_components.heliotherm_podero.sources.heliotherm.catalog import PointType
from custom_components.heliotherm_podero.sources.heliotherm.client import (
    HeliothermClient,
    chunk_command,
)
from custom_components.heliotherm_podero.sources.heliotherm.errors import (
    DeviceError,
    PointNotFound,
)
from custom_components.heliotherm_podero.sources.heliotherm.timeprog import TimeProgramEntry
from custom_components.heliotherm_podero.sources.model import (
    CannotConnect,
    InvalidValue,
    ProtocolError,
    ResponseTimeout,
    WriteRejected,
)
from tests.emulators.heliotherm_pump import PumpEmulator

SP, MP = PointType.SP, PointType.MP


async def test_login_logout_identity(client: HeliothermClient, pump: PumpEmulator) -> None:
    await client.login()
    assert await client.serial_number() == 123456
    assert await client.software_version() == ("3.0.14", 8488)
    await client.logout()
    assert pump.requests == ["LIN", "RID", "SP,NR=9", "LOUT"]


async def test_read_records_follow_the_device(client: HeliothermClient) -> None:
    mode = await client.read_record(SP, 13)
    assert (mode.name, mode.value, mode.minimum, mode.maximum) == ("Betriebsart", 1, 0, 7)
    assert mode.writable and mode.in_use
    outdoor = await client.read_record(MP, 0)
    assert outdoor.value == 4.8 and outdoor.decimals == 1
    # FLOAT with BIT=0 prints no decimal point.
    assert await client.read_value(SP, 414) == -5.0
    # Unused sensor: -50.0 with US=0.
    unused = await client.read_record(MP, 7)
    assert (unused.value, unused.in_use) == (-50.0, False)
    # BOOL points become bools; MIN=MAX=0 means no limits.
    assert await client.read_value(MP, 36) is True
    counter = await client.read_record(SP, 25)
    assert counter.value == 131125 and not counter.has_limits


async def test_unknown_point_answers_invalid_idx(client: HeliothermClient) -> None:
    with pytest.raises(PointNotFound):
        await client.read_record(MP, 103)
    # The link stays usable.
    assert await client.read_value(MP, 2) == 42.3


async def test_probe_learns_names_limits_and_absence(client: HeliothermClient) -> None:
    found = await client.probe([(SP, 69), (MP, 103), (SP, 9)])
    setpoint, version = found[(SP, 69)], found[(SP, 9)]
    assert setpoint is not None
    assert setpoint.maximum == 25.0
    assert found[(MP, 103)] is None
    assert version is not None
    assert version.name == "3.0.14"


async def test_fast_query_matches_records(client: HeliothermClient, pump: PumpEmulator) -> None:
    values = await client.fast_query([0, 3, 7, 22, 41, 52])
    assert values == {0: 4.8, 3: 34.0, 7: -50.0, 22: False, 41: 23707, 52: 0.0}
    assert pump.requests == ["MR,0,3,7,22,41,52"]


async def test_fast_query_splits_at_253_characters(
    client: HeliothermClient, pump: PumpEmulator
) -> None:
    numbers = list(range(103)) * 1  # 103 numbers -> more than 253 characters
    values = await client.fast_query(numbers)
    assert len(values) == 103
    assert len(pump.requests) == 2
    assert all(len(r) <= 253 for r in pump.requests)


def test_chunking_keeps_every_item_once() -> None:
    items = list(range(500))
    chunks = chunk_command("AR", items)
    assert [i for c in chunks for i in c] == items
    assert all(len("AR," + ",".join(map(str, c))) <= 253 for c in chunks)


async def test_write_is_verified(client: HeliothermClient, pump: PumpEmulator) -> None:
    assert await client.write(SP, 69, 21.5) == 21.5
    assert await client.read_value(SP, 69) == 21.5
    assert pump.write_requests() == ["SP,NR=69,VAL=21.5"]
    assert await client.write(SP, 13, 3) == 3
    assert await client.write(SP, 6, True) is True  # BOOL
    assert await client.write(SP, 83, 52) == 52.0  # FLOAT with BIT=0 is sent as "52"
    assert pump.write_requests()[-1] == "SP,NR=83,VAL=52"


@pytest.mark.parametrize(
    ("point_type", "number", "value", "reason"),
    [
        (SP, 999, 1, "unknown_point"),
        (MP, 0, 5.0, "read_only_point"),
        (SP, 10, 1, "read_only_point"),
        (SP, 69, "warm", "not_a_number"),
        (SP, 69, True, "not_a_number"),
        (SP, 69, float("nan"), "not_a_setting_value"),
        (SP, 69, float("inf"), "not_a_setting_value"),
        (SP, 69, 1e308, "not_a_setting_value"),
        (SP, 76, 7.6, "not_a_whole_number"),
        (SP, 8, True, "trigger_point"),
        (SP, 14, 1, "trigger_point"),
        (SP, 255, 1, "trigger_point"),
        (SP, 286, 1, "trigger_point"),
        (SP, 13, 2.5, "not_a_whole_number"),
        (SP, 6, 2, "not_a_boolean"),
        (SP, 69, 21.55, "wrong_step"),
        (SP, 69, 25.5, "out_of_range"),
        (SP, 69, 9.5, "out_of_range"),
        (SP, 13, 8, "out_of_range"),
    ],
)
async def test_invalid_writes_never_reach_the_wire(
    client: HeliothermClient,
    pump: PumpEmulator,
    point_type: PointType,
    number: int,
    value: object,
    reason: str,
) -> None:
    with pytest.raises(InvalidValue) as err:
        await client.write(point_type, number, value)
    assert err.value.reason == reason
    assert pump.write_requests() == []


async def test_limits_come_from_the_device(client: HeliothermClient, pump: PumpEmulator) -> None:
    # The pump narrows SP 69 to 20.0..22.0: a value inside the catalog range is refused.
    pump.state.records[("SP", 69)].set("MAX", "22.0")
    with pytest.raises(InvalidValue, match="out_of_range"):
        await client.write(SP, 69, 23.0)
    assert pump.write_requests() == []


async def test_rejected_write_is_reported(client: HeliothermClient, pump: PumpEmulator) -> None:
    pump.reject_writes = True
    with pytest.raises(WriteRejected) as err:
        await client.write(SP, 69, 22.0)
    assert (err.value.requested, err.value.reported) == (22.0, 23.0)


async def test_read_only_client_sends_no_write() -> None:
    pump = PumpEmulator()
    client = HeliothermClient(await pump.start_tcp(), read_only=True)
    try:
        for call in (
            client.write(SP, 69, 21.0),
            client.set_clock(datetime(2026, 1, 1)),
            client.set_time_program_entry(0, 0, 0, TimeProgramEntry(1, 0, 60)),
            client.set_time_program(0, []),
        ):
            with pytest.raises(InvalidValue, match="read_only_mode"):
                await call
        assert pump.requests == []
    finally:
        await client.close()
        await pump.stop()


async def test_clock_get_and_set(client: HeliothermClient, pump: PumpEmulator) -> None:
    clock = await client.get_clock()
    assert abs(clock - datetime.now()) < timedelta(seconds=5)
    target = datetime(2025, 11, 21, 14, 30, 0)
    assert await client.set_clock(target) == target
    assert pump.write_requests() == ["CLK,DA=21.11.25,TI=14:30:00,WD=5"]
    assert abs(await client.get_clock() - target) < timedelta(seconds=3)
    with pytest.raises(InvalidValue):
        await client.set_clock(datetime(2100, 1, 1))


async def test_fault_list(client: HeliothermClient) -> None:
    assert await client.fault_count() == 30
    last = await client.last_fault()
    assert last.index == 29
    entries = await client.fault_range(27)
    assert [e.index for e in entries] == [27, 28, 29]
    assert entries[-1] == last
    assert (await client.faults([0]))[0].message == "Keine Stoerung"
    assert len(await client.fault_range()) == 30
    with pytest.raises(InvalidValue):
        await client.faults([-1])
    with pytest.raises(InvalidValue):
        await client.fault_range(31)
    with pytest.raises(PointNotFound):
        await client.faults([30])


async def test_time_programs(client: HeliothermClient) -> None:
    programs = await client.time_programs()
    assert [p.name for p in programs][:2] == ["Warmwasser", "Zirkulationspumpe"]
    assert len(programs) == 5
    info = await client.time_program_info(2)
    assert (info.entries_per_day, info.states, info.step, info.days) == (7, 3, 15, 7)
    program = await client.time_program(0)
    assert len(program.days) == 7 and len(program.days[0]) == 7
    assert program.days[3][0] == TimeProgramEntry(state=1, begin=360, end=1320)
    assert await client.get_time_program_entry(0, 3, 0) == program.days[3][0]


@pytest.mark.parametrize("index", [5, -1, 10**300])
async def test_time_program_index_is_checked_against_the_list(
    client: HeliothermClient, pump: PumpEmulator, index: int
) -> None:
    for call in (
        client.time_program(index),
        client.time_program_info(index),
        client.get_time_program_entry(index, 0, 0),
        client.set_time_program_entry(index, 0, 0, TimeProgramEntry(0, 0, 0)),
        client.set_time_program(index, []),
    ):
        with pytest.raises(InvalidValue) as err:
            await call
        assert err.value.reason == "invalid_program"
        assert err.value.details == {"program": str(index), "programs": "5"}
    # The list was read once (PRL); nothing addressed the missing program.
    assert pump.requests == ["PRL"]


async def test_time_program_entry_set(client: HeliothermClient, pump: PumpEmulator) -> None:
    entry = TimeProgramEntry(state=1, begin=5 * 60 + 45, end=23 * 60)
    assert await client.set_time_program_entry(0, 1, 0, entry) == entry
    assert pump.write_requests() == ["PRE,PR=0,DAY=1,EV=0,ST=1,BEG=05:45,END=23:00"]
    assert (await client.time_program(0)).days[1][0] == entry


@pytest.mark.parametrize(
    ("day", "entry", "value", "reason"),
    [
        (7, 0, TimeProgramEntry(1, 0, 60), "invalid_day"),
        (0, 7, TimeProgramEntry(1, 0, 60), "invalid_entry"),
        (0, 0, TimeProgramEntry(2, 0, 60), "invalid_state"),
        (0, 0, TimeProgramEntry(1, 10, 60), "time_not_on_step"),
        (0, 0, TimeProgramEntry(1, 120, 60), "end_before_begin"),
        (0, 0, TimeProgramEntry(1, 0, 1455), "invalid_time"),
    ],
)
async def test_invalid_time_program_entries_are_refused(
    client: HeliothermClient,
    pump: PumpEmulator,
    day: int,
    entry: int,
    value: TimeProgramEntry,
    reason: str,
) -> None:
    with pytest.raises(InvalidValue) as err:
        await client.set_time_program_entry(0, day, entry, value)
    assert err.value.reason == reason
    assert pump.write_requests() == []


async def test_whole_program_set_validates_every_day_first(
    client: HeliothermClient, pump: PumpEmulator
) -> None:
    empty = TimeProgramEntry(0, 0, 0)
    good = [TimeProgramEntry(1, 360, 480), TimeProgramEntry(1, 1020, 1320)] + [empty] * 5
    overlapping = [TimeProgramEntry(1, 360, 600), TimeProgramEntry(1, 540, 705)] + [empty] * 5
    with pytest.raises(InvalidValue, match="entries_overlap"):
        await client.set_time_program(0, [(0, good), (1, overlapping)])
    with pytest.raises(InvalidValue, match="wrong_entry_count"):
        await client.set_time_program(0, [(0, [*good, empty])])  # 8 entries, 7 slots
    assert pump.write_requests() == []
    with pytest.raises(InvalidValue, match="duplicate_day"):
        await client.set_time_program(0, [(0, good), (0, good)])
    assert pump.write_requests() == []
    program = await client.set_time_program(0, [(0, good), (6, good)])
    assert program.days[0] == tuple(good) and program.days[6] == tuple(good)
    assert (await client.time_program(0)).days == program.days
    # Only the entries that differ are written: the empty slots already match.
    assert len(pump.write_requests()) == 4


async def test_rejected_time_program_write(client: HeliothermClient, pump: PumpEmulator) -> None:
    pump.reject_writes = True
    with pytest.raises(WriteRejected):
        await client.set_time_program_entry(0, 0, 0, TimeProgramEntry(1, 0, 60))


async def test_concurrent_calls_are_serialised(
    client: HeliothermClient, pump: PumpEmulator
) -> None:
    pump.turnaround = 0.01
    results = await asyncio.gather(
        client.read_value(MP, 0),
        client.fast_query([2, 3]),
        client.get_clock(),
        client.fault_count(),
        client.serial_number(),
    )
    assert results[0] == 4.8 and results[1] == {2: 42.3, 3: 34.0} and results[4] == 123456
    assert len(pump.requests) == 5


async def test_modem_mode_pump_answers_after_connect_line() -> None:
    pump = PumpEmulator(modem_mode=True)
    client = HeliothermClient(await pump.start_tcp(), timeout=0.3)
    try:
        await client.login()
        assert await client.serial_number() == 123456
    finally:
        await client.close()
        await pump.stop()


async def test_cannot_open_port() -> None:
    client = HeliothermClient("/dev/does-not-exist", timeout=0.2)
    with pytest.raises(CannotConnect):
        await client.login()
    client = HeliothermClient("socket://127.0.0.1:9", timeout=0.2)
    with pytest.raises(CannotConnect):
        await client.login()


async def test_silent_pump_times_out_then_recovers(
    client: HeliothermClient, pump: PumpEmulator
) -> None:
    pump.inject("silence")
    with pytest.raises(ResponseTimeout):
        await client.read_value(MP, 0)
    assert not client.link.is_open
    assert client.stats.faults == 1
    assert await client.read_value(MP, 0) == 4.8


async def test_malformed_replies_are_protocol_errors(
    client: HeliothermClient, pump: PumpEmulator
) -> None:
    pump.state.records[("MP", 2)].set("VAL", "warm")
    with pytest.raises(ProtocolError):
        await client.read_value(MP, 2)
    with pytest.raises(ProtocolError):
        await client.fast_query([2])
    pump.state.serial_number = -1
    with pytest.raises(ProtocolError):
        await client.serial_number()


async def test_other_error_replies_raise_device_error(
    client: HeliothermClient, pump: PumpEmulator
) -> None:
    original = pump.handle
    pump.handle = lambda command: [("ERR,BUSY", 2, True)]  # type: ignore[method-assign]
    with pytest.raises(DeviceError) as err:
        await client.read_value(MP, 0)
    assert not isinstance(err.value, PointNotFound)
    pump.handle = original  # type: ignore[method-assign]
    assert await client.read_value(MP, 0) == 4.8


async def test_login_refused(client: HeliothermClient, pump: PumpEmulator) -> None:
    pump.handle = lambda command: [("NO", 0, False)]  # type: ignore[method-assign]
    with pytest.raises(ProtocolError):
        await client.login()
