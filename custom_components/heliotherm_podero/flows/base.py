"""What every connection mode gives the config flow: its forms, its probes, its errors.

The config flow is generic; a mode is one ``FlowMode``. A probe that goes wrong raises
``FieldError``; ``FlowMode.checked`` turns a source error into one through the mode's table.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import selector

from ..compat import vol
from ..const import (
    CONF_ELECTRICITY_METER,
    CONF_READ_ONLY,
    CONF_SCAN_INTERVAL,
    CONF_SEASON_START,
    DEFAULT_SEASON_START,
    MAX_SCAN_INTERVAL_S,
    MIN_SCAN_INTERVAL_S,
)

_LOGGER = logging.getLogger(__name__)

type FieldOf = str | Callable[[Mapping[str, Any]], str]
type ErrorRow = tuple[type[BaseException] | tuple[type[BaseException], ...], FieldOf, str]


class FieldError(Exception):
    """The form shows each error key at its field (``base`` for the whole form)."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(", ".join(f"{name}: {key}" for name, key in errors.items()))
        self.errors = dict(errors)


@dataclass(frozen=True)
class Found:
    """What a probe established: the device's unique ID and what the entry stores."""

    unique_id: str | None
    data: dict[str, Any]
    title: str = ""
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FlowContext:
    """The flow's surroundings a mode may look at: Home Assistant, the entries, the one at hand."""

    hass: HomeAssistant
    entries: Sequence[ConfigEntry]
    entry: ConfigEntry | None = None

    @property
    def current(self) -> ConfigEntry:
        """The entry being reauthenticated, reconfigured or given options."""
        assert self.entry is not None
        return self.entry


class FlowMode:
    """One connection mode's part of the config and options flows."""

    mode: str
    reauth_step: str | None = None
    reconfigure_step: str
    options_step: str
    default_interval: timedelta
    min_interval: int = MIN_SCAN_INTERVAL_S
    # Source errors turned into form errors, first match wins.
    errors: tuple[ErrorRow, ...] = ()

    async def checked[T](self, probe: Awaitable[T], data: Mapping[str, Any]) -> T:
        """The probe's result, or the ``FieldError`` its error means in this mode."""
        try:
            return await probe
        except Exception as err:
            for types, where, key in self.errors:
                if isinstance(err, types):
                    _LOGGER.debug("%s probe failed: %s", self.mode, type(err).__name__)
                    raise FieldError({where(data) if callable(where) else where: key}) from err
            raise

    def setup_schema(self) -> vol.Schema:
        """The form of the first set-up."""
        raise NotImplementedError

    def setup_suggested(self) -> dict[str, Any]:
        """What the first form shows before anything is typed."""
        return {}

    async def async_setup(self, ctx: FlowContext, user_input: dict[str, Any]) -> Found:
        """Probe what the form names; the entry to create."""
        raise NotImplementedError

    def reauth_schema(self) -> vol.Schema:  # pragma: no cover - modes that reauth override it
        """The form asking for new credentials."""
        raise NotImplementedError

    def reauth_suggested(self, entry: ConfigEntry) -> dict[str, Any]:
        """What the reauth form shows of the stored credentials (never a secret)."""
        return {}

    async def async_reauth(  # pragma: no cover - modes that reauth override it
        self, ctx: FlowContext, user_input: dict[str, Any]
    ) -> Found:
        """Probe the new credentials; the data to store."""
        raise NotImplementedError

    def reconfigure_schema(self) -> vol.Schema:
        """The form changing the connection."""
        return self.setup_schema()

    def reconfigure_suggested(self, entry: ConfigEntry) -> dict[str, Any]:
        """What the reconfigure form shows of the stored connection (never a secret)."""
        raise NotImplementedError

    async def async_reconfigure(self, ctx: FlowContext, user_input: dict[str, Any]) -> Found:
        """Probe the changed connection; the data to store."""
        raise NotImplementedError

    def options_fields(self, options: Mapping[str, Any]) -> dict[vol.Marker, Any]:
        """The mode's own options, after the polling interval and read-only mode."""
        return {}

    def options_schema(self, options: Mapping[str, Any]) -> vol.Schema:
        """Polling interval and read-only mode (every mode), then the mode's own."""
        default = options.get(CONF_SCAN_INTERVAL, int(self.default_interval.total_seconds()))
        return vol.Schema(
            {
                vol.Required(CONF_SCAN_INTERVAL, default=default): seconds_selector(
                    self.min_interval, MAX_SCAN_INTERVAL_S
                ),
                vol.Required(
                    CONF_READ_ONLY, default=options.get(CONF_READ_ONLY, False)
                ): selector.BooleanSelector(),
                **self.options_fields(options),
            }
        )

    async def async_options(self, ctx: FlowContext, user_input: dict[str, Any]) -> dict[str, Any]:
        """The options to store (checked where the mode can check them)."""
        return user_input


def efficiency_fields(options: Mapping[str, Any]) -> dict[vol.Marker, Any]:
    """The COP's options, for a mode whose devices count heat.

    The owner's electricity meter (an energy sensor) and the month the heating season
    starts with.
    """
    meter = options.get(CONF_ELECTRICITY_METER)
    season = str(options.get(CONF_SEASON_START, DEFAULT_SEASON_START))
    return {
        vol.Optional(
            CONF_ELECTRICITY_METER, description={"suggested_value": meter} if meter else None
        ): selector.EntitySelector(
            selector.EntitySelectorConfig(domain="sensor", device_class="energy")
        ),
        vol.Required(CONF_SEASON_START, default=season): selector.SelectSelector(
            selector.SelectSelectorConfig(
                options=[str(month) for month in range(1, 13)],
                translation_key="month",
                mode=selector.SelectSelectorMode.DROPDOWN,
            )
        ),
    }


def seconds_selector(minimum: int, maximum: int) -> selector.NumberSelector:
    """A number of seconds typed into a box."""
    return selector.NumberSelector(
        selector.NumberSelectorConfig(
            min=minimum, max=maximum, unit_of_measurement="s", mode=selector.NumberSelectorMode.BOX
        )
    )


def secret_selector() -> selector.TextSelector:
    """A token or client secret: typed, never shown."""
    return selector.TextSelector(
        selector.TextSelectorConfig(type=selector.TextSelectorType.PASSWORD)
    )
