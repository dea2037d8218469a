"""Config flow: a menu of connection modes; serial probes the pump before creating the entry."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from homeassistant.config_entries import (
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.core import callback
from homeassistant.helpers import selector
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .compat import abort_done, vol
from .const import (
    CONF_BASE_URL,
    CONF_BAUDRATE,
    CONF_CLIENT_ID,
    CONF_CLIENT_SECRET,
    CONF_COUNTERS_INTERVAL,
    CONF_ENVIRONMENT,
    CONF_EXPERT,
    CONF_FCU_IDS,
    CONF_HEAT_PUMP_IDS,
    CONF_HOST,
    CONF_MODE,
    CONF_ORG_ID,
    CONF_PORT,
    CONF_READ_ONLY,
    CONF_SCAN_INTERVAL,
    CONF_SERIAL_NUMBER,
    CONF_SETTINGS_INTERVAL,
    CONF_TOKEN,
    CONF_USER_ID,
    CONF_WRITE_WARNING,
    DEFAULT_ARIS_HOST,
    DEFAULT_BAUDRATE,
    DEFAULT_COUNTERS_INTERVAL,
    DEFAULT_SETTINGS_INTERVAL,
    DEFAULT_WRITE_WARNING,
    DOMAIN,
    MAX_SCAN_INTERVAL_S,
    MIN_PODERO_SCAN_INTERVAL_S,
    MIN_SCAN_INTERVAL_S,
    MODE_ARIS,
    MODE_PODERO,
    MODE_SERIAL,
    PODERO_ENVIRONMENTS,
)
from .runtime import HeatPumpConfigEntry
from .sources.factory import (
    SUPPORTED_BAUD_RATES,
    PoderoUnknownUser,
    default_scan_interval,
    probe_aris,
    probe_podero,
    probe_serial_pump,
    split_ids,
)
from .sources.model import (
    AuthFailed,
    CannotConnect,
    CommunicationError,
    ResponseTimeout,
    SourceError,
)

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
        return self.async_show_menu(
            step_id="user", menu_options=[MODE_SERIAL, MODE_ARIS, MODE_PODERO]
        )

    async def _async_stable_port(self, user_input: dict[str, Any]) -> str:
        """The port as stored: trimmed, a USB device by its stable by-id alias."""
        return await self.hass.async_add_executor_job(stable_port, user_input[CONF_PORT].strip())

    async def _async_probe(
        self, port: str, user_input: dict[str, Any]
    ) -> tuple[dict[str, str], dict[str, Any], int | None]:
        errors: dict[str, str] = {}
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
            port = await self._async_stable_port(user_input)
            if self._port_in_use(port):
                # That pump is set up already; a probe would only disturb its entry's link.
                return self.async_abort(reason="already_configured")
            errors, data, identity = await self._async_probe(port, user_input)
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

    async def _async_probe_aris(
        self, host: str, token: str, ids_text: str
    ) -> tuple[dict[str, str], str | None]:
        errors: dict[str, str] = {}
        hcu_id: str | None = None
        try:
            probe = await probe_aris(
                async_get_clientsession(self.hass), host, token, split_ids(ids_text)
            )
        except AuthFailed:
            errors[CONF_TOKEN] = "invalid_auth"
        except CommunicationError as err:
            _LOGGER.debug("Aris Brain at %s not reached: %s", host, err)
            errors[CONF_HOST] = (
                "cannot_connect" if isinstance(err, CannotConnect | ResponseTimeout) else "not_aris"
            )
        except SourceError:
            errors[CONF_HOST] = "not_aris"
        else:
            hcu_id = probe.hcu_id
            if probe.unknown_heat_pumps:
                errors[CONF_HEAT_PUMP_IDS] = "unknown_heat_pump"
        return errors, hcu_id

    async def async_step_aris(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for host and API token (and heat-pump ids), probe the Brain, create the entry."""
        errors: dict[str, str] = {}
        if user_input is not None:
            host = user_input[CONF_HOST].strip()
            ids = user_input.get(CONF_HEAT_PUMP_IDS, "").strip()
            errors, hcu_id = await self._async_probe_aris(host, user_input[CONF_TOKEN], ids)
            if not errors and hcu_id is not None:
                await self.async_set_unique_id(f"aris_{hcu_id}")
                self._abort_if_unique_id_configured()
                return self.async_create_entry(
                    title="Aris Brain",
                    data={
                        CONF_MODE: MODE_ARIS,
                        CONF_HOST: host,
                        CONF_TOKEN: user_input[CONF_TOKEN],
                    },
                    options={CONF_HEAT_PUMP_IDS: ids},
                )
        return self.async_show_form(
            step_id="aris",
            data_schema=self.add_suggested_values_to_schema(
                _aris_schema(with_ids=True), user_input or {CONF_HOST: DEFAULT_ARIS_HOST}
            ),
            errors=errors,
        )

    async def _async_probe_podero(self, data: dict[str, Any]) -> dict[str, str]:
        """Token, user and heat-pump list; field errors for what went wrong."""
        try:
            await probe_podero(async_get_clientsession(self.hass), data)
        except AuthFailed:
            return {CONF_CLIENT_SECRET: "invalid_auth"}
        except PoderoUnknownUser:
            return {CONF_USER_ID: "unknown_user"}
        except CommunicationError as err:
            _LOGGER.debug("Podero not reached: %s", err)
            where = CONF_BASE_URL if data.get(CONF_ENVIRONMENT) == "custom" else "base"
            return {where: "cannot_connect"}
        except SourceError:
            return {"base": "unknown"}
        return {}

    async def async_step_podero(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Partner credentials, organisation and user; checked before the entry is created."""
        errors: dict[str, str] = {}
        if user_input is not None:
            data = _podero_data(user_input)
            if data[CONF_ENVIRONMENT] == "custom" and not data.get(CONF_BASE_URL):
                errors[CONF_BASE_URL] = "url_required"
            else:
                errors = await self._async_probe_podero(data)
            if not errors:
                await self.async_set_unique_id(f"podero_{data[CONF_ORG_ID]}_{data[CONF_USER_ID]}")
                self._abort_if_unique_id_configured()
                return self.async_create_entry(
                    title=f"Podero ({data[CONF_USER_ID][:8]})", data=data
                )
        return self.async_show_form(
            step_id="podero",
            data_schema=self.add_suggested_values_to_schema(_podero_schema(), user_input or {}),
            errors=errors,
        )

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The credentials were refused: ask for new ones."""
        if entry_data.get(CONF_MODE) == MODE_PODERO:
            return await self.async_step_reauth_podero()
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_podero(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """New client id and secret for the same organisation and user."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            changes = {
                CONF_CLIENT_ID: user_input[CONF_CLIENT_ID].strip(),
                CONF_CLIENT_SECRET: user_input[CONF_CLIENT_SECRET],
            }
            errors = await self._async_probe_podero({**entry.data, **changes})
            if not errors:
                return self._async_store(entry, changes, "reauth_successful")
        return self.async_show_form(
            step_id="reauth_podero",
            data_schema=self.add_suggested_values_to_schema(
                vol.Schema(_podero_credentials_schema()),
                {CONF_CLIENT_ID: entry.data[CONF_CLIENT_ID]},
            ),
            errors=errors,
        )

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Probe the same Brain with the new token and store it."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            host = entry.data[CONF_HOST]
            errors, hcu_id = await self._async_probe_aris(host, user_input[CONF_TOKEN], "")
            if not errors and hcu_id is not None:
                await self.async_set_unique_id(f"aris_{hcu_id}")
                self._abort_if_unique_id_mismatch(reason="wrong_device")
                return self._async_store(
                    entry, {CONF_TOKEN: user_input[CONF_TOKEN]}, "reauth_successful"
                )
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=vol.Schema({vol.Required(CONF_TOKEN): _token_selector()}),
            errors=errors,
        )

    def _async_store(
        self, entry: HeatPumpConfigEntry, changes: dict[str, Any], reason: str
    ) -> ConfigFlowResult:
        """Store new connection data; a loaded entry reloads through its update listener."""
        self.hass.config_entries.async_update_entry(entry, data={**entry.data, **changes})
        if entry.state is not ConfigEntryState.LOADED:
            self.hass.config_entries.async_schedule_reload(entry.entry_id)
        return abort_done(self, reason)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the connection; the same pump or Brain must answer."""
        entry = self._get_reconfigure_entry()
        if entry.data.get(CONF_MODE) == MODE_ARIS:
            return await self.async_step_reconfigure_aris(user_input)
        if entry.data.get(CONF_MODE) == MODE_PODERO:
            return await self.async_step_reconfigure_podero(user_input)
        errors: dict[str, str] = {}
        if user_input is not None:
            port = await self._async_stable_port(user_input)
            errors, data, identity = await self._async_probe(port, user_input)
            if not errors and self._port_in_use(port, entry.entry_id):
                errors[CONF_PORT] = "port_in_use"
            if not errors and identity is not None:
                await self.async_set_unique_id(str(identity))
                self._abort_if_unique_id_mismatch(reason="wrong_device")
                # The entry's update listener reloads it; no second reload from here.
                self.hass.config_entries.async_update_entry(entry, data={**entry.data, **data})
                return abort_done(self, "reconfigure_successful")
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=_serial_schema(dict(entry.data)),
            errors=errors,
        )

    async def async_step_reconfigure_aris(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change host or token of a Brain; the same HCU must answer."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            host = user_input[CONF_HOST].strip()
            errors, hcu_id = await self._async_probe_aris(host, user_input[CONF_TOKEN], "")
            if not errors and hcu_id is not None:
                await self.async_set_unique_id(f"aris_{hcu_id}")
                self._abort_if_unique_id_mismatch(reason="wrong_device")
                changes = {CONF_HOST: host, CONF_TOKEN: user_input[CONF_TOKEN]}
                return self._async_store(entry, changes, "reconfigure_successful")
        return self.async_show_form(
            step_id="reconfigure_aris",
            data_schema=self.add_suggested_values_to_schema(
                _aris_schema(with_ids=False), {CONF_HOST: entry.data[CONF_HOST]}
            ),
            errors=errors,
        )

    async def async_step_reconfigure_podero(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change environment, URL or credentials; organisation and user stay."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            data = _podero_data(
                {
                    **user_input,
                    CONF_ORG_ID: entry.data[CONF_ORG_ID],
                    CONF_USER_ID: entry.data[CONF_USER_ID],
                }
            )
            if data[CONF_ENVIRONMENT] == "custom" and not data.get(CONF_BASE_URL):
                errors[CONF_BASE_URL] = "url_required"
            else:
                errors = await self._async_probe_podero(data)
            if not errors:
                return self._async_store(entry, data, "reconfigure_successful")
        suggested = {k: v for k, v in entry.data.items() if k != CONF_CLIENT_SECRET}
        return self.async_show_form(
            step_id="reconfigure_podero",
            data_schema=self.add_suggested_values_to_schema(
                _podero_schema(with_ids=False), suggested
            ),
            errors=errors,
        )

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: HeatPumpConfigEntry) -> HeliothermOptionsFlow:
        """Polling intervals, read-only mode, expert parameters."""
        return HeliothermOptionsFlow()


def _token_selector() -> selector.TextSelector:
    return selector.TextSelector(
        selector.TextSelectorConfig(type=selector.TextSelectorType.PASSWORD)
    )


def _aris_schema(*, with_ids: bool) -> vol.Schema:
    fields: dict[vol.Marker, Any] = {
        vol.Required(CONF_HOST): selector.TextSelector(),
        vol.Required(CONF_TOKEN): _token_selector(),
    }
    if with_ids:
        fields[vol.Optional(CONF_HEAT_PUMP_IDS, default="")] = selector.TextSelector()
    return vol.Schema(fields)


def _podero_credentials_schema() -> dict[vol.Marker, Any]:
    return {
        vol.Required(CONF_CLIENT_ID): selector.TextSelector(),
        vol.Required(CONF_CLIENT_SECRET): _token_selector(),
    }


def _podero_schema(*, with_ids: bool = True) -> vol.Schema:
    fields: dict[vol.Marker, Any] = {
        vol.Required(CONF_ENVIRONMENT, default="production"): selector.SelectSelector(
            selector.SelectSelectorConfig(
                options=list(PODERO_ENVIRONMENTS),
                translation_key=CONF_ENVIRONMENT,
                mode=selector.SelectSelectorMode.LIST,
            )
        ),
        vol.Optional(CONF_BASE_URL): selector.TextSelector(
            selector.TextSelectorConfig(type=selector.TextSelectorType.URL)
        ),
        **_podero_credentials_schema(),
    }
    if with_ids:
        fields[vol.Required(CONF_ORG_ID)] = selector.TextSelector()
        fields[vol.Required(CONF_USER_ID)] = selector.TextSelector()
    return vol.Schema(fields)


def _podero_data(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Entry data from the form: trimmed, and a URL only for a custom environment."""
    data: dict[str, Any] = {
        CONF_MODE: MODE_PODERO,
        CONF_ENVIRONMENT: user_input.get(CONF_ENVIRONMENT, "production"),
        CONF_CLIENT_ID: str(user_input[CONF_CLIENT_ID]).strip(),
        CONF_CLIENT_SECRET: user_input[CONF_CLIENT_SECRET],
        CONF_ORG_ID: str(user_input[CONF_ORG_ID]).strip(),
        CONF_USER_ID: str(user_input[CONF_USER_ID]).strip(),
    }
    if data[CONF_ENVIRONMENT] == "custom":
        data[CONF_BASE_URL] = str(user_input.get(CONF_BASE_URL, "")).strip().rstrip("/")
    return data


def _scan_interval_field(
    options: Mapping[str, Any],
    default: timedelta,
    minimum: int = MIN_SCAN_INTERVAL_S,
) -> dict[vol.Marker, Any]:
    """The polling interval, the same in every mode's options."""
    return {
        vol.Required(
            CONF_SCAN_INTERVAL,
            default=options.get(CONF_SCAN_INTERVAL, int(default.total_seconds())),
        ): selector.NumberSelector(
            selector.NumberSelectorConfig(
                min=minimum,
                max=MAX_SCAN_INTERVAL_S,
                unit_of_measurement="s",
                mode=selector.NumberSelectorMode.BOX,
            )
        )
    }


def _slow_interval_field(
    options: Mapping[str, Any], key: str, default: int
) -> dict[vol.Marker, Any]:
    """The serial mode's settings and counters intervals: a minute to a day, in seconds."""
    return {
        vol.Required(key, default=options.get(key, default)): selector.NumberSelector(
            selector.NumberSelectorConfig(
                min=60,
                max=86400,
                unit_of_measurement="s",
                mode=selector.NumberSelectorMode.BOX,
            )
        )
    }


def _read_only_field(options: Mapping[str, Any]) -> dict[vol.Marker, Any]:
    """Read-only mode, the same in every mode's options."""
    return {
        vol.Required(
            CONF_READ_ONLY, default=options.get(CONF_READ_ONLY, False)
        ): selector.BooleanSelector()
    }


class HeliothermOptionsFlow(OptionsFlow):
    """Options of an entry: polling, read-only mode, and per mode its own."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show and store the options; the entry reloads to apply them."""
        if self.config_entry.data.get(CONF_MODE) == MODE_ARIS:
            return await self.async_step_aris(user_input)
        if self.config_entry.data.get(CONF_MODE) == MODE_PODERO:
            return await self.async_step_podero(user_input)
        if user_input is not None:
            return self.async_create_entry(data=user_input)
        options = self.config_entry.options
        schema = vol.Schema(
            {
                **_scan_interval_field(options, default_scan_interval(MODE_SERIAL)),
                **_slow_interval_field(
                    options, CONF_SETTINGS_INTERVAL, DEFAULT_SETTINGS_INTERVAL.seconds
                ),
                **_slow_interval_field(
                    options, CONF_COUNTERS_INTERVAL, DEFAULT_COUNTERS_INTERVAL.seconds
                ),
                **_read_only_field(options),
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

    async def async_step_aris(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Polling interval, read-only mode, heat-pump and fan-coil ids (each must be known)."""
        errors: dict[str, str] = {}
        options = self.config_entry.options
        if user_input is not None:
            ids = split_ids(user_input.get(CONF_HEAT_PUMP_IDS, ""))
            fcu_ids = split_ids(user_input.get(CONF_FCU_IDS, ""))
            try:
                probe = await probe_aris(
                    async_get_clientsession(self.hass),
                    self.config_entry.data[CONF_HOST],
                    self.config_entry.data[CONF_TOKEN],
                    ids,
                    fcu_ids,
                )
            except SourceError:
                errors["base"] = "cannot_connect"
            else:
                if probe.unknown_heat_pumps:
                    errors[CONF_HEAT_PUMP_IDS] = "unknown_heat_pump"
                if probe.unknown_fcus:
                    errors[CONF_FCU_IDS] = "unknown_fcu"
            if not errors:
                return self.async_create_entry(
                    data={
                        **user_input,
                        CONF_HEAT_PUMP_IDS: " ".join(ids),
                        CONF_FCU_IDS: " ".join(fcu_ids),
                    }
                )
        schema = vol.Schema(
            {
                **_scan_interval_field(options, default_scan_interval(MODE_ARIS)),
                **_read_only_field(options),
                vol.Optional(
                    CONF_HEAT_PUMP_IDS, default=options.get(CONF_HEAT_PUMP_IDS, "")
                ): selector.TextSelector(),
                vol.Optional(
                    CONF_FCU_IDS, default=options.get(CONF_FCU_IDS, "")
                ): selector.TextSelector(),
            }
        )
        return self.async_show_form(step_id="aris", data_schema=schema, errors=errors)

    async def async_step_podero(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Polling interval (5 minutes by default, at least one) and read-only mode."""
        if user_input is not None:
            return self.async_create_entry(data=user_input)
        options = self.config_entry.options
        schema = vol.Schema(
            {
                **_scan_interval_field(
                    options, default_scan_interval(MODE_PODERO), MIN_PODERO_SCAN_INTERVAL_S
                ),
                **_read_only_field(options),
            }
        )
        return self.async_show_form(step_id="podero", data_schema=schema)
