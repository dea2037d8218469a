"""Selects: writable points with a fixed set of options (the operating mode)."""

from __future__ import annotations

from homeassistant.components.select import SelectEntity
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entity import HeatPumpEntity, add_point_entities
from .runtime import HeatPumpConfigEntry

PARALLEL_UPDATES = 1


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create a select for every writable point with options."""
    add_point_entities(entry, async_add_entities, Platform.SELECT, HeatPumpSelect)


class HeatPumpSelect(HeatPumpEntity, SelectEntity):
    """A choice such as the operating mode, translated."""

    @property
    def options(self) -> list[str]:
        """The options, read live: a value the server reports that was not listed is added."""
        return list(self.coordinator.source.points.get(self.point.key, self.point).options)

    @property
    def current_option(self) -> str | None:
        """The option the pump reports."""
        value = self.point_value
        return value if isinstance(value, str) else None

    async def async_select_option(self, option: str) -> None:
        """Write the option."""
        await self.async_set(option)
