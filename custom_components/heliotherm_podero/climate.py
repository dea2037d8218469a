"""Climate: each kind of climate a source describes, shown by a class of its own.

A heating circuit (Heliotherm), a zone (Aris), a comfort band (Podero): ``climate_kinds``
holds one class each over the shared base (``climate_base``).
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .climate_kinds import climate_for
from .runtime import HeatPumpConfigEntry

PARALLEL_UPDATES = 1


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One climate per heating circuit or zone; zones that appear later are added then."""
    coordinator = entry.runtime_data.coordinator
    added: set[str] = set()

    @callback
    def _add_new() -> None:
        specs = {spec.unique_id: spec for spec in coordinator.source.climates}
        added.intersection_update(specs)  # a zone that comes back gets a new entity
        new = [spec for unique_id, spec in specs.items() if unique_id not in added]
        added.update(spec.unique_id for spec in new)
        if new:
            async_add_entities(climate_for(coordinator, spec) for spec in new)

    _add_new()
    entry.async_on_unload(coordinator.async_add_listener(_add_new))
