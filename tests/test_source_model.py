"""The many-devices source model keeps the serial pump's entities exactly as they were."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heliotherm_podero.const import DOMAIN

# Unique IDs as versions before the device model registered them: "<serial>_<key>".
BEFORE = {
    ("number", "123456_sp_69"): "my_room_setpoint",
    ("select", "123456_sp_13"): "my_operating_mode",
    ("sensor", "123456_mp_0"): "my_outdoor_temperature",
    ("climate", "123456_heating_circuit"): "my_heating_circuit",
}


async def test_entry_registered_before_finds_the_same_entities(
    hass: HomeAssistant, config_entry: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    for (domain, unique_id), object_id in BEFORE.items():
        entity_registry.async_get_or_create(
            domain,
            DOMAIN,
            unique_id,
            config_entry=config_entry,
            suggested_object_id=object_id,
        )
    registered_before = len(
        er.async_entries_for_config_entry(entity_registry, config_entry.entry_id)
    )
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()

    for (domain, unique_id), object_id in BEFORE.items():
        entity_id = f"{domain}.{object_id}"
        assert entity_registry.async_get_entity_id(domain, DOMAIN, unique_id) == entity_id
        state = hass.states.get(entity_id)
        assert state is not None and state.state != "unavailable", entity_id
    entries = er.async_entries_for_config_entry(entity_registry, config_entry.entry_id)
    assert registered_before == len(BEFORE)
    assert len({e.unique_id for e in entries}) == len(entries)  # nothing registered twice
    assert all(e.unique_id.startswith("123456_") for e in entries)


async def test_the_pump_is_one_device_named_as_before(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> None:
    devices = dr.async_entries_for_config_entry(device_registry, loaded_entry.entry_id)
    assert [(d.identifiers, d.name, d.manufacturer, d.serial_number) for d in devices] == [
        ({(DOMAIN, "123456")}, "Heliotherm 123456", "Heliotherm", "123456")
    ]
