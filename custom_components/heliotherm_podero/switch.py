"""Switches: writable on/off settings (expert mode)."""

from __future__ import annotations

from typing import Any

from homeassistant.components.switch import SwitchEntity
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
    """Create a switch for every writable boolean point."""
    add_point_entities(entry, async_add_entities, Platform.SWITCH, HeatPumpSwitch)


class HeatPumpSwitch(HeatPumpEntity, SwitchEntity):
    """An on/off setting."""

    @property
    def is_on(self) -> bool | None:
        """True when the pump reports 1."""
        value = self.point_value
        return None if value is None else bool(value)

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Write 1."""
        await self.async_set(True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Write 0."""
        await self.async_set(False)
