"""The hot-water tank as a water heater: state, temperatures, the pump's limits, safe writes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import ATTR_ENTITY_ID, ATTR_TEMPERATURE
from homeassistant.core import HomeAssistant, State
from homeassistant.exceptions import ServiceValidationError
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heliotherm_podero.const import CONF_READ_ONLY
from tests.conftest import tick
from tests.emulators.heliotherm_pump import PumpEmulator

TANK = "water_heater.heliotherm_123456_hot_water_tank"
NORMAL_TEMPERATURE = "number.heliotherm_123456_normal_hot_water_temp"


def _state(hass: HomeAssistant, entity_id: str = TANK) -> State:
    state = hass.states.get(entity_id)
    assert state is not None
    return state


async def _set_up(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def _set_temperature(hass: HomeAssistant, temperature: float) -> None:
    await hass.services.async_call(
        "water_heater",
        "set_temperature",
        {ATTR_ENTITY_ID: TANK, ATTR_TEMPERATURE: temperature},
        blocking=True,
    )


async def test_tank_temperature_setpoint_and_the_pumps_limits(
    hass: HomeAssistant, pump: PumpEmulator, config_entry: MockConfigEntry
) -> None:
    pump.state.records[("SP", 83)].set("MAX", "60")  # narrower than the catalog's 75
    await _set_up(hass, config_entry)
    state = _state(hass)
    assert state.state == "idle"
    assert state.attributes["current_temperature"] == 42.3  # MP 2, the tank
    assert state.attributes["temperature"] == 48  # SP 83, the normal temperature
    assert (state.attributes["min_temp"], state.attributes["max_temp"]) == (10, 60)
    assert state.attributes["target_temp_step"] == 1
    assert state.attributes["friendly_name"] == "Heliotherm 123456 Hot water tank"


async def test_state_follows_hot_water_charging_and_the_operating_mode(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,  # first: the entry's clocks start frozen
    pump: PumpEmulator,
    config_entry: MockConfigEntry,
) -> None:
    await _set_up(hass, config_entry)
    assert _state(hass).state == "idle"
    pump.set_value("MP", 25, 1)  # hot-water priority: the pump charges the tank
    await tick(hass, freezer, timedelta(seconds=31))
    assert _state(hass).state == "charging"
    pump.set_value("SP", 13, 0)  # off stops heating and hot water: read with the settings
    await tick(hass, freezer, timedelta(minutes=5))
    assert _state(hass).state == "off"


async def test_setting_the_target_writes_the_normal_temperature(
    hass: HomeAssistant, pump: PumpEmulator, config_entry: MockConfigEntry
) -> None:
    await _set_up(hass, config_entry)
    await _set_temperature(hass, 52)
    assert pump.write_requests() == ["SP,NR=83,VAL=52"]
    assert _state(hass).attributes["temperature"] == 52
    assert _state(hass, NORMAL_TEMPERATURE).state == "52"  # one setting, two views


@pytest.mark.parametrize("temperature", [61, 9, 50.5])
async def test_a_target_the_pump_refuses_is_never_sent(
    hass: HomeAssistant, pump: PumpEmulator, config_entry: MockConfigEntry, temperature: float
) -> None:
    pump.state.records[("SP", 83)].set("MAX", "60")
    await _set_up(hass, config_entry)
    with pytest.raises(ServiceValidationError):
        await _set_temperature(hass, temperature)
    assert pump.write_requests() == []
    assert _state(hass).attributes["temperature"] == 48


@pytest.mark.parametrize("options", [{CONF_READ_ONLY: True}])
async def test_read_only_mode_writes_no_target(
    hass: HomeAssistant, pump: PumpEmulator, loaded_entry: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await _set_temperature(hass, 50)
    assert err.value.translation_key == "read_only_mode"
    assert pump.write_requests() == []


async def test_unavailable_while_the_pump_is_gone(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    pump: PumpEmulator,
    config_entry: MockConfigEntry,
) -> None:
    await _set_up(hass, config_entry)
    await pump.stop()
    await tick(hass, freezer, timedelta(seconds=31))
    assert _state(hass).state == "unavailable"
