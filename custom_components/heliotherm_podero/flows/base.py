"""A connection mode, declared once: its name, its source, its forms, probes and errors.

The config flow is generic; a mode is one ``FlowMode`` (its steps are named after it, the
flow's step methods are made from it). A probe that goes wrong raises ``FieldError``;
``FlowMode.checked`` turns a source error into one through the mode's table, where the most
specific error type matches, whatever the order of the rows.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, ClassVar

import aiohttp
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
from ..sources.model import Source

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


class FlowMode(ABC):
    """One connection mode, declared once: everything that must know every mode reads it.

    Its name (``mode``, also its set-up step), the source it builds (``create_source``, of
    ``source_class``, whose polling interval it proposes), whether a server can refuse its
    credentials (``reauthenticates``), which of its entry data is secret (``secret_keys``), its
    forms and probes, and its table of source errors to form errors.
    """

    mode: ClassVar[str]
    source_class: ClassVar[type[Source]]
    reauthenticates: ClassVar[bool] = False
    min_interval: ClassVar[int] = MIN_SCAN_INTERVAL_S
    # Entry data that is secret or names a household: never in diagnostics.
    secret_keys: ClassVar[frozenset[str]] = frozenset()
    # Source errors turned into form errors; the most specific type that matches wins.
    errors: ClassVar[tuple[ErrorRow, ...]] = ()

    @property
    def default_interval(self) -> timedelta:
        """The polling interval the mode's source proposes."""
        return self.source_class.SCAN_INTERVAL

    @property
    def source_name(self) -> str:
        """What a fault event names as its source (the mode's name unless it says otherwise)."""
        return self.mode

    @property
    def reauth_step(self) -> str | None:
        """The step asking for new credentials ("reauth_<mode>"), where there are any."""
        return f"reauth_{self.mode}" if self.reauthenticates else None

    @property
    def reconfigure_step(self) -> str:
        """The step changing the connection ("reconfigure_<mode>")."""
        return f"reconfigure_{self.mode}"

    @property
    def options_step(self) -> str:
        """The options form (named as the mode)."""
        return self.mode

    @abstractmethod
    def create_source(
        self, data: Mapping[str, Any], options: Mapping[str, Any], session: aiohttp.ClientSession
    ) -> Source:
        """The source of an entry of this mode (HTTP sources use the session given)."""

    async def checked[T](self, probe: Awaitable[T], data: Mapping[str, Any]) -> T:
        """The probe's result, or the ``FieldError`` its error means in this mode."""
        try:
            return await probe
        except Exception as err:
            row = _most_specific(self.errors, err)
            if row is None:
                raise
            _, where, key = row
            _LOGGER.debug("%s probe failed: %s", self.mode, type(err).__name__)
            raise FieldError({where(data) if callable(where) else where: key}) from err

    @abstractmethod
    def setup_schema(self) -> vol.Schema:
        """The form of the first set-up."""

    def setup_suggested(self) -> dict[str, Any]:
        """What the first form shows before anything is typed."""
        return {}

    @abstractmethod
    async def async_setup(self, ctx: FlowContext, user_input: dict[str, Any]) -> Found:
        """Probe what the form names; the entry to create (its unique ID, data, title)."""

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
        asked = {str(marker) for marker in self.reconfigure_schema().schema}
        return {
            key: value
            for key, value in entry.data.items()
            if key in asked and key not in self.secret_keys
        }

    async def async_reconfigure(self, ctx: FlowContext, user_input: dict[str, Any]) -> Found:
        """Probe the changed connection as a first set-up does; the same device must answer."""
        return await self.async_setup(ctx, user_input)

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


def _most_specific(rows: Sequence[ErrorRow], err: BaseException) -> ErrorRow | None:
    """The row whose error type is nearest to ``err``'s own class (its MRO), if any."""
    lineage = type(err).__mro__

    def distance(row: ErrorRow) -> int:
        types = row[0] if isinstance(row[0], tuple) else (row[0],)
        return min((lineage.index(t) for t in types if t in lineage), default=len(lineage))

    matching = [row for row in rows if distance(row) < len(lineage)]
    return min(matching, key=distance) if matching else None


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
