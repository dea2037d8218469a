"""Commanding the Brain's zones: one command with every value, confirmed by reading back.

The values are checked first (``zones.zone_command``); the Brain applies a command in its
control loop, sometimes late, so the zone is read again a few times before a value counts as
not applied.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..model import InvalidValue, Snapshot, Value, WriteRejected
from ..polled import Known, PolledSource
from .client import ArisClient
from .fields import ZONE_COOL_SETPOINT, ZONE_HEAT_SETPOINT
from .models import Zone
from .zones import unconfirmed, zone_command

# The Brain applies a command in its control loop, sometimes late: re-read after each of these
# pauses (about 3 s in all) before a command counts as not applied.
CONFIRM_DELAYS = (0.25, 0.5, 0.75, 1.5)


@dataclass(slots=True)
class ZonesKnown(Known):
    """What every source knows, and the zones (their commands need the last zone read)."""

    zones: dict[str, Zone] = field(default_factory=dict)


class ZoneCommands(PolledSource[ZonesKnown]):
    """The writes of the Aris source: zone commands (mode, setpoints)."""

    client: ArisClient

    async def _read_zone(self, zone_id: str) -> Snapshot:
        """A zone read now, taken into the known points (the source does it)."""
        raise NotImplementedError

    async def async_write(self, values: Mapping[str, Value]) -> Snapshot:
        """Send one zone command with every given value; the re-read zone is the answer.

        Mode and setpoints are checked first (the zone's modes, 10-30 C, and for a pair the
        2.2 C gap); a single setpoint may make the Brain move the other one, which the
        re-read shows.
        """
        zone, command = self._zone_command(values)
        await self.client.command_zone(zone.id, command)
        setpoints = {
            spec.name: self.field_key(zone.id, spec.name, "zone")
            for spec in (ZONE_HEAT_SETPOINT, ZONE_COOL_SETPOINT)
        }
        snapshot = await self._read_zone(zone.id)
        for delay in CONFIRM_DELAYS:  # applied late: read again a few times
            if unconfirmed(snapshot, values, setpoints) is None:
                break
            await asyncio.sleep(delay)
            snapshot = await self._read_zone(zone.id)
        if (refused := unconfirmed(snapshot, values, setpoints)) is not None:
            raise WriteRejected(refused, values[refused], snapshot.values.get(refused))
        return snapshot

    def _zone_command(self, values: Mapping[str, Value]) -> tuple[Zone, dict[str, Any]]:
        if self._read_only:
            raise InvalidValue("read_only_mode")
        fields = {key: self.field_of(key) for key in values}
        zone_ids = {f.object_id for f in fields.values() if f is not None and f.kind == "zone"}
        for key in values:
            point = self._known.points.get(key)
            if point is None or not point.writable or len(zone_ids) != 1:
                raise InvalidValue("read_only_point", point=key)
        zone = self._known.zones.get(zone_ids.pop())
        if zone is None:  # missing from the last poll: kept, but not commanded
            raise InvalidValue("device_gone")
        asked = {
            found.name: (key, self._known.points.get(key), value)
            for key, value in values.items()
            if (found := fields[key]) is not None
        }
        return zone, zone_command(zone, asked)
