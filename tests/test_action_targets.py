"""Each action's device picker offers only the devices where the action works."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import selector
from homeassistant.helpers.service import SERVICE_DESCRIPTION_CACHE
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heliotherm_podero.const import DOMAIN


def _matches(device: dr.DeviceEntry, found: dict[str, Any]) -> bool:
    """As the frontend reads a device filter (of this integration's devices): every key."""
    assert found["integration"] == DOMAIN
    return all(
        getattr(device, key) == value for key, value in found.items() if key != "integration"
    )


async def offered(hass: HomeAssistant, action: str) -> set[str]:
    """The keys of the devices the action's picker offers."""
    # The description Home Assistant hands the frontend (the integration set it; all of
    # them would also load other integrations' service files, which is not the point here).
    description = hass.data[SERVICE_DESCRIPTION_CACHE][(DOMAIN, action)]
    assert description is not None
    config = description["fields"]["device_id"]["selector"]
    picker = selector.validate_selector(config)["device"]  # as Home Assistant reads it
    filters = picker["filter"]
    entries = {entry.entry_id for entry in hass.config_entries.async_entries(DOMAIN)}
    registry = dr.async_get(hass)
    devices = [d for entry in entries for d in dr.async_entries_for_config_entry(registry, entry)]
    return {
        key
        for device in devices
        if any(_matches(device, found) for found in filters)
        for domain, key in device.identifiers
        if domain == DOMAIN
    }


async def test_each_action_offers_only_the_devices_that_can_do_it(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    aris_loaded: MockConfigEntry,
    podero_loaded: MockConfigEntry,
) -> None:
    podero = {
        key
        for device in dr.async_entries_for_config_entry(dr.async_get(hass), podero_loaded.entry_id)
        for _, key in device.identifiers
    }
    assert len(podero) == 2
    for action in ("pause_power", "resume_power"):
        assert await offered(hass, action) == podero
    for action in ("set_away_mode", "clear_away_mode"):
        assert await offered(hass, action) == {"123456", *podero}
    for action in (
        "get_time_program",
        "set_time_program",
        "list_time_programs",
        "sync_clock",
        "get_fault_list",
        "get_parameters",
        "set_parameter",
    ):
        assert await offered(hass, action) == {"123456"}, action
    # Without the Podero account, no device can pause: the picker offers none.
    assert await hass.config_entries.async_unload(podero_loaded.entry_id)
    await hass.async_block_till_done()
    assert await offered(hass, "pause_power") == set()
    assert await offered(hass, "set_away_mode") == {"123456"}
