"""Services: time programs, away mode, pause power, clock, fault list, any parameter (admin).

Registered once in async_setup; each call names the target pump by device.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any, cast

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.service import async_register_admin_service
from homeassistant.util import dt as dt_util

from .away import AwayModeManager, normalise_period
from .clock import async_sync_clock
from .compat import vol
from .const import DOMAIN
from .coordinator import HeatPumpCoordinator
from .errors import translated_errors
from .runtime import HeatPumpRuntime
from .sources.capabilities import (
    DeviceAwayMode,
    FaultEntry,
    FaultList,
    Parameters,
    PausePower,
    TimeProgram,
    TimeProgramEntry,
    TimeProgramInfo,
    TimePrograms,
    format_time,
    parse_time,
)

ATTR_DEVICE_ID = "device_id"
ATTR_PROGRAM = "program"
ATTR_DAYS = "days"
ATTR_DAY = "day"
ATTR_ENTRIES = "entries"
ATTR_START = "start"
ATTR_END = "end"
ATTR_COUNT = "count"
ATTR_PARAMETER = "parameter"
ATTR_VALUE = "value"

SERVICE_GET_TIME_PROGRAM = "get_time_program"
SERVICE_SET_TIME_PROGRAM = "set_time_program"
SERVICE_SET_AWAY_MODE = "set_away_mode"
SERVICE_CLEAR_AWAY_MODE = "clear_away_mode"
SERVICE_SYNC_CLOCK = "sync_clock"
SERVICE_GET_FAULT_LIST = "get_fault_list"
SERVICE_SET_PARAMETER = "set_parameter"
SERVICE_GET_PARAMETERS = "get_parameters"
SERVICE_LIST_TIME_PROGRAMS = "list_time_programs"
SERVICE_PAUSE_POWER = "pause_power"
SERVICE_RESUME_POWER = "resume_power"
ATTR_MINIMUM_TEMPERATURE = "minimum_temperature"
ATTR_DURATION = "duration"
ATTR_UNTIL = "until"
MAX_PAUSE = timedelta(days=7)
ATTR_PARAMETERS = "parameters"
ATTR_TIME = "time"

_DEVICE: dict[vol.Marker, Any] = {vol.Required(ATTR_DEVICE_ID): cv.string}
_ENTRY_SCHEMA = vol.Schema(
    {
        vol.Required("state"): vol.Coerce(int),
        vol.Required("begin"): cv.string,
        vol.Required("end"): cv.string,
    }
)
_DAY_SCHEMA = vol.Schema(
    {vol.Required(ATTR_DAY): vol.Coerce(int), vol.Required(ATTR_ENTRIES): [_ENTRY_SCHEMA]}
)
GET_TIME_PROGRAM_SCHEMA = vol.Schema({**_DEVICE, vol.Required(ATTR_PROGRAM): vol.Coerce(int)})
SET_TIME_PROGRAM_SCHEMA = vol.Schema(
    {
        **_DEVICE,
        vol.Required(ATTR_PROGRAM): vol.Coerce(int),
        vol.Required(ATTR_DAYS): vol.All(cv.ensure_list, [_DAY_SCHEMA]),
    }
)
SET_AWAY_SCHEMA = vol.Schema(
    {
        **_DEVICE,
        vol.Optional(ATTR_START): cv.datetime,
        vol.Required(ATTR_END): cv.datetime,
        vol.Optional(ATTR_MINIMUM_TEMPERATURE): vol.Coerce(float),
    }
)
PAUSE_POWER_SCHEMA = vol.Schema(
    {
        **_DEVICE,
        vol.Exclusive(ATTR_DURATION, "end"): cv.positive_time_period,
        vol.Exclusive(ATTR_UNTIL, "end"): cv.datetime,
    }
)
DEVICE_ONLY_SCHEMA = vol.Schema(_DEVICE)
SYNC_CLOCK_SCHEMA = vol.Schema({**_DEVICE, vol.Optional(ATTR_TIME): cv.datetime})
GET_PARAMETERS_SCHEMA = vol.Schema(
    {
        **_DEVICE,
        vol.Required(ATTR_PARAMETERS): vol.All(
            cv.ensure_list, [cv.string], vol.Length(min=1, max=100)
        ),
    }
)
GET_FAULT_LIST_SCHEMA = vol.Schema(
    {
        **_DEVICE,
        vol.Optional(ATTR_START, default=0): vol.All(vol.Coerce(int), vol.Range(min=0)),
        vol.Optional(ATTR_COUNT, default=20): vol.All(vol.Coerce(int), vol.Range(min=1, max=500)),
    }
)
SET_PARAMETER_SCHEMA = vol.Schema(
    {
        **_DEVICE,
        vol.Required(ATTR_PARAMETER): cv.string,
        vol.Required(ATTR_VALUE): vol.Any(bool, int, float, cv.string),
    }
)


def _coordinator(hass: HomeAssistant, device_id: str) -> HeatPumpCoordinator:
    """The coordinator of the entry that owns ``device_id``."""
    return _runtime(hass, device_id).coordinator


def _runtime(hass: HomeAssistant, device_id: str) -> HeatPumpRuntime:
    """The runtime data of the entry that owns ``device_id``.

    Looked up from the entries' side: a device's own list of entries is deprecated on newer
    Home Assistant releases (a device belongs to one entry there).
    """
    registry = dr.async_get(hass)
    for entry in hass.config_entries.async_entries(DOMAIN):
        devices = dr.async_entries_for_config_entry(registry, entry.entry_id)
        if any(device.id == device_id for device in devices):
            if entry.state is not ConfigEntryState.LOADED:
                raise ServiceValidationError(
                    translation_domain=DOMAIN, translation_key="not_loaded"
                )
            runtime: HeatPumpRuntime = entry.runtime_data
            return runtime
    raise ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="unknown_device",
        translation_placeholders={"device_id": device_id},
    )


def _not_supported() -> ServiceValidationError:
    return ServiceValidationError(translation_domain=DOMAIN, translation_key="not_supported")


def _time_programs(hass: HomeAssistant, device_id: str) -> TimePrograms:
    source = _coordinator(hass, device_id).source
    if not isinstance(source, TimePrograms):
        raise _not_supported()
    return source


def _parameters(hass: HomeAssistant, device_id: str) -> Parameters:
    source = _coordinator(hass, device_id).source
    if not isinstance(source, Parameters):
        raise _not_supported()
    return source


def _program_header(info: TimeProgramInfo) -> dict[str, Any]:
    return {
        "program": info.index,
        "name": info.name,
        "states": info.states,
        "step_minutes": info.step,
        "entries_per_day": info.entries_per_day,
    }


def _program_response(program: TimeProgram) -> dict[str, Any]:
    return {
        **_program_header(program.info),
        "days": [
            {
                ATTR_DAY: day,
                ATTR_ENTRIES: [
                    {"state": e.state, "begin": format_time(e.begin), "end": format_time(e.end)}
                    for e in entries
                ],
            }
            for day, entries in enumerate(program.days)
        ],
    }


def _fault_response(entry: FaultEntry) -> dict[str, Any]:
    return {
        "index": entry.index,
        "code": entry.code,
        "time": entry.time.replace(tzinfo=dt_util.get_default_time_zone()).isoformat(),
        "message": entry.message,
    }


def _parse_entry(raw: dict[str, Any]) -> TimeProgramEntry:
    try:
        return TimeProgramEntry(
            state=int(raw["state"]), begin=parse_time(raw["begin"]), end=parse_time(raw["end"])
        )
    except ValueError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_time",
            translation_placeholders={"time": f"{raw['begin']}-{raw['end']}"},
        ) from err


async def _get_time_program(call: ServiceCall) -> ServiceResponse:
    programs = _time_programs(call.hass, call.data[ATTR_DEVICE_ID])
    with translated_errors():
        program = await programs.async_time_program(call.data[ATTR_PROGRAM])
    return _program_response(program)


async def _set_time_program(call: ServiceCall) -> ServiceResponse:
    coordinator = _coordinator(call.hass, call.data[ATTR_DEVICE_ID])
    programs = _time_programs(call.hass, call.data[ATTR_DEVICE_ID])
    index = call.data[ATTR_PROGRAM]
    days: list[tuple[int, Sequence[TimeProgramEntry]]] = [
        (int(day[ATTR_DAY]), [_parse_entry(raw) for raw in day[ATTR_ENTRIES]])
        for day in call.data[ATTR_DAYS]
    ]
    try:
        with translated_errors():
            program = await programs.async_set_time_program(index, days)
    finally:
        coordinator.async_note_written([f"time_program_{index}"])
    return _program_response(program)


def _device_key(hass: HomeAssistant, device_id: str) -> str:
    """The source's key of a registered device."""
    device = dr.async_get(hass).async_get(device_id)
    keys = [key for domain, key in device.identifiers if domain == DOMAIN] if device else []
    if not keys:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_device",
            translation_placeholders={"device_id": device_id},
        )
    return keys[0]


