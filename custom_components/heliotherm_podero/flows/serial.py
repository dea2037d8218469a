"""The serial mode's forms: port and baud rate, probed by asking the pump for its serial number."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, override

import aiohttp
from homeassistant.config_entries import ConfigEntry
from homeassistant.data_entry_flow import AbortFlow
from homeassistant.helpers import selector

from ..compat import vol
from ..const import (
    CONF_BAUDRATE,
    CONF_COUNTERS_INTERVAL,
    CONF_EXPERT,
    CONF_PORT,
    CONF_PROGRAM_FIRST_DAY,
    CONF_PROGRAM_LEVEL_NAMES,
    CONF_PROGRAMS_INTERVAL,
    CONF_SERIAL_NUMBER,
    CONF_SETTINGS_INTERVAL,
    CONF_WRITE_WARNING,
    DEFAULT_BAUDRATE,
    DEFAULT_COUNTERS_INTERVAL,
    DEFAULT_PROGRAM_FIRST_DAY,
    DEFAULT_PROGRAMS_INTERVAL,
    DEFAULT_SETTINGS_INTERVAL,
    DEFAULT_WRITE_WARNING,
    MIN_PROGRAMS_INTERVAL_S,
)
from ..sources.factory import (
    SUPPORTED_BAUD_RATES,
    create_heliotherm_source,
    probe_serial_pump,
)
from ..sources.heliotherm.source import HeliothermSource
from ..sources.model import CannotConnect, ResponseTimeout, Source, SourceError
from ..weekly import FIRST_DAYS
from .base import FieldError, FlowContext, FlowMode, Found, efficiency_fields, seconds_selector

BY_ID_DIR = "/dev/serial/by-id"
PROBE_TIMEOUT = 3.0  # seconds per reply while probing


def stable_port(port: str) -> str:
    """The ``/dev/serial/by-id/...`` alias of a USB adapter, else the port as given."""
    if not port.startswith("/dev/") or port.startswith(BY_ID_DIR):
        return port
    try:
        names = sorted(os.listdir(BY_ID_DIR))
    except OSError:
        return port
    real = os.path.realpath(port)
    for name in names:
        alias = os.path.join(BY_ID_DIR, name)
        if os.path.realpath(alias) == real:
            return alias
    return port


def _port_selector() -> selector.Selector[Any]:
    """Home Assistant's serial port selector where it exists (2026.5+), else a text field."""
    serial_selector = getattr(selector, "SerialPortSelector", None)
    if serial_selector is not None:  # pragma: no cover - Home Assistant 2026.5+
        return serial_selector()  # type: ignore[no-any-return]
    return selector.TextSelector()  # pragma: no cover - Home Assistant before 2026.5


