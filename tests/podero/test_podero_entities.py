"""Every Podero platform's entities, snapshot-tested against the mock's two seeded pumps."""

from __future__ import annotations

from unittest.mock import patch

import pytest
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry, snapshot_platform
from syrupy.assertion import SnapshotAssertion

from custom_components.heliotherm_podero.setup_entry import PLATFORMS

from ..naming import duplicate_names, set_up_in, untranslated


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
# Podero has every platform but the water heater (it reports no tank) and the calendar (no
# time programs)
@pytest.mark.parametrize(
    "platform", [p for p in PLATFORMS if p not in (Platform.WATER_HEATER, Platform.CALENDAR)]
)
async def test_entities(
    hass: HomeAssistant,
    podero_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    platform: Platform,
) -> None:
    with patch("custom_components.heliotherm_podero.setup_entry.PLATFORMS", [platform]):
        assert await hass.config_entries.async_setup(podero_entry.entry_id)
        await hass.async_block_till_done()
    await snapshot_platform(hass, entity_registry, snapshot, podero_entry.entry_id)


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("language", ["en", "de"])
async def test_names_are_translated_and_distinct(
    hass: HomeAssistant, podero_entry: MockConfigEntry, language: str
) -> None:
    await set_up_in(hass, podero_entry, language)
    assert len(hass.states.async_all()) > 70
    assert duplicate_names(hass, podero_entry) == {}
    assert untranslated(hass, podero_entry) == []
