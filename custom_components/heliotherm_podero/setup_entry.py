"""Set up and unload a config entry: source, coordinator, platforms; services in async_setup."""

from __future__ import annotations

from datetime import timedelta

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.typing import ConfigType

from . import action_targets
from .away import AwayModeManager
from .compat import ENTRY_OK
from .const import (
    CONF_ELECTRICITY_METER,
    CONF_PROGRAMS_INTERVAL,
    CONF_WRITE_WARNING,
    DEFAULT_PROGRAMS_INTERVAL,
    DEFAULT_WRITE_WARNING,
    DOMAIN,
)
from .coordinator import HeatPumpCoordinator
from .cop import EfficiencyTracker, async_enable_with_meter, figures_of, unique_id
from .descriptions import platform_for
from .devices import async_load_models, async_register_devices
from .faults import FaultTracker
from .flows import mode_of
from .repairs import async_delete_entry_issues, async_watch_clock, async_watch_device_problems
from .runtime import HeatPumpConfigEntry, HeatPumpRuntime
from .schedules import ProgramCoordinator, enabled_programs
from .services import async_register_services
from .sources.capabilities import AwayMode, DynamicDevices, FaultHistory, TimePrograms
from .sources.model import AuthFailed, CommunicationError, Source, SourceError
from .sources.programs import TimeProgramInfo
from .wear import WearGuard

PLATFORMS = [
    Platform.BINARY_SENSOR,
    Platform.CALENDAR,
    Platform.CLIMATE,
    Platform.EVENT,
    Platform.NUMBER,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
    Platform.WATER_HEATER,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the integration's actions; their device pickers follow the devices."""
    async_register_services(hass)
    await action_targets.async_start(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: HeatPumpConfigEntry) -> bool | None:
    """Connect to the source, poll once, forward the platforms; any failure frees the port."""
    session = async_get_clientsession(hass)
    source = mode_of(entry.data).create_source(entry.data, entry.options, session)
    try:
        await _async_setup(hass, entry, source)
    except BaseException:
        await source.async_close()
        raise
    return ENTRY_OK


async def _async_setup(hass: HomeAssistant, entry: HeatPumpConfigEntry, source: Source) -> None:
    """The steps of a setup, in the order they depend on each other."""
    headers = await _async_connect(hass, entry, source)
    coordinator = await _async_first_poll(hass, entry, source)
    entry.runtime_data = runtime = await _async_helpers(hass, entry, coordinator, headers)
    _start_listening(hass, entry, runtime)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    _start_after_platforms(hass, entry, runtime)


async def _async_connect(
    hass: HomeAssistant, entry: HeatPumpConfigEntry, source: Source
) -> list[TimeProgramInfo]:
    """Reach the device(s): what they are and offer, and the time programs' headers.

    The source is told first which entities exist already (so a field absent right now keeps
    its entity); a failure becomes "not ready" (retried) or "reauthenticate".
    """
    if isinstance(source, DynamicDevices):
        registered = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        source.remember(entity.unique_id for entity in registered)
    try:
        await source.async_connect()
        if isinstance(source, TimePrograms):  # the calendars to offer
            return await source.async_time_programs()
    except AuthFailed as err:
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="auth_failed"
        ) from err
    except CommunicationError as err:
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="cannot_connect",
            translation_placeholders={"error": str(err)},
        ) from err
    except SourceError as err:
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="protocol_error",
            translation_placeholders={"error": str(err)},
        ) from err
    return []


async def _async_first_poll(
    hass: HomeAssistant, entry: HeatPumpConfigEntry, source: Source
) -> HeatPumpCoordinator:
    """The coordinator, polling what the enabled entities show, once; then the devices.

    The registry is tidied first (points moved to another platform, figures enabled by the
    owner's meter), because what is enabled decides what is polled.
    """
    await async_load_models(hass)
    coordinator = HeatPumpCoordinator(hass, entry, source)
    async_remove_moved_entities(hass, entry, coordinator)
    if entry.options.get(CONF_ELECTRICITY_METER):  # the owner's meter gives the COP a divisor
        async_enable_with_meter(hass, entry, source.efficiency)
    coordinator.polled_keys = enabled_keys(hass, coordinator)
    await coordinator.async_config_entry_first_refresh()
    async_register_devices(hass, entry.entry_id, source)
    return coordinator


async def _async_helpers(
    hass: HomeAssistant,
    entry: HeatPumpConfigEntry,
    coordinator: HeatPumpCoordinator,
    headers: list[TimeProgramInfo],
) -> HeatPumpRuntime:
    """What listens to the coordinator, each with what it stored (nothing listens yet)."""
    source = coordinator.source
    limit = int(entry.options.get(CONF_WRITE_WARNING, DEFAULT_WRITE_WARNING))
    faults = FaultTracker(hass, entry, coordinator)
    await faults.async_load()
    efficiency = EfficiencyTracker(hass, entry, coordinator)
    await efficiency.async_load()
    runtime = HeatPumpRuntime(
        coordinator=coordinator,
        wear=WearGuard(hass, coordinator, limit),
        faults=faults,
        efficiency=efficiency,
    )
    if isinstance(source, AwayMode):
        runtime.away = AwayModeManager(hass, entry, coordinator, source)
        await runtime.away.async_load()  # a step that fell due while stopped is carried out
    if isinstance(source, TimePrograms):
        runtime.programs = _programs(hass, entry, coordinator, source, headers)
    return runtime


