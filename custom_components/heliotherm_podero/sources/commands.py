"""Every change to a device as a command: typed data that runs against a source.

The upper floor builds a command and hands it to the coordinator's one door, which gives it
the link's turn and runs it; only the commands here call a source's writing methods. A
command answers with what the device reported (``Outcome``); a command that is refused raises
a ``SourceError`` (``InvalidValue`` before anything is written).
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from .capabilities import Clock, DeviceAwayMode, Parameters, PausePower, TimePrograms
from .model import InvalidValue, Snapshot, Source, Value, same_value
from .programs import ProgramDays, SlotEdit, TimeProgramEntry


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the device reported after a command: points (and extras), a program's days."""

    snapshot: Snapshot = field(default_factory=Snapshot)
    program: ProgramDays | None = None


class PointChanged(InvalidValue):
    """The device no longer holds the value the command was made against: nothing written."""

    def __init__(self, key: str, seen: Value, reported: Value) -> None:
        super().__init__("point_changed", point=key, seen=seen, reported=reported)
        self.key = key
        self.reported = reported


def not_supported() -> InvalidValue:
    """The source cannot do what the command asks."""
    return InvalidValue("not_supported")


class Command(ABC):
    """A change to a device."""

    __slots__ = ()

    @property
    def program(self) -> int | None:
        """The time program the command changes, if any (read again when it fails)."""
        return None

    @abstractmethod
    async def run(self, source: Source) -> Outcome:
        """Carry the command out on ``source``; what the device reported."""


@dataclass(frozen=True, slots=True)
class WritePoints(Command):
    """Set points offered as writable; with ``seen``, only while they still hold those values.

    ``seen`` is a compare-and-set: each named point is read now, and when the device holds
    another value nothing is written (``PointChanged``).
    """

    values: Mapping[str, Value]
    seen: Mapping[str, Value] = field(default_factory=dict)

    async def run(self, source: Source) -> Outcome:
        """Check what was seen, then write every value (none skipped as "already set")."""
        for key, expected in self.seen.items():
            reported = await source.async_read_point(key)
            if not same_value(expected, reported):
                raise PointChanged(key, expected, reported)
        return Outcome(await source.async_write(dict(self.values)))


@dataclass(frozen=True, slots=True)
class WriteSetting(Command):
    """Set any writable setting by key, also one not offered as an entity (administrators)."""

    key: str
    value: Value

    async def run(self, source: Source) -> Outcome:
        """Write the setting; what the device reported."""
        if not isinstance(source, Parameters):
            raise not_supported()
        return Outcome(await source.async_write_setting(self.key, self.value))


@dataclass(frozen=True, slots=True)
class SetTimeProgram(Command):
    """Write whole days of a program (the days given; each day's other slots emptied)."""

    index: int
    days: Sequence[tuple[int, Sequence[TimeProgramEntry]]]

    @property
    def program(self) -> int:
        """The program written."""
        return self.index

    async def run(self, source: Source) -> Outcome:
        """Write the days; the whole program as the device reports it."""
        if not isinstance(source, TimePrograms):
            raise not_supported()
        stored = await source.async_set_time_program(self.index, self.days)
        return Outcome(program=ProgramDays(self.index, dict(enumerate(stored.days)), stored.info))


@dataclass(frozen=True, slots=True)
class EditTimeProgram(Command):
    """Add, move or remove one slot, against the slot as the owner saw it."""

    edit: SlotEdit

    @property
    def program(self) -> int:
        """The program edited."""
        return self.edit.program

    async def run(self, source: Source) -> Outcome:
        """Read the days now, edit them, write what differs; the days as stored."""
        if not isinstance(source, TimePrograms):
            raise not_supported()
        return Outcome(program=await source.async_edit_time_program(self.edit))


@dataclass(frozen=True, slots=True)
class SetClock(Command):
    """Set the device's clock to a naive local time."""

    local: datetime

    async def run(self, source: Source) -> Outcome:
        """Set it; the clock the device reports, and when (as a poll reports it)."""
        if not isinstance(source, Clock):
            raise not_supported()
        clock = await source.async_set_clock(self.local)
        return Outcome(Snapshot(extra={"clock": clock, "clock_read_at": time.time()}))


@dataclass(frozen=True, slots=True)
class SetAway(Command):
    """Away mode kept by the device (or its cloud): a period and a floor temperature."""

    device: str
    start: datetime
    end: datetime
    minimum_temperature: float | None = None

    async def run(self, source: Source) -> Outcome:
        """Schedule it; what the device reported."""
        if not isinstance(source, DeviceAwayMode):
            raise not_supported()
        return Outcome(
            await source.async_set_away(self.device, self.start, self.end, self.minimum_temperature)
        )


@dataclass(frozen=True, slots=True)
class ClearAway(Command):
    """End or cancel the away mode a device keeps."""

    device: str

    async def run(self, source: Source) -> Outcome:
        """Clear it; what the device reported."""
        if not isinstance(source, DeviceAwayMode):
            raise not_supported()
        return Outcome(await source.async_clear_away(self.device))


@dataclass(frozen=True, slots=True)
class Pause(Command):
    """Pause a device's power use until an aware time."""

    device: str
    until: datetime

    async def run(self, source: Source) -> Outcome:
        """Pause it; what the device reported."""
        if not isinstance(source, PausePower):
            raise not_supported()
        return Outcome(await source.async_pause_power(self.device, self.until))


@dataclass(frozen=True, slots=True)
class Resume(Command):
    """End a pause now."""

    device: str

    async def run(self, source: Source) -> Outcome:
        """Resume it; what the device reported."""
        if not isinstance(source, PausePower):
            raise not_supported()
        return Outcome(await source.async_resume_power(self.device))
