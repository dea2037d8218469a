"""Config flow: a menu of connection modes; serial probes the pump before creating the entry."""

from __future__ import annotations

import logging
import os
from typing import Any

from homeassistant.config_entries import (
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.core import callback
from homeassistant.helpers import selector

from .compat import vol
from .const import (
    CONF_BAUDRATE,
    CONF_EXPERT,
    CONF_MODE,
    CONF_PORT,
    CONF_READ_ONLY,
    CONF_SCAN_INTERVAL,
    CONF_SERIAL_NUMBER,
    CONF_SETTINGS_INTERVAL,
    CONF_WRITE_WARNING,
    DEFAULT_BAUDRATE,
    DEFAULT_SCAN_INTERVAL,
    DEFAULT_SETTINGS_INTERVAL,
    DEFAULT_WRITE_WARNING,
    DOMAIN,
    MAX_SCAN_INTERVAL_S,
    MIN_SCAN_INTERVAL_S,
    MODE_SERIAL,
)
from .coordinator import HeatPumpConfigEntry
from .sources.factory import SUPPORTED_BAUD_RATES, probe_serial_pump
from .sources.model import CannotConnect, ResponseTimeout, SourceError

_LOGGER = logging.getLogger(__name__)
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


def _serial_schema(defaults: dict[str, Any]) -> vol.Schema:
    return vol.Schema(
        {
            vol.Required(CONF_PORT, default=defaults.get(CONF_PORT, vol.UNDEFINED)): (
                _port_selector()
            ),
            vol.Required(
                CONF_BAUDRATE, default=str(defaults.get(CONF_BAUDRATE, DEFAULT_BAUDRATE))
            ): selector.SelectSelector(
                selector.SelectSelectorConfig(
                    options=[str(rate) for rate in SUPPORTED_BAUD_RATES],
                    mode=selector.SelectSelectorMode.DROPDOWN,
                )
            ),
        }
    )


class HeliothermPoderoConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up a heat pump."""

    VERSION = 1

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose how the heat pump is reached."""
        return self.async_show_menu(step_id="user", menu_options=[MODE_SERIAL])

    async def _async_probe(
        self, user_input: dict[str, Any]
    ) -> tuple[dict[str, str], dict[str, Any], int | None]:
        errors: dict[str, str] = {}
        port = await self.hass.async_add_executor_job(stable_port, user_input[CONF_PORT].strip())
        baudrate = int(user_input[CONF_BAUDRATE])
        data: dict[str, Any] = {CONF_MODE: MODE_SERIAL, CONF_PORT: port, CONF_BAUDRATE: baudrate}
        identity: int | None = None  # the pump's serial number
        try:
            identity = await probe_serial_pump(port, baudrate, PROBE_TIMEOUT)
        except CannotConnect:
            errors[CONF_PORT] = "cannot_open"
        except ResponseTimeout:
            errors[CONF_PORT] = "no_answer"
        except SourceError:
            errors[CONF_PORT] = "protocol_error"
        return errors, data, identity

    def _port_in_use(self, port: str, exclude_entry_id: str | None = None) -> bool:
        return any(
            entry.data.get(CONF_PORT) == port and entry.entry_id != exclude_entry_id
            for entry in self._async_current_entries(include_ignore=False)
        )

    async def async_step_serial(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for port and baud rate, probe the pump, create the entry."""
        errors: dict[str, str] = {}
        if user_input is not None:
            errors, data, identity = await self._async_probe(user_input)
            if not errors and self._port_in_use(data[CONF_PORT]):
                errors[CONF_PORT] = "port_in_use"
            if not errors and identity is not None:
                await self.async_set_unique_id(str(identity))
                self._abort_if_unique_id_configured()
                data[CONF_SERIAL_NUMBER] = identity
                return self.async_create_entry(title=f"Heliotherm {identity}", data=data)
        return self.async_show_form(
            step_id="serial",
            data_schema=self.add_suggested_values_to_schema(_serial_schema({}), user_input),
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change port or baud rate; the same pump must answer."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            errors, data, identity = await self._async_probe(user_input)
            if not errors and self._port_in_use(data[CONF_PORT], entry.entry_id):
                errors[CONF_PORT] = "port_in_use"
            if not errors and identity is not None:
                await self.async_set_unique_id(str(identity))
                self._abort_if_unique_id_mismatch(reason="wrong_device")
                # The entry's update listener reloads it; no second reload from here.
                self.hass.config_entries.async_update_entry(entry, data={**entry.data, **data})
                return self.async_abort(reason="reconfigure_successful")
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=_serial_schema(dict(entry.data)),
            errors=errors,
        )

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: HeatPumpConfigEntry) -> HeliothermOptionsFlow:
        """Polling intervals, read-only mode, expert parameters."""
        return HeliothermOptionsFlow()


class HeliothermOptionsFlow(OptionsFlow):
    """Options of a serial entry."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show and store the options; the entry reloads to apply them."""
        if user_input is not None:
            return self.async_create_entry(data=user_input)
        options = self.config_entry.options
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_SCAN_INTERVAL,
                    default=options.get(CONF_SCAN_INTERVAL, DEFAULT_SCAN_INTERVAL.seconds),
                ): selector.NumberSelector(
                    selector.NumberSelectorConfig(
                        min=MIN_SCAN_INTERVAL_S,
                        max=MAX_SCAN_INTERVAL_S,
                        unit_of_measurement="s",
                        mode=selector.NumberSelectorMode.BOX,
                    )
                ),
                vol.Required(
                    CONF_SETTINGS_INTERVAL,
                    default=options.get(CONF_SETTINGS_INTERVAL, DEFAULT_SETTINGS_INTERVAL.seconds),
                ): selector.NumberSelector(
                    selector.NumberSelectorConfig(
                        min=60,
                        max=86400,
                        unit_of_measurement="s",
                        mode=selector.NumberSelectorMode.BOX,
                    )
                ),
                vol.Required(
                    CONF_READ_ONLY, default=options.get(CONF_READ_ONLY, False)
                ): selector.BooleanSelector(),
                vol.Required(
                    CONF_EXPERT, default=options.get(CONF_EXPERT, False)
                ): selector.BooleanSelector(),
                vol.Required(
                    CONF_WRITE_WARNING,
                    default=options.get(CONF_WRITE_WARNING, DEFAULT_WRITE_WARNING),
                ): selector.NumberSelector(
                    selector.NumberSelectorConfig(
                        min=1, max=1000, step=1, mode=selector.NumberSelectorMode.BOX
                    )
                ),
            }
        )
        return self.async_show_form(step_id="init", data_schema=schema)
