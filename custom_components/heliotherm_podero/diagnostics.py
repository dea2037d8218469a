"""Config entry diagnostics: identity, catalog status, poll statistics, current values."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from .const import CONF_SERIAL_NUMBER, CONF_TOKEN
from .coordinator import HeatPumpConfigEntry
from .repairs import clock_drift_seconds

# Nothing here is a credential; the serial number and property number identify a household.
TO_REDACT = {
    CONF_SERIAL_NUMBER,
    CONF_TOKEN,
    "serial_number",
    "sp_3",
    "unique_id",
    "title",
    "devices",
    "token",
    "client_secret",
    "access_token",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: HeatPumpConfigEntry
) -> dict[str, Any]:
    """Everything useful for a bug report; the source adds its own figures."""
    coordinator = entry.runtime_data
    source = coordinator.source
    data = coordinator.data or {}
    return async_redact_data(
        {
            "entry": {"data": dict(entry.data), "options": dict(entry.options)},
            "devices": sorted(source.devices),
            "polled": sorted(coordinator.polled_keys),
            "last_update_success": coordinator.last_update_success,
            "clock_drift_s": clock_drift_seconds(coordinator),
            "source": source.diagnostics(),
            "values": {key: _plain(value) for key, value in sorted(data.items())},
        },
        TO_REDACT,
    )


def _plain(value: object) -> object:
    return value if isinstance(value, bool | int | float | str | None) else str(value)
