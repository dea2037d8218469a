"""Names that differ between the Home Assistant releases this integration supports (2025.4+).

Home Assistant 2026.x validates with probatio (``voluptuous`` is an alias of it there at run
time, but not for a type checker) and names the repair flow result type; 2025.4 has neither.
Each difference is detected from the running release, never from its version number.
"""

from __future__ import annotations

import inspect
from typing import Any

from homeassistant import config_entries
from homeassistant.components.calendar import CalendarEntity
from homeassistant.components.climate import ClimateEntity
from homeassistant.components.water_heater import WaterHeaterEntity
from homeassistant.data_entry_flow import FlowHandler, FlowResult
from homeassistant.helpers import device_registry as dr

try:
    import probatio as vol  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # pragma: no cover - Home Assistant before 2026
    import voluptuous as vol  # type: ignore[no-redef,unused-ignore]

try:
    from homeassistant.components.repairs import (  # type: ignore[attr-defined,unused-ignore]
        RepairsFlowResult,
    )
except ImportError:  # pragma: no cover - Home Assistant before 2026
    from homeassistant.data_entry_flow import (  # type: ignore[assignment,unused-ignore]
        FlowResult as RepairsFlowResult,
    )

# Home Assistant 2026.x links a child device to its parent by registry ID (``via_device_id``)
# and deprecates the identifier tuple (``via_device``) that 2025.4 knows only.
VIA_DEVICE_ID = (
    "via_device_id" in inspect.signature(dr.DeviceRegistry.async_get_or_create).parameters
)


def via_device_kwargs(parent: dr.DeviceEntry) -> dict[str, Any]:
    """The keyword that makes a new device hang under ``parent``."""
    if VIA_DEVICE_ID:
        return {"via_device_id": parent.id}
    return {"via_device": next(iter(parent.identifiers))}


# Home Assistant 2026.11 wants a config entry's setup and unload to return nothing (a boolean is
# reported; failures raise); older releases want True.
ENTRY_OK: bool | None = (
    None if hasattr(config_entries, "_async_process_entry_method_result") else True
)

# Home Assistant 2026.11 names the temperatures of climates and water heaters native_*; the old
# names are deprecated there (they stop working in 2027.11). Older releases know only the old.
NATIVE_CLIMATE_TEMPERATURES = hasattr(ClimateEntity, "native_current_temperature")
NATIVE_WATER_HEATER_TEMPERATURES = hasattr(WaterHeaterEntity, "native_current_temperature")

# Since 2026.x an abort names the domain that translates its reason: "reauth_successful" and
# "reconfigure_successful" are translated centrally by Home Assistant itself.
ABORT_TRANSLATION_DOMAIN = (
    "translation_domain" in inspect.signature(FlowHandler.async_abort).parameters
)


def abort_done[ResultT: FlowResult[Any, Any]](
    flow: FlowHandler[Any, ResultT, Any], reason: str
) -> ResultT:
    """Abort ``flow`` with a reason Home Assistant translates itself, where it does."""
    if ABORT_TRANSLATION_DOMAIN:
        return flow.async_abort(  # type: ignore[call-arg,unused-ignore]
            reason=reason, translation_domain="homeassistant"
        )
    return flow.async_abort(reason=reason)


# Home Assistant 2026.4 lets a calendar tell the views open on it that its events changed;
# older releases fetch again on their own.
CALENDAR_EVENT_LISTENERS = hasattr(CalendarEntity, "async_update_event_listeners")
# Newer releases let a calendar propose its colour in the Calendar panel (``initial_color``).
CALENDAR_INITIAL_COLOR = hasattr(CalendarEntity, "initial_color")


def notify_calendar_views(calendar: CalendarEntity) -> None:
    """Open calendar views fetch the events again (where the release lets a calendar say so)."""
    if CALENDAR_EVENT_LISTENERS:
        calendar.async_update_event_listeners()  # type: ignore[attr-defined,unused-ignore]


__all__ = [
    "ABORT_TRANSLATION_DOMAIN",
    "CALENDAR_EVENT_LISTENERS",
    "CALENDAR_INITIAL_COLOR",
    "ENTRY_OK",
    "NATIVE_CLIMATE_TEMPERATURES",
    "NATIVE_WATER_HEATER_TEMPERATURES",
    "VIA_DEVICE_ID",
    "RepairsFlowResult",
    "abort_done",
    "notify_calendar_views",
    "via_device_kwargs",
    "vol",
]
