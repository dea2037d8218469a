"""Repair: the pump's clock drifts; the fix sets it to Home Assistant's time."""

from __future__ import annotations

from typing import Any

import voluptuous as vol
from homeassistant import data_entry_flow
from homeassistant.components.repairs import RepairsFlow
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util

from .const import CLOCK_DRIFT_LIMIT, DOMAIN
from .coordinator import HeatPumpConfigEntry, HeatPumpCoordinator
from .services import async_sync_clock

CLOCK_ISSUE = "clock_drift"


def issue_id(entry: HeatPumpConfigEntry) -> str:
    """One clock issue per pump."""
    return f"{CLOCK_ISSUE}_{entry.entry_id}"


def clock_drift_seconds(coordinator: HeatPumpCoordinator) -> float | None:
    """Pump clock minus Home Assistant's local time, from the last settings poll."""
    clock = coordinator.extra.get("clock")
    if clock is None:
        return None
    now = dt_util.now().replace(tzinfo=None, microsecond=0)
    return float((clock - now).total_seconds())


@callback
def async_watch_clock(
    hass: HomeAssistant, entry: HeatPumpConfigEntry, coordinator: HeatPumpCoordinator
) -> CALLBACK_TYPE:
    """Raise or clear the clock issue after every poll; returns the unsubscribe callback."""

    @callback
    def _check() -> None:
        drift = clock_drift_seconds(coordinator)
        if drift is None:
            return
        if abs(drift) > CLOCK_DRIFT_LIMIT.total_seconds():
            ir.async_create_issue(
                hass,
                DOMAIN,
                issue_id(entry),
                is_fixable=True,
                severity=ir.IssueSeverity.WARNING,
                translation_key=CLOCK_ISSUE,
                translation_placeholders={"minutes": str(round(drift / 60))},
                data={"entry_id": entry.entry_id},
            )
        else:
            ir.async_delete_issue(hass, DOMAIN, issue_id(entry))

    _check()
    return coordinator.async_add_listener(_check)


class ClockRepairFlow(RepairsFlow):
    """Confirm, then set the pump's clock."""

    def __init__(self, entry_id: str) -> None:
        self.entry_id = entry_id

    async def async_step_init(
        self, user_input: dict[str, str] | None = None
    ) -> data_entry_flow.FlowResult:
        """Start with the confirmation."""
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, str] | None = None
    ) -> data_entry_flow.FlowResult:
        """Sync the clock once confirmed."""
        if user_input is not None:
            entry: HeatPumpConfigEntry | None = self.hass.config_entries.async_get_entry(
                self.entry_id
            )
            if entry is None or entry.state is not ConfigEntryState.LOADED:
                return self.async_abort(reason="not_loaded")
            await async_sync_clock(entry.runtime_data)
            return self.async_create_entry(data={})
        return self.async_show_form(step_id="confirm", data_schema=vol.Schema({}))


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None
) -> RepairsFlow:
    """The repair flow for a clock issue."""
    return ClockRepairFlow(str((data or {})["entry_id"]))
