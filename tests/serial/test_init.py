"""A serial entry whose pump is silent at setup (the rest: tests/test_every_mode.py)."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.emulators.heliotherm_pump import PumpEmulator


async def test_setup_retries_when_pump_is_silent(
    hass: HomeAssistant, config_entry: MockConfigEntry, pump: PumpEmulator
) -> None:
    await pump.stop()
    assert not await hass.config_entries.async_setup(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY
