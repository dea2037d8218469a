"""Config entry diagnostics: identity, catalog status, poll statistics, current values."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import REDACTED, async_redact_data
from homeassistant.core import HomeAssistant

from .clock import clock_drift_seconds
from .flows import mode_of
from .runtime import HeatPumpConfigEntry

# What every entry holds that names a household: the title and device keys; a mode adds its
# credentials and identifiers (``FlowMode.secret_keys``). A source redacts its own figures
# (its diagnostics) and names its private points (their values are redacted here).
TO_REDACT = frozenset({"unique_id", "title", "devices", "access_token"})


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
            "values": {
                key: REDACTED
                if key in source.private_points and value is not None
                else _plain(value)
                for key, value in sorted(data.items())
            },
        },
        TO_REDACT | mode_of(entry.data).secret_keys,
    )


def _plain(value: object) -> object:
    return value if isinstance(value, bool | int | float | str | None) else str(value)
