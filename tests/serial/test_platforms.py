"""Every platform's entities, snapshot-tested, and their writes against the emulator."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.components.climate.const import (
    ATTR_HVAC_MODE,
    ATTR_PRESET_MODE,
    SERVICE_SET_HVAC_MODE,
    SERVICE_SET_PRESET_MODE,
    SERVICE_SET_TEMPERATURE,
    HVACAction,
)
from homeassistant.const import ATTR_ENTITY_ID, ATTR_TEMPERATURE, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry, snapshot_platform
from syrupy.assertion import SnapshotAssertion

from custom_components.heliotherm_podero.const import CONF_EXPERT, CONF_READ_ONLY
from tests.emulators.heliotherm_pump import PumpEmulator, PumpState

DEVICE = "heliotherm_123456"


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize(
    ("platform", "options"),
    [
        (Platform.BINARY_SENSOR, {}),
        (Platform.CLIMATE, {}),
        (Platform.NUMBER, {}),
        (Platform.SELECT, {}),
        (Platform.SENSOR, {}),
        (Platform.SWITCH, {CONF_EXPERT: True}),  # on/off settings exist in expert mode only
        (Platform.WATER_HEATER, {}),
    ],
)
async def test_entities(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    platform: Platform,
) -> None:
    with patch("custom_components.heliotherm_podero.setup_entry.PLATFORMS", [platform]):
        assert await hass.config_entries.async_setup(config_entry.entry_id)
        await hass.async_block_till_done()
    await snapshot_platform(hass, entity_registry, snapshot, config_entry.entry_id)


async def test_only_enabled_points_are_polled(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, pump: PumpEmulator
) -> None:
    polled = loaded_entry.runtime_data.coordinator.polled_keys
    assert "mp_0" in polled and "sp_69" in polled
    assert "mp_7" not in polled  # unused sensor (US=0): created disabled
    assert "sp_200" not in polled  # long tail: created disabled
    fast = [r for r in pump.requests if r.startswith("MR,")]
    assert fast, "measurements are read with MR"
    assert ",7," not in fast[0]
    assert "SP,NR=200" not in pump.requests


async def test_unused_sensor_is_disabled(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    entry = entity_registry.async_get(f"sensor.{DEVICE}_source_outlet_temperature")
    assert entry is not None
    assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION


async def _set_number(hass: HomeAssistant, name: str, value: float) -> str:
    """Set a number entity of the pump through its service; the state it shows afterwards."""
    entity_id = f"number.{DEVICE}_{name}"
    await hass.services.async_call(
        "number", "set_value", {ATTR_ENTITY_ID: entity_id, "value": value}, blocking=True
    )
    state = hass.states.get(entity_id)
    assert state is not None
    return state.state


async def test_number_write_shows_reported_value(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, pump: PumpEmulator
) -> None:
    shown = await _set_number(hass, "room_setpoint", 21.5)
    assert pump.write_requests() == ["SP,NR=69,VAL=21.5"]
    assert shown == "21.5"


async def test_whole_number_settings_read_without_a_decimal(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, pump: PumpEmulator
) -> None:
    """A setting that holds whole numbers shows "18", one on a 0.1 grid keeps its decimal."""
    limit = hass.states.get(f"number.{DEVICE}_heating_limit")
    assert limit is not None
    assert (limit.state, limit.attributes["step"]) == ("18", 1.0)
    shown = await _set_number(hass, "heating_limit", 17)
    assert pump.write_requests() == ["SP,NR=76,VAL=17"]
    assert shown == "17"
    setpoint = hass.states.get(f"number.{DEVICE}_room_setpoint")
    assert setpoint is not None
    assert setpoint.attributes["step"] == 0.1
    assert "." in setpoint.state


async def test_number_limits_are_the_devices(
    hass: HomeAssistant, pump: PumpEmulator, config_entry: MockConfigEntry
) -> None:
    pump.state.records[("SP", 69)].set("MAX", "22.0")
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    state = hass.states.get(f"number.{DEVICE}_room_setpoint")
    assert state is not None
    assert state.attributes["max"] == 22.0
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            "number",
            "set_value",
            {ATTR_ENTITY_ID: f"number.{DEVICE}_room_setpoint", "value": 24.0},
            blocking=True,
        )
    assert pump.write_requests() == []


async def test_rejected_write_is_an_error(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, pump: PumpEmulator
) -> None:
    pump.reject_writes = True
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            "number",
            "set_value",
            {ATTR_ENTITY_ID: f"number.{DEVICE}_room_setpoint", "value": 21.0},
            blocking=True,
        )
    assert err.value.translation_key == "write_rejected"
    state = hass.states.get(f"number.{DEVICE}_room_setpoint")
    assert state is not None
    assert state.state == "23.0"  # still what the pump has


async def test_write_fails_cleanly_when_pump_is_gone(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, pump: PumpEmulator
) -> None:
    await pump.stop()
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            "select",
            "select_option",
            {ATTR_ENTITY_ID: f"select.{DEVICE}_operating_mode", "option": "summer"},
            blocking=True,
        )
    assert err.value.translation_key == "communication_error"


async def test_operating_mode_select(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, pump: PumpEmulator
) -> None:
    entity_id = f"select.{DEVICE}_operating_mode"
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == "automatic"
    await hass.services.async_call(
        "select", "select_option", {ATTR_ENTITY_ID: entity_id, "option": "summer"}, blocking=True
    )
    assert pump.write_requests() == ["SP,NR=13,VAL=3"]
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == "summer"


@pytest.mark.parametrize(
    ("service", "data", "request_sent"),
    [
        (SERVICE_SET_TEMPERATURE, {ATTR_TEMPERATURE: 21.5}, "SP,NR=69,VAL=21.5"),
        (SERVICE_SET_HVAC_MODE, {ATTR_HVAC_MODE: "off"}, "SP,NR=13,VAL=0"),
        (SERVICE_SET_HVAC_MODE, {ATTR_HVAC_MODE: "heat"}, "SP,NR=13,VAL=4"),
        (SERVICE_SET_PRESET_MODE, {ATTR_PRESET_MODE: "party"}, "SP,NR=13,VAL=7"),
        (SERVICE_SET_PRESET_MODE, {ATTR_PRESET_MODE: "none"}, "SP,NR=13,VAL=1"),
        ("turn_off", {}, "SP,NR=13,VAL=0"),
        ("turn_on", {}, "SP,NR=13,VAL=1"),
    ],
)
async def test_climate_writes(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
    service: str,
    data: dict[str, Any],
    request_sent: str,
) -> None:
    entity_id = f"climate.{DEVICE}_heating_circuit"
    pump.set_value("SP", 13, 5)  # setback: every mode below is a change
    await hass.services.async_call(
        "climate", service, {ATTR_ENTITY_ID: entity_id, **data}, blocking=True
    )
    assert pump.write_requests() == [request_sent]


async def test_the_room_sensors_offered_are_those_the_pump_uses(
    hass: HomeAssistant, pump: PumpEmulator, config_entry: MockConfigEntry
) -> None:
    """The real dump's pump wires sensors 3 and 4: they are enabled, the climate reads 3."""
    recorded = PumpState.from_dump(as_recorded=True)
    for number in (16, 17, 18, 19):
        pump.state.records[("MP", number)] = recorded.records[("MP", number)]
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    registry = er.async_get(hass)
    enabled = {
        number: entity.disabled_by is None
        for number in (1, 2, 3, 4)
        if (entity := registry.async_get(f"sensor.{DEVICE}_room_temperature_{number}"))
    }
    assert enabled == {1: False, 2: False, 3: True, 4: True}
    climate = hass.states.get(f"climate.{DEVICE}_heating_circuit")
    assert climate is not None
    assert climate.attributes["current_temperature"] == 21.9
    fourth = hass.states.get(f"sensor.{DEVICE}_room_temperature_4")
    assert fourth is not None
    assert fourth.state == "22.7"


