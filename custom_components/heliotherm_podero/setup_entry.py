"""Set up and unload a config entry: source, coordinator, platforms; services in async_setup."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .away import AwayModeManager
from .const import DOMAIN
from .coordinator import HeatPumpConfigEntry, HeatPumpCoordinator, enabled_keys
from .repairs import async_watch_clock
from .services import async_register_services
from .sources.model import CommunicationError, SourceError
from .sources.serial_factory import create_heliotherm_source

PLATFORMS = [
    Platform.BINARY_SENSOR,
    Platform.CLIMATE,
    Platform.NUMBER,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the integration's services."""
    async_register_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: HeatPumpConfigEntry) -> bool:
    """Connect to the pump, poll once, forward the platforms."""
    source = create_heliotherm_source(entry.data, entry.options)
    try:
        identity = await source.async_connect()
    except CommunicationError as err:
        await source.async_close()
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="cannot_connect",
            translation_placeholders={"error": str(err)},
        ) from err
    except SourceError as err:
        await source.async_close()
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="protocol_error",
            translation_placeholders={"error": str(err)},
        ) from err
    coordinator = HeatPumpCoordinator(hass, entry, source, identity)
    coordinator.polled_keys = enabled_keys(hass, coordinator)
    try:
        await coordinator.async_config_entry_first_refresh()
    except Exception:
        await source.async_close()
        raise
    coordinator.away = AwayModeManager(hass, entry, coordinator)
    await coordinator.away.async_load()
    entry.runtime_data = coordinator
    entry.async_on_unload(async_watch_clock(hass, entry, coordinator))
    entry.async_on_unload(entry.add_update_listener(_async_reload))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def _async_reload(hass: HomeAssistant, entry: HeatPumpConfigEntry) -> None:
    """Options or connection changed: start over with them."""
    await hass.config_entries.async_reload(entry.entry_id)


async def async_unload_entry(hass: HomeAssistant, entry: HeatPumpConfigEntry) -> bool:
    """Unload the platforms and release the serial port."""
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        coordinator = entry.runtime_data
        if coordinator.away is not None:
            coordinator.away.async_unschedule()
        await coordinator.source.async_close()
    return unloaded
