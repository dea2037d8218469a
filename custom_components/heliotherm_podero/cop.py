"""The COP per day, month and season of each device that counts heat: kept, stored, shown.

One ``EfficiencyTracker`` per entry keeps a ``Ledger`` (``efficiency``) per device and series:
all of it, and each mode the device counts apart. After every poll it adds what the
device's counters gained; the electricity of all of it comes from the device's own counters
or, where the owner picked one in the options, from an energy sensor (converted to kWh).
The ledgers are stored, so a restart or a reload goes on where they were, and the periods
turn at local midnight even when no poll comes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN, UnitOfEnergy
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_track_time_change
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_conversion import EnergyConverter

from .const import CONF_ELECTRICITY_METER, CONF_SEASON_START, DEFAULT_SEASON_START, DOMAIN
from .coordinator import HeatPumpCoordinator
from .efficiency import Ledger, Span
from .sources.model import EfficiencySpec, Value, as_number

_LOGGER = logging.getLogger(__name__)
STORAGE_VERSION = 1
SAVE_DELAY = 60.0  # seconds: a crash loses at most this; a stop or an unload saves at once
TOTAL = "total"  # the series of all the device counts (the modes are series of their own)


@dataclass(frozen=True, slots=True)
class Figure:
    """One COP sensor: its key (and translation key), series, period and which one of it."""

    key: str
    series: str
    span: Span
    last: bool = False
    enabled_with_electricity: bool = False  # on by default where there is electricity


TOTAL_FIGURES = (
    Figure("cop_daily", TOTAL, Span.DAY, enabled_with_electricity=True),
    Figure("cop_yesterday", TOTAL, Span.DAY, last=True),
    Figure("cop_month", TOTAL, Span.MONTH, enabled_with_electricity=True),
    Figure("cop_last_month", TOTAL, Span.MONTH, last=True),
    Figure("cop_season", TOTAL, Span.SEASON, enabled_with_electricity=True),
    Figure("cop_last_season", TOTAL, Span.SEASON, last=True),
)


def mode_figures(mode: str) -> tuple[Figure, ...]:
    """The figures of a mode the device counts apart (created disabled)."""
    return (
        Figure(f"cop_{mode}_month", mode, Span.MONTH),
        Figure(f"cop_{mode}_season", mode, Span.SEASON),
    )


def figures_of(spec: EfficiencySpec) -> tuple[Figure, ...]:
    """Every figure a device has."""
    return TOTAL_FIGURES + tuple(f for mode in spec.modes for f in mode_figures(mode.mode))


def unique_id(spec: EfficiencySpec, figure: Figure) -> str:
    """A figure's sensor: "<device key>_<figure key>" ("123456_cop_daily")."""
    return f"{spec.device}_{figure.key}"


