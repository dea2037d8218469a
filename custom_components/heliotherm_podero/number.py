"""Numbers: writable numeric settings, with the limits the pump reports."""

from __future__ import annotations

from homeassistant.components.number import NumberEntity
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .descriptions import decimals_of
from .entity import HeatPumpEntity, add_point_entities
from .runtime import HeatPumpConfigEntry
from .sources.model import as_number

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

    @property
    def native_value(self) -> float | None:
        """The stored setting; a whole number where the setting only holds whole numbers.

        The state then reads "17", not "17.0", so nobody types 17.5 into it.
        """
        value = as_number(self.point_value)
        if value is None:
            return None
        step = self.point.step
        if step and decimals_of(step) == 0 and value.is_integer():
            return int(value)
        return value

    async def async_set_native_value(self, value: float) -> None:
        """Write exactly this value; off-step, fractional or out-of-range values are refused."""
        await self.async_set(value)