async def _set_away_mode(call: ServiceCall) -> None:
    coordinator = _coordinator(call.hass, call.data[ATTR_DEVICE_ID])
    minimum = call.data.get(ATTR_MINIMUM_TEMPERATURE)
    source = coordinator.source
    if isinstance(source, DeviceAwayMode):
        start, end = normalise_period(call.data.get(ATTR_START), call.data[ATTR_END])
        key = _device_key(call.hass, call.data[ATTR_DEVICE_ID])
        await coordinator.async_run_write(source.async_set_away(key, start, end, minimum))
        return
    away = _away(call.hass, call.data[ATTR_DEVICE_ID])
    if minimum is not None:  # the serial away mode has no floor temperature of its own
        raise _not_supported()
    start, end = normalise_period(call.data.get(ATTR_START), call.data[ATTR_END])
    await away.async_set(start, end)


async def _clear_away_mode(call: ServiceCall) -> None:
    coordinator = _coordinator(call.hass, call.data[ATTR_DEVICE_ID])
    source = coordinator.source
    if isinstance(source, DeviceAwayMode):
        key = _device_key(call.hass, call.data[ATTR_DEVICE_ID])
        await coordinator.async_run_write(source.async_clear_away(key))
        return
    await _away(call.hass, call.data[ATTR_DEVICE_ID]).async_clear()


