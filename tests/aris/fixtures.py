"""Fixtures: an entry for the Aris mock (the mock itself: tests/sources/aris)."""

from __future__ import annotations

import pytest
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heliotherm_podero.const import (
    CONF_FCU_IDS,
    CONF_HEAT_PUMP_IDS,
    CONF_HOST,
    CONF_MODE,
    CONF_TOKEN,
    DOMAIN,
    MODE_ARIS,
)
from tests.sources.aris.mock import TOKEN


@pytest.fixture
def aris_entry(hass: HomeAssistant, aris_host: str) -> MockConfigEntry:
    """An Aris entry for the mock, with the heat pump's and the fan coil's ids entered."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Aris Brain",
        unique_id="aris_hcu_main",
        data={CONF_MODE: MODE_ARIS, CONF_HOST: aris_host, CONF_TOKEN: TOKEN},
        options={CONF_HEAT_PUMP_IDS: "hp_outdoor_1", CONF_FCU_IDS: "fcu_01a9"},
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
async def aris_loaded(hass: HomeAssistant, aris_entry: MockConfigEntry) -> MockConfigEntry:
    """The Aris entry, set up."""
    assert await hass.config_entries.async_setup(aris_entry.entry_id)
    await hass.async_block_till_done()
    return aris_entry