def _start_listening(
    hass: HomeAssistant, entry: HeatPumpConfigEntry, runtime: HeatPumpRuntime
) -> None:
    """The helpers listen, once nothing of the setup can fail: a failure leaves none behind."""
    coordinator = runtime.coordinator
    entry.async_on_unload(runtime.wear.async_start())
    entry.async_on_unload(runtime.efficiency.async_start())
    entry.async_on_unload(async_watch_clock(hass, entry, coordinator))
    entry.async_on_unload(async_watch_device_problems(hass, entry, coordinator))
    entry.async_on_unload(entry.add_update_listener(_async_reload))
    if runtime.programs is not None:
        entry.async_on_unload(runtime.programs.async_follow_main())


def _start_after_platforms(
    hass: HomeAssistant, entry: HeatPumpConfigEntry, runtime: HeatPumpRuntime
) -> None:
    """What needs the entities: the fault events, the programs, the actions' pickers.

    Fault events are told to their entities. Whole programs are read right after setup:
    about 7 s for five would put the setup past Home Assistant's warning; their calendars
    are unavailable until then.
    """
    entry.async_on_unload(runtime.faults.async_start())
    if runtime.programs is not None and runtime.programs.wanted:
        entry.async_create_task(hass, runtime.programs.async_refresh(), "time programs")
    action_targets.async_update(hass)


def _programs(
    hass: HomeAssistant,
    entry: HeatPumpConfigEntry,
    coordinator: HeatPumpCoordinator,
    source: TimePrograms,
    headers: list[TimeProgramInfo],
) -> ProgramCoordinator:
    """The time programs' coordinator, reading the programs whose calendar is enabled."""
    device = next(iter(coordinator.source.devices))
    interval = timedelta(
        seconds=entry.options.get(CONF_PROGRAMS_INTERVAL, DEFAULT_PROGRAMS_INTERVAL.seconds)
    )
    programs = ProgramCoordinator(hass, coordinator, source, headers, device, interval)
    programs.wanted = enabled_programs(hass, entry, device, headers)
    return programs


@callback
def async_remove_moved_entities(
    hass: HomeAssistant, entry: HeatPumpConfigEntry, coordinator: HeatPumpCoordinator
) -> None:
    """Drop registry entries of points now shown on another platform.

    Earlier versions showed settings as sensors in read-only mode; the setting's own entity
    (and its entity ID) is the one that stays, so no orphan is left "unavailable".
    """
    registry = er.async_get(hass)
    by_unique_id = {point.unique_id: point for point in coordinator.source.points.values()}
    for registered in er.async_entries_for_config_entry(registry, entry.entry_id):
        point = by_unique_id.get(registered.unique_id)
        if point is not None and registered.domain != platform_for(point):
            registry.async_remove(registered.entity_id)


async def _async_reload(hass: HomeAssistant, entry: HeatPumpConfigEntry) -> None:
    """Options or connection changed: start over with them."""
    await hass.config_entries.async_reload(entry.entry_id)


async def async_remove_entry(hass: HomeAssistant, entry: HeatPumpConfigEntry) -> None:
    """The entry is deleted: its repair issues go with it."""
    async_delete_entry_issues(hass, entry.entry_id)


async def async_unload_entry(hass: HomeAssistant, entry: HeatPumpConfigEntry) -> bool | None:
    """Unload the platforms and release the serial port."""
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        runtime = entry.runtime_data
        if runtime.away is not None:
            runtime.away.async_unschedule()
        await runtime.efficiency.async_save()
        await runtime.source.async_close()
        action_targets.async_update(hass)
    return ENTRY_OK if unloaded else False


def enabled_keys(hass: HomeAssistant, coordinator: HeatPumpCoordinator) -> frozenset[str]:
    """Keys whose entity is enabled (in the registry, or by default when not registered yet).

    Only these are polled, with what climates, water heaters and enabled daily ratios read.
    Enabling an entity reloads the entry, which recomputes this.
    """
    registry = er.async_get(hass)

    def enabled(platform: Platform, unique_id: str, by_default: bool) -> bool:
        entity_id = registry.async_get_entity_id(platform, DOMAIN, unique_id)
        entry = registry.async_get(entity_id) if entity_id else None
        return not entry.disabled if entry is not None else by_default

    source = coordinator.source
    keys = {
        point.key
        for point in source.points.values()
        if enabled(platform_for(point), point.unique_id, point.enabled_by_default)
    }
    for climate in source.climates:
        keys |= climate.keys
    for tank in source.water_heaters:
        keys |= tank.keys
    # What the fault events read, whether or not its own entity is enabled
    keys |= {point.key for point in source.points.values() if point.fault is not None}
    if isinstance(source, FaultHistory):
        keys.add(source.fault_count_key)
    meter = bool(coordinator.config_entry.options.get(CONF_ELECTRICITY_METER))
    for spec in source.efficiency:  # the counters the COP figures read, if one is enabled
        divisor = spec.meters_in_use or meter
        if any(
            enabled(Platform.SENSOR, unique_id(spec, f), f.enabled_with_electricity and divisor)
            for f in figures_of(spec)
        ):
            keys |= spec.keys
    return frozenset(keys)
