"""Setup, unload, reload and link faults of a serial entry against the emulator."""

from __future__ import annotations

from datetime import timedelta

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from tests.conftest import pump_device
from tests.emulators.heliotherm_pump import PumpEmulator


async def test_setup_and_unload(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    assert loaded_entry.state == ConfigEntryState.LOADED
    state = hass.states.get("sensor.heliotherm_123456_outdoor_temperature")
    assert state is not None
    assert state.state == "4.8"
    device = pump_device(hass, loaded_entry.entry_id)
    assert device.sw_version == "3.0.14 (build 8488)"
    coordinator = loaded_entry.runtime_data.coordinator
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    assert loaded_entry.state is ConfigEntryState.NOT_LOADED
    assert not coordinator.source.client.link.is_open


async def test_setup_retries_when_pump_is_silent(
    hass: HomeAssistant, config_entry: MockConfigEntry, pump: PumpEmulator
) -> None:
    await pump.stop()
    assert not await hass.config_entries.async_setup(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY


async def test_link_fault_makes_entities_unavailable_and_recovers(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    entity_id = "sensor.heliotherm_123456_outdoor_temperature"
    port = pump.port
    await pump.stop()
    for _ in range(3):
        freezer.tick(timedelta(seconds=31))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == STATE_UNAVAILABLE
    assert caplog.text.count("Error fetching") == 1  # logged once
    pump.set_value("MP", 0, 7.5)
    await pump.start_tcp(port=port or 0)
    freezer.tick(timedelta(seconds=31))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == "7.5"
    assert "Fetching" in caplog.text and "recovered" in caplog.text
