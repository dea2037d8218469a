"""HeliothermSource: identity, polling, absent points, derived values, writes."""

from __future__ import annotations

import pytest

from custom_components.heliotherm_podero.sources.heliotherm.catalog import PointType
from custom_components.heliotherm_podero.sources.heliotherm.client import HeliothermClient
from custom_components.heliotherm_podero.sources.heliotherm.replies import parse_record
from custom_components.heliotherm_podero.sources.heliotherm.source import HeliothermSource
from custom_components.heliotherm_podero.sources.model import InvalidValue, ProtocolError
from tests.emulators.heliotherm_pump import PumpEmulator, PumpState


@pytest.fixture
def source(client: HeliothermClient) -> HeliothermSource:
    return HeliothermSource(client)


@pytest.mark.parametrize(("as_recorded", "wired"), [(False, ["mp_16"]), (True, ["mp_18", "mp_19"])])
async def test_connect_offers_the_room_sensors_the_pump_uses(
    source: HeliothermSource, pump: PumpEmulator, as_recorded: bool, wired: list[str]
) -> None:
    recorded = PumpState.from_dump(as_recorded=as_recorded)
    for number in range(16, 20):
        pump.state.records[("MP", number)] = recorded.records[("MP", number)]
    await source.async_connect()
    keys = [f"mp_{n}" for n in range(16, 20)]
    assert [k for k in keys if source.points[k].enabled_by_default] == wired
    (climate,) = source.climates
    assert climate.current_key == wired[0]


async def test_a_room_sensor_the_firmware_lacks_keeps_the_catalog_default(
    source: HeliothermSource, pump: PumpEmulator
) -> None:
    catalog_default = source.points["mp_17"].enabled_by_default
    del pump.state.records[("MP", 17)]
    await source.async_connect()
    assert source.points["mp_17"].enabled_by_default is catalog_default
    assert source.points["mp_16"].enabled_by_default


async def test_connect_learns_identity_and_device_limits(
    source: HeliothermSource, pump: PumpEmulator
) -> None:
    pump.state.records[("SP", 83)].set("MAX", "60")
    await source.async_connect()
    # Identity and the room sensors in use; the settings' limits come with a poll.
    assert pump.requests == ["LIN", "RID", "SP,NR=9", *(f"MP,NR={n}" for n in range(16, 20))]
    assert source.points["sp_83"].maximum != 60.0
    await source.async_fetch(frozenset({"sp_83", "sp_69"}))
    assert "LIN" not in pump.requests[7:]  # one login per connection
    identity = source.identity
    assert identity is not None
    assert (identity.serial_number, identity.software_version, identity.build) == (
        123456,
        "3.0.14",
        8488,
    )
    assert source.points["sp_83"].maximum == 60.0
    assert source.points["sp_69"].writable
    # Triggers and undocumented internals are no entities at all
    assert not {"sp_8", "sp_14", "sp_255", "sp_286", "mp_99", "sp_399", "sp_415"} & set(
        source.points
    )
    # One device, the pump; unique IDs stay "<serial number>_<key>".
    assert list(source.devices) == ["123456"]
    device = source.devices["123456"]
    assert (device.translation_key, device.name) == ("heliotherm_heat_pump", "123456")
    assert (device.model, device.sw_version) == ("Heliotherm SW 3.0.14", "3.0.14 (build 8488)")
    assert source.points["sp_69"].unique_id == "123456_sp_69"
    assert [c.unique_id for c in source.climates] == ["123456_heating_circuit"]


async def test_fetch_reads_mp_by_fast_query_and_sp_by_record(
    source: HeliothermSource, pump: PumpEmulator
) -> None:
    snapshot = await source.async_fetch(frozenset({"mp_0", "mp_22", "sp_13", "sp_69"}))
    assert snapshot.values == {"mp_0": 4.8, "mp_22": False, "sp_13": "automatic", "sp_69": 23.0}
    assert "clock" in snapshot.extra  # settings cycle: the clock is read for drift checks
    assert pump.requests[:2] == ["LIN", "MR,0,22"]
    assert source.poll_stats.polls == 1
    assert source.poll_stats.last_round_trips == 5


async def test_absent_points_are_found_once_and_skipped(
    source: HeliothermSource, pump: PumpEmulator
) -> None:
    del pump.state.records[("MP", 5)]
    del pump.state.records[("SP", 153)]
    keys = frozenset({"mp_0", "mp_5", "sp_153", "sp_69"})
    snapshot = await source.async_fetch(keys)
    assert snapshot.values["mp_0"] == 4.8
    assert "mp_5" not in snapshot.values and "sp_153" not in snapshot.values
    assert source.poll_stats.absent_points == {"mp_5", "sp_153"}
    pump.requests.clear()
    await source.async_fetch(keys)
    assert pump.requests[1] == "MR,0"
    assert "SP,NR=153" not in pump.requests


async def test_faults_and_cop(source: HeliothermSource, pump: PumpEmulator) -> None:
    pump.set_value("MP", 83, 2000.0)
    pump.set_value("MP", 89, 8.5)
    snapshot = await source.async_fetch(frozenset({"cop", "fault_count", "last_fault"}))
    assert snapshot.values["cop"] == 4.25
    assert snapshot.values["fault_count"] == 30
    assert snapshot.values["last_fault"] == "EQ Motorschutz"
    assert snapshot.values["last_fault_code"] == 21
    pump.set_value("MP", 83, 0.0)
    pump.state.faults.clear()
    snapshot = await source.async_fetch(frozenset({"cop", "fault_count"}))
    assert snapshot.values["cop"] is None
    assert snapshot.values["fault_count"] == 0
    assert snapshot.values["last_fault"] is None


async def test_unknown_operating_mode_reads_as_none(
    source: HeliothermSource, pump: PumpEmulator
) -> None:
    pump.state.records[("SP", 13)].set("VAL", "9")
    snapshot = await source.async_fetch(frozenset({"sp_13"}))
    assert snapshot.values["sp_13"] is None


async def test_writes(source: HeliothermSource, pump: PumpEmulator) -> None:
    assert (await source.async_write({"sp_13": "party"})).values == {"sp_13": "party"}
    assert (await source.async_write({"sp_69": 21.5})).values == {"sp_69": 21.5}
    with pytest.raises(InvalidValue, match="invalid_option"):
        await source.async_write({"sp_13": "disco"})
    with pytest.raises(InvalidValue, match="read_only_point"):
        await source.async_write({"mp_0": 1.0})
    with pytest.raises(InvalidValue, match="unknown_point"):
        await source.async_write({"no_such_key": 1})
    assert pump.write_requests() == ["SP,NR=13,VAL=7", "SP,NR=69,VAL=21.5"]


@pytest.mark.parametrize(
    "text",
    [
        "SP,NR=70,ID=70,NAME=x,VAL=1,MAX=2,MIN=0",  # another point
        "SP,NR=69,ID=69,VAL=1,MAX=2,MIN=0",  # no NAME
        "SP,NR=69,ID=69,NAME=x,VAL=1.5.1,MAX=2,MIN=0,TP=1",  # not a number
    ],
)
def test_malformed_records(text: str) -> None:
    with pytest.raises(ProtocolError):
        parse_record(text, PointType.SP, 69, None)


def test_record_without_catalog_type_follows_tp() -> None:
    record = parse_record(
        "SP,NR=500,ID=500,NAME=New,LEN=4,TP=1,BIT=1,VAL=1.5,MAX=2.0,MIN=0.0,WR=1,US=1",
        PointType.SP,
        500,
        None,
    )
    assert (record.value, record.decimals, record.writable) == (1.5, 1, True)