class SerialFlow(FlowMode):
    """A Heliotherm pump on a serial line."""

    mode = "serial"
    source_class = HeliothermSource
    secret_keys = frozenset({CONF_SERIAL_NUMBER})
    errors = (
        (CannotConnect, CONF_PORT, "cannot_open"),
        (ResponseTimeout, CONF_PORT, "no_answer"),
        (SourceError, CONF_PORT, "protocol_error"),
    )

    @property
    @override
    def source_name(self) -> str:
        return "heliotherm"  # the fault events' source: the maker, as the pump reports its faults

    @override
    def create_source(
        self, data: Mapping[str, Any], options: Mapping[str, Any], session: aiohttp.ClientSession
    ) -> Source:
        return create_heliotherm_source(data, options)  # a serial line needs no session

    @override
    def setup_schema(self) -> vol.Schema:
        return vol.Schema(
            {
                vol.Required(CONF_PORT): _port_selector(),
                vol.Required(CONF_BAUDRATE, default=str(DEFAULT_BAUDRATE)): (
                    selector.SelectSelector(
                        selector.SelectSelectorConfig(
                            options=[str(rate) for rate in SUPPORTED_BAUD_RATES],
                            mode=selector.SelectSelectorMode.DROPDOWN,
                        )
                    )
                ),
            }
        )

    @override
    def reconfigure_suggested(self, entry: ConfigEntry) -> dict[str, Any]:
        return {
            CONF_PORT: entry.data[CONF_PORT],
            CONF_BAUDRATE: str(entry.data.get(CONF_BAUDRATE, DEFAULT_BAUDRATE)),
        }

    @override
    async def async_setup(self, ctx: FlowContext, user_input: dict[str, Any]) -> Found:
        port = await self._stable_port(ctx, user_input)
        if _in_use(ctx, port):
            # That pump is set up already; a probe would only disturb its entry's link.
            raise AbortFlow("already_configured")
        found = await self._probe(port, user_input)
        identity = found.data[CONF_SERIAL_NUMBER]
        return Found(found.unique_id, found.data, title=f"Heliotherm {identity}")

    @override
    async def async_reconfigure(self, ctx: FlowContext, user_input: dict[str, Any]) -> Found:
        port = await self._stable_port(ctx, user_input)
        found = await self._probe(port, user_input)
        if _in_use(ctx, port):
            raise FieldError({CONF_PORT: "port_in_use"})
        return found

    async def _stable_port(self, ctx: FlowContext, user_input: Mapping[str, Any]) -> str:
        """The port as stored: trimmed, a USB device by its stable by-id alias."""
        return await ctx.hass.async_add_executor_job(stable_port, user_input[CONF_PORT].strip())

    async def _probe(self, port: str, user_input: Mapping[str, Any]) -> Found:
        baudrate = int(user_input[CONF_BAUDRATE])
        data = {CONF_PORT: port, CONF_BAUDRATE: baudrate}
        identity = await self.checked(probe_serial_pump(port, baudrate, PROBE_TIMEOUT), data)
        return Found(str(identity), {**data, CONF_SERIAL_NUMBER: identity})

    @override
    def options_fields(self, options: Mapping[str, Any]) -> dict[vol.Marker, Any]:
        slow = {
            CONF_SETTINGS_INTERVAL: DEFAULT_SETTINGS_INTERVAL,
            CONF_COUNTERS_INTERVAL: DEFAULT_COUNTERS_INTERVAL,
        }
        fields: dict[vol.Marker, Any] = {
            vol.Required(key, default=options.get(key, default.seconds)): seconds_selector(
                60, 86400
            )
            for key, default in slow.items()
        }
        programs = options.get(CONF_PROGRAMS_INTERVAL, DEFAULT_PROGRAMS_INTERVAL.seconds)
        fields[vol.Required(CONF_PROGRAMS_INTERVAL, default=programs)] = seconds_selector(
            MIN_PROGRAMS_INTERVAL_S, 86400
        )
        fields[vol.Required(CONF_EXPERT, default=options.get(CONF_EXPERT, False))] = (
            selector.BooleanSelector()
        )
        fields[
            vol.Required(
                CONF_WRITE_WARNING, default=options.get(CONF_WRITE_WARNING, DEFAULT_WRITE_WARNING)
            )
        ] = selector.NumberSelector(
            selector.NumberSelectorConfig(
                min=1, max=1000, step=1, mode=selector.NumberSelectorMode.BOX
            )
        )
        first_day = options.get(CONF_PROGRAM_FIRST_DAY, DEFAULT_PROGRAM_FIRST_DAY)
        fields[vol.Required(CONF_PROGRAM_FIRST_DAY, default=first_day)] = selector.SelectSelector(
            selector.SelectSelectorConfig(
                options=list(FIRST_DAYS),
                translation_key=CONF_PROGRAM_FIRST_DAY,
                mode=selector.SelectSelectorMode.DROPDOWN,
            )
        )
        levels = options.get(CONF_PROGRAM_LEVEL_NAMES, "")
        fields[vol.Optional(CONF_PROGRAM_LEVEL_NAMES, default=levels)] = selector.TextSelector()
        return {**fields, **efficiency_fields(options)}


def _in_use(ctx: FlowContext, port: str) -> bool:
    """Whether another entry than the one at hand uses the port."""
    own = ctx.entry.entry_id if ctx.entry else None
    return any(entry.data.get(CONF_PORT) == port and entry.entry_id != own for entry in ctx.entries)
