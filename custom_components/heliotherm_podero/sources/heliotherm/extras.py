"""What only the Heliotherm source can do: time programs, clock, fault list, any parameter.

Capabilities the upper floor looks up (``sources/capabilities.py``); the commands
(``sources/commands.py``) call the writing ones. Also the write counter (the pump's settings
memory wears) and the source's diagnostics.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..capabilities import FaultEntry, FaultMark, FaultNews
from ..jsonvalues import REDACTED
from ..model import (
    InvalidValue,
    Point,
    Snapshot,
    Value,
)
from ..programs import ProgramDays, SlotEdit, TimeProgram, TimeProgramEntry, TimeProgramInfo
from .catalog import CatalogPoint, PointType, PointValue
from .client import HeliothermClient
from .errors import PointNotFound
from .fault_news import fault_news
from .points import (
    FAULT_COUNT_KEY,
    OPERATING_MODE_KEY,
    OPERATING_MODES,
)


@dataclass(frozen=True, slots=True)
class PumpIdentity:
    """Who answered on the line."""

    serial_number: int
    software_version: str
    build: int


@dataclass(slots=True)
class PollStatistics:
    """Per-poll figures for diagnostics."""

    polls: int = 0
    last_duration_s: float | None = None
    last_round_trips: int = 0
    absent_points: set[str] = field(default_factory=set)


async def read_identity(client: HeliothermClient) -> PumpIdentity:
    """Log in and read serial number and software version."""
    await client.ensure_session()
    serial_number = await client.serial_number()
    version, build = await client.software_version()
    return PumpIdentity(serial_number=serial_number, software_version=version, build=build)


class PumpExtras:
    """The pump's capabilities, over its client and the points the source describes."""

    client: HeliothermClient
    identity: PumpIdentity | None
    poll_stats: PollStatistics
    _points: dict[str, Point]

    def _to_value(self, key: str, value: PointValue) -> Value:
        """A value as the points show it (the operating mode by name)."""
        if key == OPERATING_MODE_KEY:
            index = int(value)
            return OPERATING_MODES[index] if 0 <= index < len(OPERATING_MODES) else None
        return value

    async def async_write_point(
        self, key: str, value: Value, *, any_setting: bool = False
    ) -> Value:
        """Write one point; the source writes it (and confirms it)."""
        raise NotImplementedError

    def _catalog_entry(self, key: str) -> CatalogPoint:
        entry = self.client.catalog.by_key(key)
        if entry is None:
            raise InvalidValue("unknown_point", point=key)
        return entry

    async def async_get_parameters(self, names: list[str]) -> list[dict[str, Any]]:
        """Read any points now, by key or the pump's name (HtREST ``GET /api/v1/param``).

        Each answer carries the pump's own name, value, unit, the limits the pump reports and
        whether the pump accepts writes; unknown names and points this pump does not have are
        answered as such, without failing the others.
        """
        answers: list[dict[str, Any]] = []
        for name in names:
            entry = self.client.catalog.find(name)
            if entry is None:
                answers.append({"parameter": name, "status": "unknown"})
                continue
            try:
                record = await self.client.read_record(entry.point_type, entry.number)
            except PointNotFound:
                answers.append({"parameter": name, "key": entry.key, "status": "absent"})
                continue
            answers.append(
                {
                    "parameter": name,
                    "key": entry.key,
                    "status": "ok",
                    "name": record.name,
                    "value": record.value,
                    "unit": entry.unit,
                    "minimum": record.minimum if record.has_limits else None,
                    "maximum": record.maximum if record.has_limits else None,
                    # WR on a measurement means "manual overwrite", which is never done here.
                    "writable": record.writable
                    and entry.point_type is PointType.SP
                    and not entry.is_trigger,
                    "in_use": record.in_use,
                }
            )
        return answers

    def find_setting(self, name: str) -> str:
        """The key of a point given by key (``sp_69``) or the pump's name (``HKR Soll_Raum``)."""
        entry = self.client.catalog.find(name)
        if entry is None:
            raise InvalidValue("unknown_point", point=name.strip())
        return entry.key

    async def async_write_setting(self, key: str, value: Value) -> Snapshot:
        """Write any writable catalog point (the administrators' set_parameter)."""
        return Snapshot(values={key: await self.async_write_point(key, value, any_setting=True)})

    def writes_last_day(self, key: str) -> int:
        """How often ``key`` was written within the last 24 hours."""
        return self.client.writes.last_day(key)

    def write_mark(self) -> int:
        """A mark of the writes the client has sent so far."""
        return self.client.writes.total

    def written_since(self, mark: int) -> frozenset[str]:
        """The keys (settings, ``time_program_<i>``) written since ``mark``."""
        return self.client.writes.since(mark)

    # -- capabilities -------------------------------------------------------------------------

    async def async_time_programs(self) -> list[TimeProgramInfo]:
        """Every program's header (``PRL``)."""
        return await self.client.time_programs()

    async def async_time_program(self, index: int) -> TimeProgram:
        """One whole program (``PRD``)."""
        return await self.client.time_program(index)

    async def async_set_time_program(
        self, index: int, days: Sequence[tuple[int, Sequence[TimeProgramEntry]]]
    ) -> TimeProgram:
        """Write whole days of a program; the result is what the pump reports."""
        return await self.client.set_time_program(index, days)

    async def async_edit_time_program(self, edit: SlotEdit) -> ProgramDays:
        """Read the edit's days now, edit them, write what differs; the days as stored."""
        return ProgramDays(edit.program, await self.client.edit_time_program(edit))

    async def async_set_clock(self, local: datetime) -> datetime:
        """Set the pump's clock; returns the clock it reports."""
        return await self.client.set_clock(local)

    @property
    def fault_count_key(self) -> str:
        """The fault list's length (ALS), read on the settings interval."""
        return FAULT_COUNT_KEY

    async def async_fault_range(self, start: int, end: int) -> list[FaultEntry]:
        """Fault list entries ``start`` .. ``end - 1`` that exist."""
        return await self.client.fault_range(start, end)

    async def async_fault_news(self, mark: FaultMark | None, count: int) -> FaultNews:
        """The entries after ``mark`` (the list is a ring once full: ``fault_news``)."""
        return await fault_news(self.client.fault_range, mark, count)

    def diagnostics(self) -> dict[str, Any]:
        """Identity, catalog status, poll figures, link figures, names differing from ours."""
        identity = self.identity
        stats = self.poll_stats
        return {
            "pump": {
                # identifies the pump, and so the household
                "serial_number": REDACTED if identity and identity.serial_number else None,
                "software_version": identity.software_version if identity else None,
                "build": identity.build if identity else None,
            },
            "catalog": {
                "points_offered": len(self._points),
                "writable": sorted(k for k, p in self._points.items() if p.writable),
                "absent_on_this_pump": sorted(stats.absent_points),
            },
            "polls": {
                "count": stats.polls,
                "last_duration_s": stats.last_duration_s,
                "last_round_trips": stats.last_round_trips,
            },
            "link": self._link_diagnostics(),
        }

    def _link_diagnostics(self) -> dict[str, Any]:
        stats = self.client.stats
        return {
            "link_round_trips": stats.round_trips,
            "link_faults": stats.faults,
            "last_fault": stats.last_fault,
            "late_bytes_discarded": stats.late_bytes_discarded,
            "writes_last_day": self.client.writes.counts(),
            "names_differing_from_catalog": {
                key: {
                    "catalog": entry.name if (entry := self.client.catalog.by_key(key)) else None,
                    "pump": name,
                }
                for key, name in sorted(self.client.name_mismatches.items())
            },
        }
