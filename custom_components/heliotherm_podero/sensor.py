"""Sensors: every read-only, non-boolean point."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from homeassistant.components.sensor import SensorEntity, SensorStateClass
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.restore_state import RestoredExtraData, RestoreEntity
from homeassistant.util import dt as dt_util

from .coordinator import HeatPumpCoordinator
from .daily_ratio import Baseline, DailyRatio
from .entity import HeatPumpEntity, SpecEntity, add_point_entities
from .runtime import HeatPumpConfigEntry
from .sources.model import DailyRatioSpec, Value, ValueKind

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create a sensor for every read-only, non-boolean point, and the daily ratios."""
    add_point_entities(entry, async_add_entities, Platform.SENSOR, HeatPumpSensor)
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        DailyRatioSensor(coordinator, spec) for spec in coordinator.source.daily_ratios
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


class DailyRatioSensor(SpecEntity[DailyRatioSpec], RestoreEntity, SensorEntity):
    """A ratio of today's counter gains (the daily COP); its baseline survives a restart."""

    _attr_state_class = SensorStateClass.MEASUREMENT
    _attr_suggested_display_precision = 2

    def __init__(self, coordinator: HeatPumpCoordinator, spec: DailyRatioSpec) -> None:
        super().__init__(coordinator, spec)
        self._attr_entity_registry_enabled_default = spec.enabled_by_default
        self._ratio = DailyRatio(spec.minimum_gain)

    async def async_added_to_hass(self) -> None:
        """Take up the day's baseline where it was left, then show today's figure."""
        await super().async_added_to_hass()
        stored = await self.async_get_last_extra_data()
        if stored is not None:
            self._ratio.baseline = Baseline.from_dict(stored.as_dict())
        self._update_value()

    @callback
    def async_entity_id_changed(self, old_entity_id: str) -> None:
        """Renamed in place (2026.11+): nothing here is keyed by the entity ID."""

    @property
    def available(self) -> bool:
        """Available while every counter it sums was read."""
        data = self.coordinator.data or {}
        return super().available and all(key in data for key in self.spec.keys)

    @property
    def extra_restore_state_data(self) -> RestoredExtraData | None:
        """The day's baseline, kept across restarts."""
        baseline = self._ratio.baseline
        return RestoredExtraData(baseline.as_dict()) if baseline is not None else None

    @callback
    def _handle_coordinator_update(self) -> None:
        self._update_value()
        super()._handle_coordinator_update()

    def _update_value(self) -> None:
        data = self.coordinator.data or {}
        numerator = _sum(data, self.spec.numerator_keys)
        denominator = _sum(data, self.spec.denominator_keys)
        if numerator is None or denominator is None:
            self._attr_native_value = None
            return
        self._attr_native_value = self._ratio.update(dt_util.now().date(), numerator, denominator)


def _sum(data: Mapping[str, Value], keys: Iterable[str]) -> float | None:
    """The counters' sum, or None while one of them is unknown."""
    total = 0.0
    for key in keys:
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        total += float(value)
    return total
