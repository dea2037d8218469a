"""Sensors: every read-only, non-boolean point."""

from __future__ import annotations

from datetime import date, datetime

from homeassistant.components.sensor import SensorDeviceClass, SensorEntity, SensorStateClass
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .coordinator import HeatPumpConfigEntry, HeatPumpCoordinator
from .entity import HeatPumpEntity, add_point_entities
from .sources.model import Point, ValueKind

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create a sensor for every read-only, non-boolean point."""
    add_point_entities(entry, async_add_entities, Platform.SENSOR, HeatPumpSensor)


class HeatPumpSensor(HeatPumpEntity, SensorEntity):
    """A measured value, counter or status of the pump."""

    def __init__(self, coordinator: HeatPumpCoordinator, point: Point) -> None:
        super().__init__(coordinator, point)
        self._attr_native_unit_of_measurement = point.unit
        if point.device_class:
            self._attr_device_class = SensorDeviceClass(point.device_class)
        if point.state_class:
            self._attr_state_class = SensorStateClass(point.state_class)
        if point.kind is ValueKind.ENUM:
            self._attr_device_class = SensorDeviceClass.ENUM
        if point.device_class == "temperature" and point.unit == "K":
            self._attr_device_class = None  # a temperature difference, not a temperature
        if point.precision is not None:
            self._attr_suggested_display_precision = point.precision
        elif point.kind is ValueKind.FLOAT and point.step:
            self._attr_suggested_display_precision = decimals_of(point.step)

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


def decimals_of(step: float) -> int:
    """Decimals shown for a step such as 0.1 (1) or 0.01 (2)."""
    return len(f"{step:.6f}".rstrip("0").partition(".")[2])
