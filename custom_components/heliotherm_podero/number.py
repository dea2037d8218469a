"""Numbers: writable numeric settings, with the limits the pump reports."""

from __future__ import annotations

from homeassistant.components.number import NumberDeviceClass, NumberEntity, NumberMode
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import HeatPumpCoordinator
from .entity import HeatPumpEntity, add_point_entities
from .runtime import HeatPumpConfigEntry
from .sources.model import Point

PARALLEL_UPDATES = 1


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create a number for every writable numeric point."""
    add_point_entities(entry, async_add_entities, Platform.NUMBER, HeatPumpNumber)


class HeatPumpNumber(HeatPumpEntity, NumberEntity):
    """A setting such as the room setpoint or a heating-curve point."""

    _attr_mode = NumberMode.BOX

    def __init__(self, coordinator: HeatPumpCoordinator, point: Point) -> None:
        super().__init__(coordinator, point)
        self._attr_native_unit_of_measurement = point.unit
        if point.minimum is not None:
            self._attr_native_min_value = point.minimum
        if point.maximum is not None:
            self._attr_native_max_value = point.maximum
        if point.step:
            self._attr_native_step = point.step
        if point.device_class == "temperature" and point.unit == "°C":
            self._attr_device_class = NumberDeviceClass.TEMPERATURE

    @property
    def native_value(self) -> float | None:
        """The stored setting."""
        value = self.point_value
        return float(value) if isinstance(value, int | float) else None

    async def async_set_native_value(self, value: float) -> None:
        """Write exactly this value; off-step, fractional or out-of-range values are refused."""
        await self.async_write(value)
