"""Flash wear guard: a repair issue when one setting is written too often within a day.

The pump keeps its settings in memory that wears out with every write. Automations that write
the same setting every few minutes shorten the controller's life; the owner is told which
setting and how often, once, and the issue goes away when the rate drops.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN
from .platform_map import platform_for

if TYPE_CHECKING:
    from .coordinator import HeatPumpCoordinator

WEAR_ISSUE = "frequent_writes"


def wear_issue_id(entry_id: str, key: str) -> str:
    """One issue per pump and setting."""
    return f"{WEAR_ISSUE}_{entry_id}_{key}"


@callback
def async_check_wear(hass: HomeAssistant, coordinator: HeatPumpCoordinator, key: str) -> None:
    """Raise or clear the issue for ``key`` from the writes of the last 24 hours."""
    count = coordinator.source.writes_last_day(key)
    limit = coordinator.write_warning_per_day
    issue_id = wear_issue_id(coordinator.config_entry.entry_id, key)
    if count > limit:
        coordinator.worn_keys.add(key)
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=WEAR_ISSUE,
            translation_placeholders={
                "name": _display_name(hass, coordinator, key),
                "count": str(count),
                "limit": str(limit),
            },
        )
    elif key in coordinator.worn_keys:
        coordinator.worn_keys.discard(key)
        ir.async_delete_issue(hass, DOMAIN, issue_id)


def _display_name(hass: HomeAssistant, coordinator: HeatPumpCoordinator, key: str) -> str:
    """The entity's name as the owner sees it, else the point key."""
    point = coordinator.source.points.get(key)
    if point is None:
        return key
    entity_id = er.async_get(hass).async_get_entity_id(platform_for(point), DOMAIN, point.unique_id)
    state = hass.states.get(entity_id) if entity_id else None
    return f"{state.name} ({key})" if state is not None else key
