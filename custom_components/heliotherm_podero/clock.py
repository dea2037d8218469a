"""The pump's clock: how far it is off, and setting it (services, repairs, diagnostics).

A source with a clock puts what it read into the coordinator's ``extra`` ("clock", naive local
time of the pump, and "clock_read_at", when it was read); this module is the one place that
knows those keys.
"""

from __future__ import annotations

from datetime import datetime

from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .coordinator import HeatPumpCoordinator
from .sources.capabilities import Clock
from .sources.commands import SetClock


def clock_drift_seconds(coordinator: HeatPumpCoordinator) -> float | None:
    """Pump clock minus Home Assistant's local time at the moment the clock was read."""
    clock = coordinator.extra.get("clock")
    read_at = coordinator.extra.get("clock_read_at")
    if clock is None or read_at is None:
        return None
    local = dt_util.as_local(dt_util.utc_from_timestamp(read_at)).replace(tzinfo=None)
    # The pump shows whole seconds: compare with the second it was read in.
    return float((clock - local.replace(microsecond=0)).total_seconds())


async def async_sync_clock(coordinator: HeatPumpCoordinator, when: datetime | None = None) -> None:
    """Set the pump's clock to ``when`` (default: now), in Home Assistant's local time."""
    source = coordinator.source
    if not isinstance(source, Clock):
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="not_supported")
    if when is None:
        when = dt_util.now()
    elif when.tzinfo is None:
        when = when.replace(tzinfo=dt_util.get_default_time_zone())  # as given, the pump's time
    local = dt_util.as_local(when).replace(tzinfo=None, microsecond=0)
    # The pump's answer is its clock as of now: the drift is measured against that moment.
    await coordinator.async_command(SetClock(local))
