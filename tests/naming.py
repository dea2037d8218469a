"""Checks on what an owner reads on a device page: every name translated, none twice."""

from __future__ import annotations

from collections import Counter

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry


async def set_up_in(hass: HomeAssistant, entry: MockConfigEntry, language: str) -> None:
    """Set the entry up with Home Assistant speaking ``language`` (names are fixed at setup)."""
    hass.config.language = language
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


def duplicate_names(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, list[str]]:
    """Per device, the entity names shown more than once (none is the goal)."""
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    found: dict[str, list[str]] = {}
    for device in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id):
        names = Counter(
            state.name
            for entity in entities
            if entity.device_id == device.id
            and (state := hass.states.get(entity.entity_id)) is not None
        )
        twice = sorted(name for name, count in names.items() if count > 1)
        if twice:
            found[device.name or device.id] = twice
    return found


def untranslated(hass: HomeAssistant, entry: MockConfigEntry) -> list[str]:
    """Entities named by neither a translation nor their device (a device's main entity)."""
    return sorted(
        entity.entity_id
        for entity in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if entity.translation_key is None and entity.original_name is not None
    )
