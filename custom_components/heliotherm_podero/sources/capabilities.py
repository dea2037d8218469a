"""What only some sources can do, as small protocols the upper floor looks up.

A service asks the targeted device's source for a capability with ``isinstance`` and refuses
with "not supported by this device" when the source lacks it. The types the capabilities
exchange (fault entries here, time programs in ``programs``) live on this floor too, so
nothing above ``sources/`` needs a backend's own module. Only the commands (``commands``) call
the methods that change a device.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from .model import FaultRule, Point, Snapshot, Value
from .programs import ProgramDays, SlotEdit, TimeProgram, TimeProgramEntry, TimeProgramInfo


@dataclass(frozen=True, slots=True)
class FaultEntry:
    """One entry of a device's fault list (time in the device's local time, no zone)."""

    index: int
    code: int
    time: datetime
    message: str


@dataclass(frozen=True, slots=True)
class FaultMark:
    """Where a fault history was last looked at: its newest entry then (index, code, time).

    ``EMPTY_HISTORY`` marks a history that held no entry: everything in it later is news.
    """

    index: int
    code: int | None = None
    time: datetime | None = None

    @classmethod
    def of(cls, entry: FaultEntry) -> FaultMark:
        """The mark of an entry."""
        return cls(entry.index, entry.code, entry.time)

    def same_entry(self, entry: FaultEntry) -> bool:
        """The entry marked, wherever it sits now (same code and time)."""
        return entry.code == self.code and entry.time == self.time


EMPTY_HISTORY = FaultMark(-1)


@dataclass(frozen=True, slots=True)
class FaultNews:
    """What a fault history holds after a mark: the new entries, in order, and the new mark."""

    entries: list[FaultEntry]
    mark: FaultMark


@dataclass(frozen=True, slots=True)
class ActiveFault:
    """A fault active on a device now: its code, how it was told, the device's own words."""

    code: str
    rule: FaultRule = FaultRule.CODES
    message: str | None = None


def active_faults(
    points: Iterable[Point], device: str, values: Mapping[str, Value]
) -> dict[str, ActiveFault] | None:
    """The faults ``device`` reports active in ``values``, by code; None while not read.

    Read from the device's points that tell of faults (``Point.fault``).
    """
    found: dict[str, ActiveFault] = {}
    known = False
    for point in points:
        if point.device != device or point.fault is None:
            continue
        value = values.get(point.key)
        if value is None:
            continue
        known = True
        name = point.translation_key or point.key
        if point.fault is FaultRule.CODES and isinstance(value, str):
            codes = [code.strip() for code in value.split(",")]
            found.update((code, ActiveFault(code)) for code in codes if code and code != "none")
        elif (point.fault is FaultRule.ERROR and value == "error") or (
            point.fault is FaultRule.FLAG and value is True
        ):
            found[name] = ActiveFault(name, point.fault)
    return found if known else None


@runtime_checkable
class TimePrograms(Protocol):
    """Weekly switching programs (Heliotherm ``PRL`` / ``PRD`` / ``PRE``)."""

    async def async_time_programs(self) -> list[TimeProgramInfo]:
        """Every program's header."""

    async def async_time_program(self, index: int) -> TimeProgram:
        """One whole program."""

    async def async_set_time_program(
        self, index: int, days: Sequence[tuple[int, Sequence[TimeProgramEntry]]]
    ) -> TimeProgram:
        """Write the given days; returns the program as the device reports it afterwards."""

    async def async_edit_time_program(self, edit: SlotEdit) -> ProgramDays:
        """Read the edit's days now, apply it, write what differs; the days as stored.

        Refused with ``ProgramChanged`` (nothing written) when the device no longer holds the
        slot the edit was made against; entries equal to what was just read are not written.
        """


@runtime_checkable
class Clock(Protocol):
    """A device clock that can be set."""

    async def async_set_clock(self, local: datetime) -> datetime:
        """Set the clock to ``local`` (naive local time); returns the clock the device reports."""


@runtime_checkable
class FaultList(Protocol):
    """A readable fault history."""

    async def async_fault_range(self, start: int, end: int) -> list[FaultEntry]:
        """Entries ``start`` to ``end - 1`` that exist."""


