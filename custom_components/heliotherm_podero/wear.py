"""Flash wear guard: a repair issue when one setting is written too often within a day.

The pump keeps its settings in memory that wears out with every write. Automations that write
the same setting every few minutes shorten the controller's life; the owner is told which
setting and how often, once, and the issue goes away when the rate drops. The guard listens to
the coordinator: every write is counted, every update looks again at the settings it warned of.
"""

from __future__ import annotations

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN
from .coordinator import HeatPumpCoordinator
from .descriptions import platform_for
from .sources.capabilities import WriteCounter

WEAR_ISSUE = "frequent_writes"


def wear_issue_id(entry_id: str, key: str) -> str:
    """One issue per pump and setting."""
    return f"{WEAR_ISSUE}_{entry_id}_{key}"


class WearGuard:
    """Counts one entry's writes against a daily limit (the entry's option)."""

    def __init__(self, hass: HomeAssistant, coordinator: HeatPumpCoordinator, limit: int) -> None:
        self.hass = hass
        self.coordinator = coordinator
        self.limit = limit
        self.worn_keys: set[str] = set()  # settings with an open "written too often" issue

    @callback
    def async_start(self) -> CALLBACK_TYPE:
        """Listen to the coordinator's writes and updates; returns the unsubscribe callback."""
        unsubscribe = (
            self.coordinator.async_add_write_listener(self.async_check),
            self.coordinator.async_add_listener(self._async_recheck),
        )

        @callback
        def _stop() -> None:
            for stop in unsubscribe:
                stop()

        return _stop

    @callback
    def _async_recheck(self) -> None:
        for key in list(self.worn_keys):
            self.async_check(key)

    @callback
    def async_check(self, key: str) -> None:
        """Raise or clear the issue for ``key`` from the writes of the last 24 hours."""
        source = self.coordinator.source
        if not isinstance(source, WriteCounter):
            return  # writes to a cloud or a controller that does not wear: nothing to count
        count = source.writes_last_day(key)
        issue_id = wear_issue_id(self.coordinator.config_entry.entry_id, key)
        if count > self.limit:
            self.worn_keys.add(key)
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                issue_id,
                is_fixable=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key=WEAR_ISSUE,
                translation_placeholders={
                    "name": self._display_name(key),
                    "count": str(count),
                    "limit": str(self.limit),
                },
            )
        elif key in self.worn_keys:
            self.worn_keys.discard(key)
            ir.async_delete_issue(self.hass, DOMAIN, issue_id)

    def _display_name(self, key: str) -> str:
        """The entity's name as the owner sees it, else the point key."""
        point = self.coordinator.source.points.get(key)
        if point is None:
            return key
        entity_id = er.async_get(self.hass).async_get_entity_id(
            platform_for(point), DOMAIN, point.unique_id
        )
        state = self.hass.states.get(entity_id) if entity_id else None
        return f"{state.name} ({key})" if state is not None else key