async def test_the_demo_pump_agrees_with_itself(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """Compressor off, so it has run for 0 s; one room sensor, the first."""
    compressor = hass.states.get(f"binary_sensor.{DEVICE}_compressor")
    running_for = hass.states.get(f"sensor.{DEVICE}_compressor_running_for")
    assert compressor is not None and running_for is not None
    assert (compressor.state, float(running_for.state)) == ("off", 0.0)
    registry = er.async_get(hass)
    shown = sorted(
        entity.entity_id
        for entity in er.async_entries_for_config_entry(registry, loaded_entry.entry_id)
        if "room_temperature" in entity.entity_id and entity.disabled_by is None
    )
    assert shown == [f"sensor.{DEVICE}_room_temperature_1"]


async def test_climate_shows_presets(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, pump: PumpEmulator
) -> None:
    entity_id = f"climate.{DEVICE}_heating_circuit"
    state = hass.states.get(entity_id)
    assert state is not None
    assert (state.state, state.attributes["preset_mode"]) == ("auto", "none")
    assert state.attributes["current_temperature"] == 21.9  # room sensor 1, the one in use
    await hass.services.async_call(
        "climate",
        SERVICE_SET_PRESET_MODE,
        {ATTR_ENTITY_ID: entity_id, ATTR_PRESET_MODE: "holiday"},
        blocking=True,
    )
    state = hass.states.get(entity_id)
    assert state is not None
    assert (state.state, state.attributes["preset_mode"]) == ("auto", "holiday")


@pytest.mark.parametrize("options", [{CONF_READ_ONLY: True}])
async def test_read_only_mode_writes_nothing(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, pump: PumpEmulator
) -> None:
    # The settings keep their entities (and entity IDs); every write is refused.
    assert hass.states.get(f"number.{DEVICE}_room_setpoint") is not None
    assert hass.states.get(f"sensor.{DEVICE}_room_setpoint") is None
    climate = f"climate.{DEVICE}_heating_circuit"
    for domain, service, data in (
        ("climate", SERVICE_SET_PRESET_MODE, {ATTR_ENTITY_ID: climate, ATTR_PRESET_MODE: "party"}),
        ("climate", SERVICE_SET_TEMPERATURE, {ATTR_ENTITY_ID: climate, ATTR_TEMPERATURE: 20}),
        ("number", "set_value", {ATTR_ENTITY_ID: f"number.{DEVICE}_room_setpoint", "value": 20}),
        (
            "select",
            "select_option",
            {ATTR_ENTITY_ID: f"select.{DEVICE}_operating_mode", "option": "party"},
        ),
    ):
        with pytest.raises(ServiceValidationError) as err:
            await hass.services.async_call(domain, service, data, blocking=True)
        assert err.value.translation_key == "read_only_mode"
    assert pump.write_requests() == []


@pytest.mark.parametrize("options", [{CONF_EXPERT: True}])
async def test_expert_mode_offers_writable_points_disabled(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    pump: PumpEmulator,
) -> None:
    switch = entity_registry.async_get_entity_id("switch", "heliotherm_podero", "123456_sp_6")
    number = entity_registry.async_get_entity_id("number", "heliotherm_podero", "123456_sp_200")
    assert switch is not None and number is not None
    entry = entity_registry.async_get(number)
    assert entry is not None and entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    # Triggers are never offered.
    for trigger in ("sp_8", "sp_14", "sp_255", "sp_286"):
        for domain in ("switch", "number"):
            assert (
                entity_registry.async_get_entity_id(
                    domain, "heliotherm_podero", f"123456_{trigger}"
                )
                is None
            )
    # Enabling a setting switch makes it work after the reload.
    entity_registry.async_update_entity(switch, disabled_by=None)
    await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    await hass.services.async_call("switch", "turn_off", {ATTR_ENTITY_ID: switch}, blocking=True)
    assert pump.write_requests() == []  # the pump already holds 0: nothing is written
    await hass.services.async_call("switch", "turn_on", {ATTR_ENTITY_ID: switch}, blocking=True)
    assert pump.write_requests() == ["SP,NR=6,VAL=1"]


@pytest.mark.parametrize(
    ("compressor", "dhw_priority", "valve", "mode", "activity", "hvac_action"),
    [
        (True, False, False, 1, "heating", HVACAction.HEATING),  # automatic
        (True, True, False, 1, "hot_water", HVACAction.IDLE),  # the circuit waits for the tank
        (False, False, False, 3, "idle", HVACAction.IDLE),  # summer, compressor resting
        (True, False, False, 2, "cooling", HVACAction.COOLING),
        (True, False, True, 2, "cooling", HVACAction.COOLING),  # the valve reverses to cool
        (True, False, True, 1, "defrost", HVACAction.DEFROSTING),  # reversed while heating
        (True, True, True, 3, "defrost", HVACAction.DEFROSTING),  # ... or charging hot water
        (False, False, True, 1, "idle", HVACAction.IDLE),  # no compressor, no defrost
        (True, False, False, 0, "off", HVACAction.OFF),  # off wins over a running compressor
    ],
)
async def test_activity_and_hvac_action_follow_the_pump(
    hass: HomeAssistant,
    pump: PumpEmulator,
    config_entry: MockConfigEntry,
    compressor: bool,
    dhw_priority: bool,
    valve: bool,
    mode: int,
    activity: str,
    hvac_action: HVACAction,
) -> None:
    pump.state.records[("MP", 30)].set("VAL", str(int(compressor)))
    pump.state.records[("MP", 25)].set("VAL", str(int(dhw_priority)))
    pump.state.records[("MP", 32)].set("VAL", str(int(valve)))
    pump.state.records[("SP", 13)].set("VAL", str(mode))
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    sensor = hass.states.get(f"sensor.{DEVICE}_activity")
    assert sensor is not None
    assert sensor.state == activity
    climate = hass.states.get(f"climate.{DEVICE}_heating_circuit")
    assert climate is not None
    assert climate.attributes["hvac_action"] == hvac_action
