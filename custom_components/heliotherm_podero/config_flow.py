"""Config flow: a menu of connection modes, each probed before its entry is stored.

The steps here are generic; what differs by mode (forms, probe, unique ID, title, options)
is one ``FlowMode`` in ``flows/``. Each mode's steps are named after it ("<mode>",
"reauth_<mode>", "reconfigure_<mode>"; the options form "<mode>"), and the flows find the
method of such a step in the modes declared when Home Assistant asks for it, so a new mode
adds no method.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.core import callback
from homeassistant.data_entry_flow import AbortFlow

from .compat import abort_done
from .const import CONF_MODE, DOMAIN
from .flows import FLOW_MODES, FieldError, FlowContext, FlowMode, Found, mode_of
from .runtime import HeatPumpConfigEntry

_LOGGER = logging.getLogger(__name__)

type Probe[T] = Callable[[FlowContext, dict[str, Any]], Awaitable[T]]
type Step = Callable[[dict[str, Any] | None], Awaitable[ConfigFlowResult]]
STEP_PREFIX = "async_step_"  # what Home Assistant calls a step's method


def _step_of(name: str) -> str | None:
    """The step an attribute's name asks for (None: not a step's method)."""
    return name.removeprefix(STEP_PREFIX) if name.startswith(STEP_PREFIX) else None


def _flow_of(entry: ConfigEntry) -> FlowMode:
    return mode_of(entry.data)


async def _attempt[T](
    probe: Probe[T], ctx: FlowContext, user_input: dict[str, Any] | None
) -> tuple[T | None, dict[str, str]]:
    """Run a mode's probe on a submitted form: its result, or the errors to show."""
    if user_input is None:
        return None, {}
    try:
        return await probe(ctx, user_input), {}
    except FieldError as err:
        return None, err.errors
    except AbortFlow:
        raise
    except Exception:
        # Not a fault any mode foresaw: the form says so, the log keeps the trace once.
        _LOGGER.exception("Unexpected error while checking the form")
        return None, {"base": "unknown"}


class HeliothermPoderoConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up a heat pump."""

    VERSION = 1

    def __getattr__(self, name: str) -> Step:
        """A mode's step ("async_step_<mode>", "..._reauth_<mode>", "..._reconfigure_<mode>")."""
        step = _step_of(name)
        for flow in FLOW_MODES.values() if step is not None else ():
            if step == flow.mode:
                return functools.partial(self._async_setup, flow)
            if step == flow.reauth_step:
                return self._async_reauth
            if step == flow.reconfigure_step:
                return self._async_reconfigure
        raise AttributeError(name)

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose how the heat pump is reached."""
        return self.async_show_menu(step_id="user", menu_options=list(FLOW_MODES))

    def _context(self, entry: ConfigEntry | None = None) -> FlowContext:
        return FlowContext(self.hass, self._async_current_entries(include_ignore=False), entry)

    async def _async_setup(
        self, flow: FlowMode, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        found, errors = await _attempt(flow.async_setup, self._context(), user_input)
        if found is not None:
            await self.async_set_unique_id(found.unique_id)
            self._abort_if_unique_id_configured()
            return self.async_create_entry(
                title=found.title, data={CONF_MODE: flow.mode, **found.data}, options=found.options
            )
        return self.async_show_form(
            step_id=flow.mode,
            data_schema=self.add_suggested_values_to_schema(
                flow.setup_schema(), user_input or flow.setup_suggested()
            ),
            errors=errors,
        )

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The credentials were refused: ask for new ones."""
        return await self._async_reauth(None)

    async def _async_reauth(self, user_input: dict[str, Any] | None) -> ConfigFlowResult:
        entry = self._get_reauth_entry()
        flow = _flow_of(entry)
        assert flow.reauth_step is not None  # only modes with credentials ask to reauth
        found, errors = await _attempt(flow.async_reauth, self._context(entry), user_input)
        if found is not None:
            return await self._async_store(entry, found, "reauth_successful")
        return self.async_show_form(
            step_id=flow.reauth_step,
            data_schema=self.add_suggested_values_to_schema(
                flow.reauth_schema(), flow.reauth_suggested(entry)
            ),
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the connection; the same pump, Brain or user must answer."""
        return await self._async_reconfigure(user_input)

    async def _async_reconfigure(self, user_input: dict[str, Any] | None) -> ConfigFlowResult:
        entry = self._get_reconfigure_entry()
        flow = _flow_of(entry)
        found, errors = await _attempt(flow.async_reconfigure, self._context(entry), user_input)
        if found is not None:
            return await self._async_store(entry, found, "reconfigure_successful")
        return self.async_show_form(
            step_id=flow.reconfigure_step,
            data_schema=self.add_suggested_values_to_schema(
                flow.reconfigure_schema(), flow.reconfigure_suggested(entry)
            ),
            errors=errors,
        )

    async def _async_store(
        self, entry: HeatPumpConfigEntry, found: Found, reason: str
    ) -> ConfigFlowResult:
        """Store new connection data of the same device; a loaded entry reloads itself."""
        if found.unique_id is not None:
            await self.async_set_unique_id(found.unique_id)
            self._abort_if_unique_id_mismatch(reason="wrong_device")
        self.hass.config_entries.async_update_entry(entry, data={**entry.data, **found.data})
        if entry.state is not ConfigEntryState.LOADED:
            # Only a loaded entry has its update listener, which reloads it.
            self.hass.config_entries.async_schedule_reload(entry.entry_id)
        return abort_done(self, reason)

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: HeatPumpConfigEntry) -> HeliothermOptionsFlow:
        """Polling intervals, read-only mode and each mode's own options."""
        return HeliothermOptionsFlow()


class HeliothermOptionsFlow(OptionsFlow):
    """Options of an entry: polling, read-only mode, and per mode its own."""

    def __getattr__(self, name: str) -> Step:
        """The options form's step, named as the mode ("async_step_<mode>")."""
        step = _step_of(name)
        if any(step == flow.options_step for flow in FLOW_MODES.values()):
            return self.async_step_init
        raise AttributeError(name)

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show and store the options; the entry reloads to apply them."""
        flow = _flow_of(self.config_entry)
        ctx = FlowContext(self.hass, (), self.config_entry)
        options, errors = await _attempt(flow.async_options, ctx, user_input)
        if options is not None:
            return self.async_create_entry(data=options)
        return self.async_show_form(
            step_id=flow.options_step,
            data_schema=flow.options_schema(self.config_entry.options),
            errors=errors,
        )
