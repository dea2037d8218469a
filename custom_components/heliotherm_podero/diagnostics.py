"""Config entry diagnostics: identity, catalog status, poll statistics, current values."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from .clock import clock_drift_seconds
from .const import CONF_SERIAL_NUMBER, CONF_TOKEN
from .runtime import HeatPumpConfigEntry

# Credentials (token, client secret) and what identifies a household (serial and property
# numbers, names, e-mail addresses, links that carry a secret).
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
    "client_id",
    "access_token",
    "email",
    "first_name",
    "last_name",
    "owner",
    "resolution_link",
    "url",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: HeatPumpConfigEntry
) -> dict[str, Any]:
    """Everything useful for a bug report; the source adds its own figures."""
    coordinator = entry.runtime_data.coordinator
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
