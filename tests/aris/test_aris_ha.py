"""The Aris Brain in Home Assistant: devices, climates, sensors, commands, reauth, recovery."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)

from custom_components.heliotherm_podero.const import DOMAIN
from tests.conftest import tick
from tests.emulators.aris_server import ArisState
from tests.sources.aris.mock import TOKEN

LIVING = "climate.living_room"
BEDROOM = "climate.bedroom"


def _device(registry: dr.DeviceRegistry, entry: MockConfigEntry, key: str) -> dr.DeviceEntry | None:
    devices = dr.async_entries_for_config_entry(registry, entry.entry_id)
    return next((d for d in devices if (DOMAIN, key) in d.identifiers), None)


def _state(hass: HomeAssistant, entity_id: str) -> Any:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state


async def test_devices_hang_under_the_hcu(
    hass: HomeAssistant, aris_loaded: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> None:
    devices = {
        next(iter(d.identifiers))[1]: d
        for d in dr.async_entries_for_config_entry(device_registry, aris_loaded.entry_id)
    }
    hcu = devices.pop("aris_hcu_main")
    assert hcu.via_device_id is None
    assert set(devices) == {
        "aris_hcu_main_hp_outdoor_1",
        "aris_hcu_main_living_room",
        "aris_hcu_main_bedroom",
        "aris_hcu_main_dhw_main",
        "aris_hcu_main_tes_main",
        "aris_hcu_main_fcu_01a9",
    }
    assert all(d.via_device_id == hcu.id for d in devices.values())
    assert devices["aris_hcu_main_hp_outdoor_1"].sw_version == "v2.4.1"
    assert devices["aris_hcu_main_living_room"].name == "Living room"


async def test_a_zone_that_calls_for_heat_shows_its_heat_pump_defrosting(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    aris_loaded: MockConfigEntry,
    aris: ArisState,
) -> None:
    aris.heat_pumps["hp_outdoor_1"]["defrostActive"] = True
    await tick(hass, freezer, timedelta(seconds=31))
    # Home Assistant's climate triggers and conditions read the pump right.
    assert _state(hass, LIVING).attributes["hvac_action"] == "defrosting"
    assert _state(hass, BEDROOM).attributes["hvac_action"] == "idle"  # calls for nothing
    aris.heat_pumps["hp_outdoor_1"]["defrostActive"] = False
    await tick(hass, freezer, timedelta(seconds=31))
    assert _state(hass, LIVING).attributes["hvac_action"] == "heating"


async def test_the_control_units_cop_per_day_month_and_season(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    aris_loaded: MockConfigEntry,
    aris: ArisState,
) -> None:
    registry = dr.async_get(hass)
    assert registry is not None

    entities = er.async_get(hass)

    def figure(key: str) -> str:
        entity_id = entities.async_get_entity_id("sensor", DOMAIN, f"aris_hcu_main_{key}")
        assert entity_id is not None, key
        return str(_state(hass, entity_id).state)

    aris.hcu["lifetimeThermalKwh"] += 8.0
    aris.hcu["lifetimeElecKwh"] += 2.0
    await tick(hass, freezer, timedelta(seconds=31))
    assert [figure(key) for key in ("cop_daily", "cop_month", "cop_season")] == ["4.0"] * 3
    assert "cop_heating_month" not in {
        e.unique_id.removeprefix("aris_hcu_main_")
        for e in er.async_entries_for_config_entry(entities, aris_loaded.entry_id)
    }  # the Brain does not count per mode


async def test_entities_show_the_brain(hass: HomeAssistant, aris_loaded: MockConfigEntry) -> None:
    living = _state(hass, LIVING)
    assert living.state == "heat_cool"
    assert set(living.attributes["hvac_modes"]) == {"off", "heat", "cool", "heat_cool"}
    assert living.attributes["target_temp_low"] == 21.0
    assert living.attributes["target_temp_high"] == 24.0
    assert living.attributes["current_temperature"] == 21.4
    assert living.attributes["current_humidity"] == 45
    assert living.attributes["hvac_action"] == "heating"
    bedroom = _state(hass, BEDROOM)
    assert set(bedroom.attributes["hvac_modes"]) == {"off", "heat"}
    assert bedroom.attributes["temperature"] == 19.0
    assert bedroom.attributes["hvac_action"] == "idle"
    energy = _state(hass, "sensor.aris_hydronic_control_unit_total_electric_energy")
    assert energy.state == "4120.3"
    assert energy.attributes["state_class"] == "total_increasing"
    assert energy.attributes["unit_of_measurement"] == "kWh"
    assert _state(hass, "sensor.heat_pump_hp_outdoor_1_compressor_frequency").state == "58.0"
    assert _state(hass, "binary_sensor.heat_pump_hp_outdoor_1_defrost").state == "off"
    assert _state(hass, "binary_sensor.aris_hydronic_control_unit_brain").state == "on"
    assert _state(hass, "sensor.living_room_carbon_dioxide").state == "620"
    assert hass.states.get("sensor.bedroom_carbon_dioxide") is None  # not reported there
    assert _state(hass, "sensor.hot_water_tank_state_of_charge").state == "78"
    fcu = "sensor.office_fan_coil"
    assert _state(hass, f"{fcu}_mode").state == "heat"
    assert _state(hass, f"{fcu}_fan_level").attributes["unit_of_measurement"] == "%"
    assert _state(hass, f"{fcu}_filter_last_changed").state.startswith("20")


async def test_tanks_are_read_on_the_settings_cycle_only(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,  # frozen before setup, so that the intervals count from it
    aris_loaded: MockConfigEntry,
    aris: ArisState,
) -> None:
    aris.requests.clear()
    assert aris.dhw is not None
    aris.dhw["tempTopC"] = 44.0
    await tick(hass, freezer, timedelta(seconds=31))
    assert "GET /api/zones" in aris.requests
    assert "GET /api/dhw" not in aris.requests and "GET /api/tes" not in aris.requests
    assert _state(hass, "sensor.hot_water_tank_top_temperature").state != "44.0"
    for _ in range(10):  # the settings interval (5 min) passes
        await tick(hass, freezer, timedelta(seconds=31))
    assert aris.requests.count("GET /api/dhw") == 1
    assert _state(hass, "sensor.hot_water_tank_top_temperature").state == "44.0"


@pytest.mark.parametrize(
    ("status", "health", "cloud", "status_state"),
    [
        ("degraded", "on", "off", "degraded"),  # cloud down: local control still works
        ("unhealthy", "off", "off", "unhealthy"),
    ],
)
async def test_brain_health_is_shown(
    hass: HomeAssistant,
    aris_loaded: MockConfigEntry,
    aris: ArisState,
    freezer: FrozenDateTimeFactory,
    status: str,
    health: str,
    cloud: str,
    status_state: str,
) -> None:
    aris.health_status = status
    await tick(hass, freezer, timedelta(seconds=31))
    hcu = "aris_hydronic_control_unit"
    assert _state(hass, f"binary_sensor.{hcu}_brain").state == health
    assert _state(hass, f"binary_sensor.{hcu}_cloud_connection").state == cloud
    assert _state(hass, f"sensor.{hcu}_brain_status").state == status_state
    assert _state(hass, LIVING).state == "heat_cool"  # readings stay available


async def test_gap_is_checked_before_sending_and_the_brain_adjusts_a_single_setpoint(
    hass: HomeAssistant, aris_loaded: MockConfigEntry, aris: ArisState
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            "climate",
            "set_temperature",
            {ATTR_ENTITY_ID: LIVING, "target_temp_low": 23, "target_temp_high": 24},
            blocking=True,
        )
    assert caught.value.translation_key == "setpoint_gap"
    assert aris.commands == []
    await hass.services.async_call(
        "climate", "set_hvac_mode", {ATTR_ENTITY_ID: LIVING, "hvac_mode": "heat"}, blocking=True
    )
    await hass.services.async_call(
        "climate", "set_temperature", {ATTR_ENTITY_ID: LIVING, "temperature": 23}, blocking=True
    )
    assert aris.commands[-1] == ("living_room", {"tempHeatSetC": 23.0})
    assert aris.zones["living_room"]["tempCoolSetC"] == 25.2  # moved by the Brain
    await hass.services.async_call(
        "climate",
        "set_hvac_mode",
        {ATTR_ENTITY_ID: LIVING, "hvac_mode": "heat_cool"},
        blocking=True,
    )
    living = _state(hass, LIVING)
    assert (living.attributes["target_temp_low"], living.attributes["target_temp_high"]) == (
        23.0,
        25.2,
    )
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            "climate",
            "set_hvac_mode",
            {ATTR_ENTITY_ID: BEDROOM, "hvac_mode": "cool"},
            blocking=True,
        )


async def test_services_of_other_sources_are_refused(
    hass: HomeAssistant, aris_loaded: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> None:
    device = _device(device_registry, aris_loaded, "aris_hcu_main")
    assert device is not None
    for service, data in (
        ("sync_clock", {}),
        ("list_time_programs", {}),
        ("get_fault_list", {}),
        ("get_parameters", {"parameters": ["x"]}),
        ("set_away_mode", {"end": "2099-01-01T00:00:00"}),
    ):
        with pytest.raises(ServiceValidationError) as caught:
            await hass.services.async_call(
                DOMAIN,
                service,
                {"device_id": device.id, **data},
                blocking=True,
                return_response=service not in ("sync_clock", "set_away_mode"),
            )
        assert caught.value.translation_key == "not_supported", service


async def test_revoked_token_starts_reauth_and_a_new_token_recovers(
    hass: HomeAssistant,
    aris_loaded: MockConfigEntry,
    aris: ArisState,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    aris.tokens = {"new-token"}
    await tick(hass, freezer, timedelta(seconds=31))
    flows = hass.config_entries.flow.async_progress()
    assert [f["context"]["source"] for f in flows] == [SOURCE_REAUTH]
    result = await hass.config_entries.flow.async_configure(flows[0]["flow_id"], {"token": "wrong"})
    assert result["errors"] == {"token": "token_refused"}
    result = await hass.config_entries.flow.async_configure(
        flows[0]["flow_id"], {"token": "new-token"}
    )
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert aris_loaded.data["token"] == "new-token"
    assert _state(hass, LIVING).state == "heat_cool"
    assert TOKEN not in caplog.text and "new-token" not in caplog.text


async def test_zones_come_and_go_without_reload(
    hass: HomeAssistant,
    aris_loaded: MockConfigEntry,
    aris: ArisState,
    freezer: FrozenDateTimeFactory,
    device_registry: dr.DeviceRegistry,
) -> None:
    aris.zones["office"] = {
        "zoneId": "office",
        "friendlyName": "Office",
        "tempC": 20.5,
        "mode": "heat",
        "tempHeatSetC": 20.0,
        "activeCall": "none",
        "supportsHeat": True,
        "supportsCool": False,
    }
    await tick(hass, freezer, timedelta(seconds=31))
    assert _state(hass, "climate.office").attributes["temperature"] == 20.0
    bedroom = aris.zones.pop("bedroom")
    await tick(hass, freezer, timedelta(seconds=31))
    # Missing once is no proof of anything: kept, unavailable, with its entity ID.
    assert _device(device_registry, aris_loaded, "aris_hcu_main_bedroom") is not None
    assert _state(hass, BEDROOM).state == STATE_UNAVAILABLE
    assert _state(hass, LIVING).state == "heat_cool"
    aris.zones["bedroom"] = bedroom
    await tick(hass, freezer, timedelta(seconds=31))
    assert _state(hass, BEDROOM).state == "heat"
    # Missing from every poll for a day: gone, with its entities.
    del aris.zones["bedroom"]
    await tick(hass, freezer, timedelta(seconds=31))
    await tick(hass, freezer, timedelta(hours=23, minutes=59))
    assert _device(device_registry, aris_loaded, "aris_hcu_main_bedroom") is not None
    await tick(hass, freezer, timedelta(minutes=1, seconds=1))
    assert _device(device_registry, aris_loaded, "aris_hcu_main_bedroom") is None
    assert hass.states.get(BEDROOM) is None


async def test_diagnostics_show_the_token_redacted_and_what_the_brain_supports(
    hass: HomeAssistant, aris_loaded: MockConfigEntry, hass_client: Any
) -> None:
    result = await get_diagnostics_for_config_entry(hass, hass_client, aris_loaded)
    assert result["entry"]["data"]["token"] == "**REDACTED**"
    assert result["source"]["heat_pump_list_supported"] is False
