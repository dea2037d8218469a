"""Binary sensors: every read-only boolean point (compressor, pumps, fault, ...)."""

from __future__ import annotations

from homeassistant.components.binary_sensor import (  # type: ignore[attr-defined,unused-ignore]
    BinarySensorEntity,
)
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entity import HeatPumpEntity, add_point_entities
from .runtime import HeatPumpConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create a binary sensor for every read-only boolean point."""
    add_point_entities(entry, async_add_entities, Platform.BINARY_SENSOR, HeatPumpBinarySensor)


class HeatPumpBinarySensor(HeatPumpEntity, BinarySensorEntity):
    """An on/off state of the pump."""

    @property
    def is_on(self) -> bool | None:
        """True when the pump reports 1."""
        value = self.point_value
        return None if value is None else bool(value)
