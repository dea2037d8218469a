"""Base entity: device info, unique ID, availability, setting a point through the door."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from homeassistant.const import Platform
from homeassistant.core import callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .coordinator import HeatPumpCoordinator
from .descriptions import describe, platform_for
from .devices import device_info
from .runtime import HeatPumpConfigEntry
from .sources.commands import WritePoints
from .sources.model import Point, Value, as_number


class HeatPumpEntity(CoordinatorEntity[HeatPumpCoordinator]):
    """An entity showing one point of the pump."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: HeatPumpCoordinator, point: Point) -> None:
        super().__init__(coordinator)
        self.point = point
        self.entity_description = describe(point)
        self._attr_unique_id = point.unique_id
        self._attr_device_info = device_info(coordinator.hass, coordinator.source, point.device)

    @property
    def available(self) -> bool:
        """Unavailable while the link is down or the point was not read."""
        return super().available and self.point.key in (self.coordinator.data or {})

    @property
    def point_value(self) -> Value:
        """The point's current value."""
        return (self.coordinator.data or {}).get(self.point.key)

    async def async_set(self, value: Value) -> None:
        """Set the point (validated, verified); errors come translated."""
        await async_set_points(self.coordinator, {self.point.key: value})


async def async_set_points(coordinator: HeatPumpCoordinator, values: dict[str, Value]) -> None:
    """An entity's change, as a command through the coordinator's door (errors translated)."""
    await coordinator.async_command(WritePoints(values))


class EntitySpec(Protocol):
    """What a source says of an entity formed from several points."""

    @property
    def unique_id(self) -> str:
        """The entity's unique ID."""

    @property
    def device(self) -> str:
        """The key of the device it belongs to."""

    @property
    def translation_key(self) -> str | None:
        """Its name's translation key; None: named as its device (a zone)."""


class SpecEntity[S: EntitySpec](CoordinatorEntity[HeatPumpCoordinator]):
    """An entity formed from several points: a climate, a water heater, a daily ratio."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: HeatPumpCoordinator, spec: S) -> None:
        super().__init__(coordinator)
        self.spec = spec
        self._attr_unique_id = spec.unique_id
        self._attr_device_info = device_info(coordinator.hass, coordinator.source, spec.device)
        if spec.translation_key is not None:
            self._attr_translation_key = spec.translation_key
        else:
            self._attr_name = None  # named as its device (a zone)

    def _get(self, key: str | None) -> Any:
        """A point's current value (None for no key or a point not read)."""
        return (self.coordinator.data or {}).get(key) if key else None

    def _number(self, key: str | None) -> float | None:
        """A point's current value as a float, where it is a number."""
        return as_number(self._get(key))


def add_point_entities(
    entry: HeatPumpConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    platform: Platform,
    entity_class: Callable[[HeatPumpCoordinator, Point], HeatPumpEntity],
) -> None:
    """Create one entity of ``entity_class`` for every point shown on ``platform``.

    Points that appear later (a new device of the source) get their entity after the poll
    that found them, without a reload.
    """
    coordinator = entry.runtime_data.coordinator
    added: set[str] = set()

    @callback
    def _add_new() -> None:
        added.intersection_update(coordinator.source.points)  # a returning device: new entities
        new = [
            point
            for point in coordinator.source.points.values()
            if point.key not in added and platform_for(point) is platform
        ]
        added.update(point.key for point in new)
        if new:
            async_add_entities(entity_class(coordinator, point) for point in new)

    _add_new()
    entry.async_on_unload(coordinator.async_add_listener(_add_new))
