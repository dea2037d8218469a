"""Every Aris platform's entities, snapshot-tested against the mock's seeded system."""

from __future__ import annotations

from unittest.mock import patch

import pytest
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry, snapshot_platform
from syrupy.assertion import SnapshotAssertion

from ..naming import duplicate_names, set_up_in, untranslated


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize(
    "platform",
    [Platform.BINARY_SENSOR, Platform.CLIMATE, Platform.NUMBER, Platform.SELECT, Platform.SENSOR],
)
async def test_entities(
    hass: HomeAssistant,
    aris_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    platform: Platform,
) -> None:
    with patch("custom_components.heliotherm_podero.setup_entry.PLATFORMS", [platform]):
        assert await hass.config_entries.async_setup(aris_entry.entry_id)
        await hass.async_block_till_done()
    await snapshot_platform(hass, entity_registry, snapshot, aris_entry.entry_id)


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("language", ["en", "de"])
async def test_names_are_translated_and_distinct(
    hass: HomeAssistant, aris_entry: MockConfigEntry, language: str
) -> None:
    await set_up_in(hass, aris_entry, language)
    assert len(hass.states.async_all()) > 50
    assert duplicate_names(hass, aris_entry) == {}
    assert untranslated(hass, aris_entry) == []
