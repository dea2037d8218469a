"""Events: one "Faults" entity per device that reports faults (raised, cleared)."""

from __future__ import annotations

from typing import Any

from homeassistant.components.event import EventEntity
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .coordinator import HeatPumpCoordinator
from .devices import device_info
from .faults import EVENT_TYPES, FaultTracker
from .runtime import HeatPumpConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """A fault event entity for each device that reports faults, also devices found later."""
    runtime = entry.runtime_data
    tracker = runtime.faults
    coordinator = runtime.coordinator
    added: set[str] = set()

    @callback
    def _add_new() -> None:
        added.intersection_update(coordinator.source.devices)  # a returning device: new entity
        new = [device for device in tracker.devices() if device not in added]
        added.update(new)
        if new:
            async_add_entities(FaultEvent(coordinator, tracker, device) for device in new)

    _add_new()
    entry.async_on_unload(coordinator.async_add_listener(_add_new))


class FaultEvent(CoordinatorEntity[HeatPumpCoordinator], EventEntity):
    """A device's faults: ``fault_raised`` and ``fault_cleared`` with code, text and time."""

    _attr_has_entity_name = True
    _attr_translation_key = "faults"
    _attr_event_types = EVENT_TYPES

    def __init__(
        self, coordinator: HeatPumpCoordinator, tracker: FaultTracker, device: str
    ) -> None:
        super().__init__(coordinator)
        self.tracker = tracker
        self.device = device
        self._attr_unique_id = f"{device}_faults"
        self._attr_device_info = device_info(coordinator.hass, coordinator.source, device)

    async def async_added_to_hass(self) -> None:
        """Hear of the device's faults from the tracker."""
        await super().async_added_to_hass()
        self.async_on_remove(self.tracker.async_listen(self.device, self._async_fault))

    @callback
    def async_entity_id_changed(self, old_entity_id: str) -> None:
        """Renamed in place (2026.11+): the tracker knows this entity by its device."""

    @callback
    def _async_fault(self, event_type: str, attributes: dict[str, Any]) -> None:
        self._trigger_event(event_type, attributes)
        self.async_write_ha_state()