def _pause(hass: HomeAssistant, device_id: str) -> tuple[HeatPumpCoordinator, PausePower, str]:
    coordinator = _coordinator(hass, device_id)
    if not isinstance(coordinator.source, PausePower):
        raise _not_supported()
    return coordinator, coordinator.source, _device_key(hass, device_id)


async def _pause_power(call: ServiceCall) -> None:
    coordinator, source, key = _pause(call.hass, call.data[ATTR_DEVICE_ID])
    if (duration := call.data.get(ATTR_DURATION)) is not None:
        until = dt_util.utcnow() + duration
    elif (given := call.data.get(ATTR_UNTIL)) is not None:
        until = dt_util.as_utc(
            given if given.tzinfo else given.replace(tzinfo=dt_util.get_default_time_zone())
        )
    else:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="pause_end_missing")
    if not dt_util.utcnow() < until <= dt_util.utcnow() + MAX_PAUSE:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_pause",
            translation_placeholders={"days": str(MAX_PAUSE.days)},
        )
    await coordinator.async_run_write(source.async_pause_power(key, until))


async def _resume_power(call: ServiceCall) -> None:
    coordinator, source, key = _pause(call.hass, call.data[ATTR_DEVICE_ID])
    await coordinator.async_run_write(source.async_resume_power(key))


