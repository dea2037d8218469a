"""Repairs: clock drift, a stopped away-mode plan, devices that need the owner's action.

The clock issue is fixable (set the clock); a device that needs action in a vendor's portal
gets a link to it, and its issue goes as soon as the action is done.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from homeassistant.components.repairs import ConfirmRepairFlow, RepairsFlow
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .away import AWAY_ISSUE, AwayModeManager
from .clock import async_sync_clock, clock_drift_seconds
from .compat import RepairsFlowResult, vol
from .const import CLOCK_DRIFT_LIMIT, DOMAIN
from .coordinator import SIDE_EFFECT_ISSUE, HeatPumpCoordinator
from .runtime import HeatPumpConfigEntry
from .sources.capabilities import DeviceProblems

CLOCK_ISSUE = "clock_drift"
CLOCK_AHEAD, CLOCK_BEHIND = "clock_ahead", "clock_behind"  # the issue's two titles
DEVICE_ISSUE = "device_problem"


@callback
def async_delete_entry_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Remove every issue of one entry (clock, away mode, frequent writes)."""
    registry = ir.async_get(hass)
    for domain, issue in list(registry.issues):
        if domain == DOMAIN and (issue.endswith(f"_{entry_id}") or f"_{entry_id}_" in issue):
            ir.async_delete_issue(hass, DOMAIN, issue)


def issue_id(entry: HeatPumpConfigEntry) -> str:
    """One clock issue per pump."""
    return f"{CLOCK_ISSUE}_{entry.entry_id}"


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
                # "12 minutes ahead", never "off by -12": the sign picks the words.
                translation_key=CLOCK_AHEAD if drift > 0 else CLOCK_BEHIND,
                translation_placeholders={
                    "minutes": str(abs(round(drift / 60))),
                    "name": entry.title,  # which pump, where there are several
                },
                data={"entry_id": entry.entry_id, "kind": CLOCK_ISSUE},
            )
        else:
            ir.async_delete_issue(hass, DOMAIN, issue_id(entry))

    _check()
    return coordinator.async_add_listener(_check)


@callback
def async_watch_device_problems(
    hass: HomeAssistant, entry: HeatPumpConfigEntry, coordinator: HeatPumpCoordinator
) -> CALLBACK_TYPE:
    """One issue per device that needs action; gone as soon as the source stops reporting it."""
    source = coordinator.source
    if not isinstance(source, DeviceProblems):
        return lambda: None
    prefix = f"{DEVICE_ISSUE}_{entry.entry_id}_"

    @callback
    def _check() -> None:
        problems = source.device_problems()
        registry = ir.async_get(hass)
        for domain, issue in list(registry.issues):
            if (
                domain == DOMAIN
                and issue.startswith(prefix)
                and issue[len(prefix) :] not in problems
            ):
                ir.async_delete_issue(hass, DOMAIN, issue)
        for device_key, problem in problems.items():
            device = source.devices.get(device_key)
            name = problem.name or (device.name if device else None) or device_key
            ir.async_create_issue(
                hass,
                DOMAIN,
                prefix + device_key,
                is_fixable=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key=problem.translation_key,
                translation_placeholders={"name": name, "link": problem.link or "-"},
                learn_more_url=problem.link,
            )

    _check()
    return coordinator.async_add_listener(_check)


class ClockRepairFlow(RepairsFlow):
    """Confirm, then set the pump's clock."""

    def __init__(self, entry_id: str) -> None:
        self.entry_id = entry_id

    async def async_step_init(self, user_input: dict[str, str] | None = None) -> RepairsFlowResult:
        """Start with the confirmation."""
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Sync the clock once confirmed."""
        if user_input is not None:
            entry: HeatPumpConfigEntry | None = self.hass.config_entries.async_get_entry(
                self.entry_id
            )
            if entry is None or entry.state is not ConfigEntryState.LOADED:
                return self.async_abort(reason="not_loaded")
            await async_sync_clock(entry.runtime_data.coordinator)
            return self.async_create_entry(data={})
        entry = self.hass.config_entries.async_get_entry(self.entry_id)
        return self.async_show_form(
            step_id="confirm",
            data_schema=vol.Schema({}),
            description_placeholders={"name": entry.title if entry else ""},
        )


class AwayModeRepairFlow(RepairsFlow):
    """A stopped away-mode plan: the owner keeps it (try again now) or drops it."""

    def __init__(self, entry_id: str) -> None:
        self.entry_id = entry_id

    async def async_step_init(self, user_input: dict[str, str] | None = None) -> RepairsFlowResult:
        """Offer the two choices."""
        return self.async_show_menu(step_id="init", menu_options=["retry", "discard"])

    async def async_step_retry(self, user_input: dict[str, str] | None = None) -> RepairsFlowResult:
        """Keep the plan and carry it out again (a new issue appears if it fails again)."""
        return await self._async_act(lambda away: away.async_retry())

    async def async_step_discard(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Drop the plan; nothing is written to the pump."""
        return await self._async_act(lambda away: away.async_discard())

    async def _async_act(
        self, action: Callable[[AwayModeManager], Awaitable[None]]
    ) -> RepairsFlowResult:
        entry = self._loaded_entry()
        if entry is None or entry.runtime_data.away is None:
            return self.async_abort(reason="not_loaded")
        await action(entry.runtime_data.away)
        return self.async_create_entry(data={})

    def _loaded_entry(self) -> HeatPumpConfigEntry | None:
        entry: HeatPumpConfigEntry | None = self.hass.config_entries.async_get_entry(self.entry_id)
        if entry is None or entry.state is not ConfigEntryState.LOADED:
            return None
        return entry


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None
) -> RepairsFlow:
    """The repair flow of a clock or away-mode issue."""
    entry_id = str((data or {})["entry_id"])
    if issue_id.startswith(SIDE_EFFECT_ISSUE):
        return ConfirmRepairFlow()  # the owner has looked at the settings
    if issue_id.startswith(AWAY_ISSUE):
        return AwayModeRepairFlow(entry_id)
    return ClockRepairFlow(entry_id)
