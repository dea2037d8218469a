"""Services: time programs, away mode, pause power, clock, fault list, any parameter (admin).

Registered once in async_setup; each call names the target pump by device, found by
``service_target.resolve``; the schemas are in ``service_schemas``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.service import async_register_admin_service
from homeassistant.util import dt as dt_util

from .away import AwayModeManager, normalise_period
from .clock import async_sync_clock
from .const import DOMAIN
from .errors import translated_errors
from .service_schemas import (
    ATTR_COUNT,
    ATTR_DAY,
    ATTR_DAYS,
    ATTR_DURATION,
    ATTR_END,
    ATTR_ENTRIES,
    ATTR_MINIMUM_TEMPERATURE,
    ATTR_PARAMETER,
    ATTR_PARAMETERS,
    ATTR_PROGRAM,
    ATTR_START,
    ATTR_TIME,
    ATTR_UNTIL,
    ATTR_VALUE,
    DEVICE_ONLY_SCHEMA,
    GET_FAULT_LIST_SCHEMA,
    GET_PARAMETERS_SCHEMA,
    GET_TIME_PROGRAM_SCHEMA,
    MAX_PAUSE,
    PAUSE_POWER_SCHEMA,
    SERVICE_CLEAR_AWAY_MODE,
    SERVICE_GET_FAULT_LIST,
    SERVICE_GET_PARAMETERS,
    SERVICE_GET_TIME_PROGRAM,
    SERVICE_LIST_TIME_PROGRAMS,
    SERVICE_PAUSE_POWER,
    SERVICE_RESUME_POWER,
    SERVICE_SET_AWAY_MODE,
    SERVICE_SET_PARAMETER,
    SERVICE_SET_TIME_PROGRAM,
    SERVICE_SYNC_CLOCK,
    SET_AWAY_SCHEMA,
    SET_PARAMETER_SCHEMA,
    SET_TIME_PROGRAM_SCHEMA,
    SYNC_CLOCK_SCHEMA,
)
from .service_target import Target, not_supported, resolve
from .sources.capabilities import (
    DeviceAwayMode,
    FaultEntry,
    FaultList,
    Parameters,
    PausePower,
    TimePrograms,
)
from .sources.commands import (
    ClearAway,
    Pause,
    Resume,
    SetAway,
    SetTimeProgram,
    WriteSetting,
)
from .sources.model import Source
from .sources.programs import (
    TimeProgram,
    TimeProgramEntry,
    TimeProgramInfo,
    format_time,
    parse_time,
)


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
    target = resolve(call, TimePrograms)
    index = call.data[ATTR_PROGRAM]
    with translated_errors():
        program = await target.coordinator.async_read(
            lambda: target.source.async_time_program(index)
        )
    return _program_response(program)


async def _set_time_program(call: ServiceCall) -> ServiceResponse:
    target = resolve(call, TimePrograms)
    days: list[tuple[int, Sequence[TimeProgramEntry]]] = [
        (int(day[ATTR_DAY]), [_parse_entry(raw) for raw in day[ATTR_ENTRIES]])
        for day in call.data[ATTR_DAYS]
    ]
    outcome = await target.coordinator.async_command(SetTimeProgram(call.data[ATTR_PROGRAM], days))
    program = outcome.program.whole if outcome.program is not None else None
    assert program is not None  # the command reports the whole program
    return _program_response(program)


async def _set_away_mode(call: ServiceCall) -> None:
    minimum = call.data.get(ATTR_MINIMUM_TEMPERATURE)
    target = resolve(call)
    if isinstance(target.source, DeviceAwayMode):
        start, end = normalise_period(call.data.get(ATTR_START), call.data[ATTR_END])
        await target.coordinator.async_command(SetAway(target.key, start, end, minimum))
        return
    away = _away_plan(target)
    if minimum is not None:  # the serial away mode has no floor temperature of its own
        raise not_supported()
    start, end = normalise_period(call.data.get(ATTR_START), call.data[ATTR_END])
    await away.async_set(start, end)


async def _clear_away_mode(call: ServiceCall) -> None:
    target = resolve(call)
    if isinstance(target.source, DeviceAwayMode):
        await target.coordinator.async_command(ClearAway(target.key))
        return
    await _away_plan(target).async_clear()


def _away_plan(target: Target[Source]) -> AwayModeManager:
    """The away plan kept in Home Assistant, for a source without an away mode of its own."""
    if target.runtime.away is None:
        raise not_supported()
    return target.runtime.away


async def _pause_power(call: ServiceCall) -> None:
    target = resolve(call, PausePower)
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
    await target.coordinator.async_command(Pause(target.key, until))


async def _resume_power(call: ServiceCall) -> None:
    target = resolve(call, PausePower)
    await target.coordinator.async_command(Resume(target.key))


async def _sync_clock(call: ServiceCall) -> None:
    await async_sync_clock(resolve(call).coordinator, call.data.get(ATTR_TIME))


async def _get_parameters(call: ServiceCall) -> ServiceResponse:
    target = resolve(call, Parameters)
    names = call.data[ATTR_PARAMETERS]
    with translated_errors():
        answers = await target.coordinator.async_read(
            lambda: target.source.async_get_parameters(names)
        )
    return cast(ServiceResponse, {"parameters": answers})


async def _list_time_programs(call: ServiceCall) -> ServiceResponse:
    target = resolve(call, TimePrograms)
    with translated_errors():
        programs = await target.coordinator.async_read(target.source.async_time_programs)
    return {"programs": [{**_program_header(info), "days": info.days} for info in programs]}


async def _get_fault_list(call: ServiceCall) -> ServiceResponse:
    target = resolve(call, FaultList)
    start = call.data[ATTR_START]
    end = start + call.data[ATTR_COUNT]
    with translated_errors():
        entries = await target.coordinator.async_read(
            lambda: target.source.async_fault_range(start, end)
        )
    return {"entries": [_fault_response(e) for e in entries]}


async def _set_parameter(call: ServiceCall) -> None:
    target = resolve(call, Parameters)
    with translated_errors():
        key = target.source.find_setting(str(call.data[ATTR_PARAMETER]))
    value = call.data[ATTR_VALUE]
    if isinstance(value, str):
        value = _number_from_text(value)
    await target.coordinator.async_command(WriteSetting(key, value))


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
