"""The Aris client and source against the mock: every endpoint, every error class."""

from __future__ import annotations

import aiohttp
import pytest

from custom_components.heliotherm_podero.sources.aris.client import ArisClient, base_url
from custom_components.heliotherm_podero.sources.aris.source import ArisSource
from custom_components.heliotherm_podero.sources.model import (
    AuthFailed,
    CannotConnect,
    InvalidValue,
    NotFound,
    ProtocolError,
    ResponseTimeout,
)
from tests.emulators.aris_server import ArisState
from tests.sources.aris.mock import TOKEN


async def test_every_documented_endpoint(aris_host: str, aris: ArisState) -> None:
    async with aiohttp.ClientSession() as session:
        client = ArisClient(session, aris_host, TOKEN)
        assert (await client.health()).status == "ok"
        zones = await client.zones()
        assert [z.id for z in zones] == ["living_room", "bedroom"]
        living = await client.zone("living_room")
        assert (living.mode, living.heat_setpoint, living.cool_setpoint) == ("auto", 21.0, 24.0)
        assert living.modes == ("off", "heat", "cool", "auto")
        assert (await client.zone("bedroom")).modes == ("off", "heat")
        assert (await client.zone("bedroom")).co2 is None  # sparse: absent, not 0
        assert (await client.hcu()).id == "hcu_main"
        assert await client.heat_pumps() is None  # the assumed list is not there: normal
        pump = await client.heat_pump("hp_outdoor_1")
        assert (pump.parent_hcu, pump.firmware) == ("hcu_main", "v2.4.1")
        assert (await client.fcu("fcu_01a9")).friendly_name == "Office fan coil"
        dhw, tes = await client.dhw(), await client.tes()
        assert dhw is not None and dhw.id == "dhw_main"
        assert tes is not None and tes.id == "tes_main"
        aris.add_fault("hp_outdoor_1", "TEST_FAULT_1")
        events = await client.events()
        assert (events[0].type, events[0].code) == ("fault_raised", "TEST_FAULT_1")
        aris.dhw = None
        assert await client.dhw() is None
        with pytest.raises(NotFound):
            await client.heat_pump("nope")


async def test_assumed_heat_pump_list(aris_host: str, aris: ArisState) -> None:
    aris.assumed_api = True
    async with aiohttp.ClientSession() as session:
        listed = await ArisClient(session, aris_host, TOKEN).heat_pumps()
    assert listed is not None and [p.id for p in listed] == ["hp_outdoor_1"]


@pytest.mark.parametrize(
    ("knob", "error"),
    [
        ("revoked", AuthFailed),
        ("status_500", ProtocolError),
        ("status_503", ProtocolError),
        ("malformed", ProtocolError),
        ("slow", ResponseTimeout),
    ],
)
async def test_error_classes(
    aris_host: str, aris: ArisState, knob: str, error: type[Exception]
) -> None:
    if knob == "revoked":
        aris.tokens.clear()
    elif knob.startswith("status_"):
        aris.fail_status = int(knob[7:])
    elif knob == "malformed":
        aris.malformed = True
    else:
        aris.delay = 0.5
    async with aiohttp.ClientSession() as session:
        client = ArisClient(session, aris_host, TOKEN, timeout=0.2)
        with pytest.raises(error) as caught:
            await client.zones()
    assert TOKEN not in str(caught.value)


@pytest.mark.usefixtures("socket_enabled")
async def test_unreachable_brain_is_cannot_connect() -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(CannotConnect):
            await ArisClient(session, "127.0.0.1:9", TOKEN).zones()


def test_base_url() -> None:
    assert base_url("aris.local") == "http://aris.local"
    assert base_url(" http://10.0.0.5/ ") == "http://10.0.0.5"


async def test_source_devices_points_and_sparse_fields(aris_host: str, aris: ArisState) -> None:
    aris.sparse = True
    async with aiohttp.ClientSession() as session:
        source = ArisSource(ArisClient(session, aris_host, TOKEN), heat_pump_ids=["hp_outdoor_1"])
        await source.async_connect()
        assert set(source.devices) == {
            "aris_hcu_main",
            "aris_hcu_main_hp_outdoor_1",
            "aris_hcu_main_living_room",
            "aris_hcu_main_bedroom",
            "aris_hcu_main_dhw_main",
            "aris_hcu_main_tes_main",
        }
        assert source.devices["aris_hcu_main_hp_outdoor_1"].via_device == "aris_hcu_main"
        # Fields this system never reported are no points at all.
        assert "hp.hp_outdoor_1.fan_speed" not in source.points
        assert "hp.hp_outdoor_1.compressor_speed" in source.points
        # A field that disappears later is unknown, not 0.
        aris.sparse = False
        await source.async_fetch(frozenset())
        assert "hp.hp_outdoor_1.fan_speed" in source.points
        aris.sparse = True
        snapshot = await source.async_fetch(frozenset())
        assert snapshot.values["hp.hp_outdoor_1.fan_speed"] is None
        # An unknown enum value is kept as it comes.
        aris.hcu["state"] = "boosting"
        snapshot = await source.async_fetch(frozenset())
        assert snapshot.values["hcu.hcu_main.hcu_state"] == "boosting"
        assert "boosting" in source.points["hcu.hcu_main.hcu_state"].options


async def test_zone_commands_are_checked_and_confirmed(aris_host: str, aris: ArisState) -> None:
    async with aiohttp.ClientSession() as session:
        source = ArisSource(ArisClient(session, aris_host, TOKEN))
        await source.async_connect()
        heat, cool = "zone.living_room.heat_setpoint", "zone.living_room.cool_setpoint"
        with pytest.raises(InvalidValue) as caught:
            await source.async_write({heat: 23.0, cool: 24.0})
        assert caught.value.reason == "setpoint_gap"
        with pytest.raises(InvalidValue):
            await source.async_write({heat: 31.0})
        with pytest.raises(InvalidValue):
            await source.async_write({"zone.bedroom.zone_mode": "cool"})  # heat-only zone
        with pytest.raises(InvalidValue):
            await source.async_write({"hcu.hcu_main.supply_temperature": 20})
        assert aris.commands == []  # nothing was sent
        # One setpoint alone: the Brain moves the other, the re-read shows it.
        snapshot = await source.async_write({heat: 23.0})
        assert snapshot.values[heat] == 23.0
        assert snapshot.values[cool] == 25.2
        assert aris.commands == [("living_room", {"tempHeatSetC": 23.0})]
        aris.fail_status = 400
        with pytest.raises(InvalidValue) as caught:
            await source.async_write({heat: 22.0})
        assert caught.value.reason == "device_refused"


async def test_read_only_source_sends_nothing(aris_host: str, aris: ArisState) -> None:
    async with aiohttp.ClientSession() as session:
        source = ArisSource(ArisClient(session, aris_host, TOKEN), read_only=True)
        await source.async_connect()
        assert not source.points["zone.living_room.heat_setpoint"].writable
        with pytest.raises(InvalidValue):
            await source.async_write({"zone.living_room.heat_setpoint": 22.0})
    assert aris.commands == []