@runtime_checkable
class FaultHistory(Protocol):
    """A fault list that grows by one entry per fault (until it wraps or is cleared).

    Its length is the point ``fault_count_key`` (also read alone with the source's
    ``async_read_point``); new entries are the news the fault events tell of, in order. How
    the list can move (a ring, a reset) is the source's to know: ``async_fault_news``.
    """

    @property
    def fault_count_key(self) -> str:
        """The point holding the number of entries."""

    async def async_fault_range(self, start: int, end: int) -> list[FaultEntry]:
        """Entries ``start`` to ``end - 1`` that exist."""

    async def async_fault_news(self, mark: FaultMark | None, count: int) -> FaultNews:
        """The entries after ``mark`` in a list of ``count`` entries, and the new mark.

        Without a mark (the first look) nothing is news: the list's end is the mark.
        """


@runtime_checkable
class AwayMode(Protocol):
    """Away mode as a mode point: ``away_option`` written to ``away_mode_key``."""

    @property
    def away_mode_key(self) -> str:
        """The point that holds the operating mode."""

    @property
    def away_option(self) -> str:
        """The option of that point that means "away"."""

    @property
    def home_option(self) -> str:
        """The option to return to when the mode before could not be read."""


@runtime_checkable
class DeviceAwayMode(Protocol):
    """Away mode the device (or its cloud) keeps itself: a period and a floor temperature."""

    async def async_set_away(
        self, device: str, start: datetime, end: datetime, minimum_temperature: float | None
    ) -> Snapshot:
        """Schedule away mode on ``device``; returns what the device reported back."""

    async def async_clear_away(self, device: str) -> Snapshot:
        """End or cancel away mode on ``device``."""


@runtime_checkable
class PausePower(Protocol):
    """A device whose power use can be paused until a given time."""

    async def async_pause_power(self, device: str, until: datetime) -> Snapshot:
        """Pause ``device`` until ``until`` (aware); returns what it reported back."""

    async def async_resume_power(self, device: str) -> Snapshot:
        """End a pause now."""


@dataclass(frozen=True, slots=True)
class DeviceProblem:
    """Something the owner must do on a device; ``link`` is where to do it, if known.

    ``name`` is what the message calls the device (the ID the owner typed, say), where it
    differs from the device's name.
    """

    translation_key: str
    link: str | None = None
    name: str | None = None


@runtime_checkable
class DeviceProblems(Protocol):
    """Devices that need the owner's action, as of the last poll."""

    def device_problems(self) -> Mapping[str, DeviceProblem]:
        """Problem by device key; a device without one is absent."""


@runtime_checkable
class WriteCounter(Protocol):
    """Writes counted per point (a device whose settings memory wears out).

    Every write the source sends is counted by the source itself; ``write_mark`` and
    ``written_since`` tell which keys one command wrote, whether it succeeded or not.
    """

    def writes_last_day(self, key: str) -> int:
        """How often ``key`` was written within the last 24 hours."""

    def write_mark(self) -> int:
        """A mark of the writes sent so far."""

    def written_since(self, mark: int) -> frozenset[str]:
        """The keys written since ``mark``."""


@runtime_checkable
class DynamicDevices(Protocol):
    """Devices that come and go with the server's answers, kept through a hiccup."""

    def remember(self, unique_ids: Iterable[str]) -> None:
        """Points whose entities exist already (from the registry), offered while absent."""

    def devices_gone(self, registered: Iterable[str]) -> frozenset[str]:
        """Of the registered device keys, those gone for good (deleted, or missing 24 h)."""


@runtime_checkable
class Parameters(Protocol):
    """Any parameter by key or the device's own name (administrators' services)."""

    def find_setting(self, name: str) -> str:
        """The point key of ``name``; raises ``InvalidValue("unknown_point")``."""

    async def async_get_parameters(self, names: list[str]) -> list[dict[str, Any]]:
        """Read the named parameters now; unknown and absent ones are answered as such."""

    async def async_write_setting(self, key: str, value: Value) -> Snapshot:
        """Write any writable setting, also one not offered as an entity (never a trigger)."""