class EfficiencyTracker:
    """One entry's devices that count heat: their ledgers, fed after every poll."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        coordinator: HeatPumpCoordinator,
    ) -> None:
        self.hass = hass
        self.entry = entry
        self.coordinator = coordinator
        self.meter: str | None = entry.options.get(CONF_ELECTRICITY_METER) or None
        self.season_start = int(entry.options.get(CONF_SEASON_START, DEFAULT_SEASON_START))
        self.ledgers: dict[tuple[str, str], Ledger] = {}
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.efficiency.{entry.entry_id}"
        )
        self._listeners: list[Callable[[], None]] = []
        self._first_count = False  # nothing was stored: an earlier version's day may be taken up

    @property
    def specs(self) -> Iterable[EfficiencySpec]:
        """The devices that count heat (a source may find them as it polls)."""
        return self.coordinator.source.efficiency

    def has_electricity(self, spec: EfficiencySpec, series: str = TOTAL) -> bool:
        """Whether a series has electricity to divide by (its figures start enabled)."""
        return spec.meters_in_use or (series == TOTAL and self.meter is not None)

    async def async_load(self) -> None:
        """Take up the stored ledgers (a restart or a reload goes on from there)."""
        stored = await self._store.async_load()
        self._first_count = stored is None
        for name, data in (stored or {}).get("ledgers", {}).items():
            device, _, series = name.rpartition("|")
            if device and isinstance(data, dict):
                self.ledgers[(device, series)] = Ledger.from_dict(data, self.season_start)

    @callback
    def take_up_daily_start(self, spec: EfficiencySpec, kept: Mapping[str, Any]) -> None:
        """Take up today's start readings the daily COP of an earlier version kept.

        It kept them with its state (``kept``: its restored extra data); taken up once, where
        nothing was stored yet, so an update to this version does not start the day over.
        """
        heat, electricity = kept.get("numerator"), kept.get("denominator")
        if not self._first_count or kept.get("day") != dt_util.now().date().isoformat():
            return
        if not isinstance(heat, int | float) or not isinstance(electricity, int | float):
            return
        self._first_count = False
        ledger = self.ledgers[(spec.device, TOTAL)] = Ledger(self.season_start)
        ledger.turn(dt_util.now().date())
        ledger.heat, ledger.electricity = float(heat), float(electricity)
        self._async_update()  # what was gained since then counts

    @callback
    def async_start(self) -> CALLBACK_TYPE:
        """Count after every poll and turn the periods at local midnight."""
        self._async_update()
        stops = (
            self.coordinator.async_add_listener(self._async_update),
            async_track_time_change(self.hass, self._async_midnight, hour=0, minute=0, second=0),
        )

        @callback
        def _stop() -> None:
            for stop in stops:
                stop()

        return _stop

    async def async_save(self) -> None:
        """Store the ledgers now (an unload: the next setup goes on from here)."""
        await self._store.async_save(self._data())

    @callback
    def async_listen(self, listener: Callable[[], None]) -> CALLBACK_TYPE:
        """Tell ``listener`` (a sensor) when the figures may have changed."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def ratio(self, spec: EfficiencySpec, figure: Figure) -> float | None:
        """A figure's value now; unknown while too little electricity was counted."""
        ledger = self.ledgers.get((spec.device, figure.series))
        return ledger.ratio(figure.span, last=figure.last) if ledger is not None else None

    @callback
    def _async_midnight(self, now: datetime) -> None:
        today = dt_util.as_local(now).date()
        for ledger in self.ledgers.values():
            ledger.turn(today)
        self._async_changed()

    @callback
    def _async_update(self) -> None:
        if not self.coordinator.last_update_success:
            self._async_tell()  # unavailable now; what was gained counts once it is back
            return
        data = self.coordinator.data or {}
        today = dt_util.now().date()
        for spec in self.specs:
            for series, heat, electricity in self._readings(spec, data):
                ledger = self.ledgers.get((spec.device, series))
                if ledger is None:
                    ledger = self.ledgers[(spec.device, series)] = Ledger(self.season_start)
                ledger.update(today, heat, electricity)
        self._async_changed()

    def _async_changed(self) -> None:
        self._store.async_delay_save(self._data, SAVE_DELAY)
        self._async_tell()

    def _async_tell(self) -> None:
        for listener in list(self._listeners):
            listener()

    def _readings(
        self, spec: EfficiencySpec, data: Mapping[str, Value]
    ) -> Iterable[tuple[str, float | None, float | None]]:
        """Each series' heat and electricity readings now (None: unknown)."""
        heat = _sum(data, spec.heat_keys)
        if self.meter is not None:
            electricity = self._meter_reading()
        else:  # the device's own (where the catalog thinks it has none, the owner knows)
            electricity = _sum(data, spec.electricity_keys) if spec.electricity_keys else None
        yield TOTAL, heat, electricity
        for mode in spec.modes:
            yield mode.mode, _sum(data, (mode.heat_key,)), _sum(data, (mode.electricity_key,))

    def _meter_reading(self) -> float | None:
        """The owner's meter in kWh; unknown while it is unavailable or not energy."""
        state = self.hass.states.get(self.meter or "")
        if state is None or state.state in (STATE_UNAVAILABLE, STATE_UNKNOWN):
            return None
        try:
            value = float(state.state)
            unit = state.attributes.get("unit_of_measurement")
            return EnergyConverter.convert(value, unit, UnitOfEnergy.KILO_WATT_HOUR)
        except (ValueError, HomeAssistantError):
            _LOGGER.debug("%s reads %s, not energy: not counted", self.meter, state.state)
            return None

    def _data(self) -> dict[str, Any]:
        return {
            "ledgers": {
                f"{device}|{series}": ledger.as_dict()
                for (device, series), ledger in self.ledgers.items()
            }
        }


@callback
def async_enable_with_meter(
    hass: HomeAssistant, entry: ConfigEntry[Any], specs: Iterable[EfficiencySpec]
) -> None:
    """The owner picked a meter: the figures disabled for want of electricity come on."""
    registry = er.async_get(hass)
    for spec in specs:
        for figure in TOTAL_FIGURES:
            if not figure.enabled_with_electricity:
                continue
            entity_id = registry.async_get_entity_id("sensor", DOMAIN, unique_id(spec, figure))
            registered = registry.async_get(entity_id) if entity_id else None
            if (
                registered is not None
                and registered.disabled_by is er.RegistryEntryDisabler.INTEGRATION
            ):
                registry.async_update_entity(registered.entity_id, disabled_by=None)


def _sum(data: Mapping[str, Value], keys: Iterable[str]) -> float | None:
    """The counters' sum, or None while one of them is unknown."""
    total = 0.0
    for key in keys:
        value = as_number(data.get(key))
        if value is None:
            return None
        total += value
    return total
