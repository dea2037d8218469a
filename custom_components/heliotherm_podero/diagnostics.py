"""Config entry diagnostics: identity, catalog status, poll statistics, current values."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from .const import CONF_SERIAL_NUMBER
from .coordinator import HeatPumpConfigEntry
from .repairs import clock_drift_seconds

# Nothing here is a credential; the serial number and property number identify a household.
TO_REDACT = {CONF_SERIAL_NUMBER, "serial_number", "sp_3", "unique_id", "title"}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: HeatPumpConfigEntry
) -> dict[str, Any]:
    """Everything useful for a bug report."""
    coordinator = entry.runtime_data
    source = coordinator.source
    stats = source.poll_stats
    points = source.points
    data = coordinator.data or {}
    return async_redact_data(
        {
            "entry": {"data": dict(entry.data), "options": dict(entry.options)},
            "pump": {
                "serial_number": source.identity.serial_number if source.identity else None,
                "software_version": source.identity.software_version if source.identity else None,
                "build": source.identity.build if source.identity else None,
                "clock_drift_s": clock_drift_seconds(coordinator),
            },
            "catalog": {
                "points_offered": len(points),
                "writable": sorted(k for k, p in points.items() if p.writable),
                "polled": sorted(coordinator.polled_keys),
                "absent_on_this_pump": sorted(stats.absent_points),
            },
            "polls": {
                "count": stats.polls,
                "last_duration_s": stats.last_duration_s,
                "last_round_trips": stats.last_round_trips,
                "last_update_success": coordinator.last_update_success,
            },
            "link": source.diagnostics(),
            "values": {key: _plain(value) for key, value in sorted(data.items())},
        },
        TO_REDACT,
    )


def _plain(value: object) -> object:
    return value if isinstance(value, bool | int | float | str | None) else str(value)