def _away(hass: HomeAssistant, device_id: str) -> AwayModeManager:
    away = _runtime(hass, device_id).away
    if away is None:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="not_supported")
    return away


async def _sync_clock(call: ServiceCall) -> None:
    coordinator = _coordinator(call.hass, call.data[ATTR_DEVICE_ID])
    await async_sync_clock(coordinator, call.data.get(ATTR_TIME))


async def _get_parameters(call: ServiceCall) -> ServiceResponse:
    parameters = _parameters(call.hass, call.data[ATTR_DEVICE_ID])
    with translated_errors():
        answers = await parameters.async_get_parameters(call.data[ATTR_PARAMETERS])
    return cast(ServiceResponse, {"parameters": answers})


async def _list_time_programs(call: ServiceCall) -> ServiceResponse:
    source = _time_programs(call.hass, call.data[ATTR_DEVICE_ID])
    with translated_errors():
        programs = await source.async_time_programs()
    return {"programs": [{**_program_header(info), "days": info.days} for info in programs]}


async def _get_fault_list(call: ServiceCall) -> ServiceResponse:
    faults = _coordinator(call.hass, call.data[ATTR_DEVICE_ID]).source
    if not isinstance(faults, FaultList):
        raise _not_supported()
    start = call.data[ATTR_START]
    with translated_errors():
        entries = await faults.async_fault_range(start, start + call.data[ATTR_COUNT])
    return {"entries": [_fault_response(e) for e in entries]}


async def _set_parameter(call: ServiceCall) -> None:
    coordinator = _coordinator(call.hass, call.data[ATTR_DEVICE_ID])
    parameters = _parameters(call.hass, call.data[ATTR_DEVICE_ID])
    with translated_errors():
        key = parameters.find_setting(str(call.data[ATTR_PARAMETER]))
    value = call.data[ATTR_VALUE]
    if isinstance(value, str):
        value = _number_from_text(value)
    await coordinator.async_write(key, value, any_setting=True)


def _number_from_text(text: str) -> bool | int | float | str:
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            continue
    return text  # refused as "not a number" by the client


def async_register_services(hass: HomeAssistant) -> None:
    """Register every service of the integration."""
    register = hass.services.async_register
    register(
        DOMAIN,
        SERVICE_GET_TIME_PROGRAM,
        _get_time_program,
        schema=GET_TIME_PROGRAM_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    register(
        DOMAIN,
        SERVICE_SET_TIME_PROGRAM,
        _set_time_program,
        schema=SET_TIME_PROGRAM_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    register(DOMAIN, SERVICE_SET_AWAY_MODE, _set_away_mode, schema=SET_AWAY_SCHEMA)
    register(DOMAIN, SERVICE_CLEAR_AWAY_MODE, _clear_away_mode, schema=DEVICE_ONLY_SCHEMA)
    register(DOMAIN, SERVICE_PAUSE_POWER, _pause_power, schema=PAUSE_POWER_SCHEMA)
    register(DOMAIN, SERVICE_RESUME_POWER, _resume_power, schema=DEVICE_ONLY_SCHEMA)
    register(DOMAIN, SERVICE_SYNC_CLOCK, _sync_clock, schema=SYNC_CLOCK_SCHEMA)
    register(
        DOMAIN,
        SERVICE_GET_PARAMETERS,
        _get_parameters,
        schema=GET_PARAMETERS_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    register(
        DOMAIN,
        SERVICE_LIST_TIME_PROGRAMS,
        _list_time_programs,
        schema=DEVICE_ONLY_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    register(
        DOMAIN,
        SERVICE_GET_FAULT_LIST,
        _get_fault_list,
        schema=GET_FAULT_LIST_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    async_register_admin_service(
        hass,
        DOMAIN,
        SERVICE_SET_PARAMETER,
        _set_parameter,
        schema=SET_PARAMETER_SCHEMA,
    )
