"""Sensors: every read-only, non-boolean point."""

from __future__ import annotations

from datetime import date, datetime

from homeassistant.components.sensor import SensorEntity, SensorStateClass
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.restore_state import RestoreEntity
from homeassistant.util import dt as dt_util

from .cop import TOTAL_FIGURES, EfficiencyTracker, Figure, figures_of, unique_id
from .devices import device_info
from .entity import HeatPumpEntity, add_point_entities
from .runtime import HeatPumpConfigEntry
from .sources.model import EfficiencySpec, ValueKind

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create a sensor for every read-only, non-boolean point, and the COP figures."""
    add_point_entities(entry, async_add_entities, Platform.SENSOR, HeatPumpSensor)
    tracker = entry.runtime_data.efficiency
    async_add_entities(
        CopSensor(tracker, spec, figure) for spec in tracker.specs for figure in figures_of(spec)
    )


class HeatPumpSensor(HeatPumpEntity, SensorEntity):
    """A measured value, counter or status of the pump."""

    @property
    def options(self) -> list[str] | None:
        """An enum's values, read live: a source may add one it did not know before."""
        if self.point.kind is not ValueKind.ENUM:
            return None
        return list(self.coordinator.source.points.get(self.point.key, self.point).options)

    @property
    def native_value(self) -> str | int | float | date | datetime | None:
        """The value; a time without a zone (the pump's clock) is local time."""
        value = self.point_value
        if isinstance(value, datetime) and value.tzinfo is None:
            return value.replace(tzinfo=dt_util.get_default_time_zone())
        if isinstance(value, bool):
            return int(value)
        return value


class CopSensor(RestoreEntity, SensorEntity):
    """Heat over electricity over a period (today, this month, last season ...) of a device."""

    _attr_has_entity_name = True
    _attr_should_poll = False
    _attr_state_class = SensorStateClass.MEASUREMENT
    _attr_suggested_display_precision = 2

    def __init__(self, tracker: EfficiencyTracker, spec: EfficiencySpec, figure: Figure) -> None:
        self.tracker = tracker
        self.spec = spec
        self.figure = figure
        coordinator = tracker.coordinator
        self._attr_unique_id = unique_id(spec, figure)
        self._attr_translation_key = figure.key
        self._attr_device_info = device_info(coordinator.hass, coordinator.source, spec.device)
        self._attr_entity_registry_enabled_default = figure.enabled_with_electricity and (
            tracker.has_electricity(spec, figure.series)
        )

    async def async_added_to_hass(self) -> None:
        """Show the figure whenever the tracker has counted (or the periods turned)."""
        await super().async_added_to_hass()
        if self.figure is TOTAL_FIGURES[0] and (kept := await self.async_get_last_extra_data()):
            self.tracker.take_up_daily_start(self.spec, kept.as_dict())
        self.async_on_remove(self.tracker.async_listen(self.async_write_ha_state))

    @callback
    def async_entity_id_changed(self, old_entity_id: str) -> None:
        """Renamed in place (2026.11+): the tracker knows this sensor by its listener."""

    @property
    def available(self) -> bool:
        """Available while the device's counters can be read."""
        return self.tracker.coordinator.last_update_success

    @property
    def native_value(self) -> float | None:
        """The figure; unknown while too little electricity was counted in the period."""
        return self.tracker.ratio(self.spec, self.figure)
