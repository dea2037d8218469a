"""Weekly time programs: their types, their rules, and an edit made against what was shown.

A program has ``days`` of ``entries_per_day`` entries; an entry switches to a state from a
begin to an end time. An edit of one slot (``SlotEdit``) names the slot as the owner saw it;
applied to the days as the device holds them now, it refuses (``ProgramChanged``) when the
device holds something else there, so nothing set at the pump's own display is overwritten.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from .model import InvalidValue

MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True, slots=True)
class TimeProgramInfo:
    """A program header: name, states, step, entries per day, days."""

    index: int
    name: str
    entries_per_day: int
    states: int  # an entry's state takes 0..states-1
    step: int  # minutes
    days: int
    in_use: bool = True  # the header's US flag (PROTOCOL.md 5.7: "probably in use")


@dataclass(frozen=True, slots=True)
class TimeProgramEntry:
    """One switching entry; times in minutes since midnight (0..1440)."""

    state: int
    begin: int
    end: int

    @property
    def is_empty(self) -> bool:
        """An entry spanning no time (the device's way of saying "unused")."""
        return self.begin == self.end


EMPTY_ENTRY = TimeProgramEntry(0, 0, 0)  # an unused slot, as the pump shows one (0 00:00-00:00)

type DayEntries = tuple[TimeProgramEntry, ...]
type Days = Mapping[int, Sequence[TimeProgramEntry]]  # some days of a program, by day number


@dataclass(frozen=True, slots=True)
class TimeProgram:
    """A whole program: ``days[d][e]``."""

    info: TimeProgramInfo
    days: tuple[DayEntries, ...]

    def with_days(self, days: Days) -> TimeProgram:
        """The program with some days replaced."""
        return TimeProgram(
            info=self.info,
            days=tuple(
                tuple(days[day]) if day in days else entries
                for day, entries in enumerate(self.days)
            ),
        )


@dataclass(frozen=True, slots=True)
class ProgramDays:
    """Some days of one program as the device holds them (after an edit, or read now).

    ``info`` comes with a whole program (all its days).
    """

    program: int
    days: Mapping[int, DayEntries]
    info: TimeProgramInfo | None = None

    @property
    def whole(self) -> TimeProgram | None:
        """The whole program, where every day is known."""
        if self.info is None or len(self.days) != self.info.days:
            return None
        return TimeProgram(self.info, tuple(self.days[day] for day in range(self.info.days)))


@dataclass(frozen=True, slots=True)
class Slot:
    """One used entry of a program, as a calendar shows it: where it sits and what it holds."""

    day: int
    entry: int
    value: TimeProgramEntry


def shown_slots(program: TimeProgram) -> list[Slot]:
    """The entries a calendar shows: those spanning time with a state other than 0."""
    return [
        Slot(day, entry, value)
        for day, entries in enumerate(program.days)
        for entry, value in enumerate(entries)
        if value.state != 0 and not value.is_empty
    ]


class ProgramChanged(InvalidValue):
    """The device no longer holds the slot the edit was made against: nothing was written.

    ``held`` is what the device holds now on the days the edit looked at.
    """

    def __init__(self, program: int, held: Mapping[int, DayEntries]) -> None:
        super().__init__("program_changed")
        self.program = program
        self.held = held


def format_time(minutes: int) -> str:
    """Minutes since midnight as ``hh:mm``."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_time(text: str) -> int:
    """``hh:mm`` (one-digit parts allowed) -> minutes; 24:00 is the end of the day."""
    match = re.fullmatch(r"(\d{1,2}):(\d{1,2})", text.strip())
    if match is None:
        raise ValueError(f"not a time: {text!r}")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes > 59 or hours * 60 + minutes > MINUTES_PER_DAY:
        raise ValueError(f"not a time of day: {text!r}")
    return hours * 60 + minutes


def validate_entry(info: TimeProgramInfo, value: TimeProgramEntry) -> None:
    """Refuse an entry with an unknown state, off-step times or end before begin."""
    if not 0 <= value.state < info.states:
        raise InvalidValue("invalid_state", state=value.state, states=info.states)
    for minutes in (value.begin, value.end):
        if not 0 <= minutes <= MINUTES_PER_DAY:
            raise InvalidValue("invalid_time", time=format_time(minutes))
        if minutes % info.step:
            raise InvalidValue("time_not_on_step", time=format_time(minutes), step=info.step)
    if value.begin > value.end:
        raise InvalidValue(
            "end_before_begin", begin=format_time(value.begin), end=format_time(value.end)
        )


def validate_day(info: TimeProgramInfo, entries: Sequence[TimeProgramEntry]) -> None:
    """Refuse a day with more entries than EAD slots, or whose used entries overlap."""
    if len(entries) > info.entries_per_day:
        raise InvalidValue("wrong_entry_count", count=len(entries), entries=info.entries_per_day)
    for value in entries:
        validate_entry(info, value)
    used = sorted((e for e in entries if not e.is_empty), key=lambda e: e.begin)
    for earlier, later in pairwise(used):
        if later.begin < earlier.end:
            raise InvalidValue(
                "entries_overlap",
                first=f"{format_time(earlier.begin)}-{format_time(earlier.end)}",
                second=f"{format_time(later.begin)}-{format_time(later.end)}",
            )


def check_slot(info: TimeProgramInfo, value: TimeProgramEntry) -> None:
    """Refuse, before anything is read or sent, a slot the program cannot hold."""
    validate_entry(info, value)
    if value.state == 0:
        raise InvalidValue("invalid_state", state=value.state, states=info.states)
    if value.begin == value.end:
        raise InvalidValue(
            "end_before_begin", begin=format_time(value.begin), end=format_time(value.end)
        )


@dataclass(frozen=True, slots=True)
class SlotEdit:
    """Add a slot, move one or remove one: the change a calendar event makes to a program.

    ``remove`` is the slot as the owner saw it (moved or deleted); ``value`` is placed on the
    days ``add``. A slot moved within its own day keeps its entry (one entry to write); a slot
    added takes an unused entry of its day (an empty one first, then one with state 0).
    """

    program: int
    remove: Slot | None = None
    add: tuple[int, ...] = ()
    value: TimeProgramEntry = EMPTY_ENTRY

    @property
    def days(self) -> tuple[int, ...]:
        """Every day the edit reads and may change, in order."""
        touched = set(self.add)
        if self.remove is not None:
            touched.add(self.remove.day)
        return tuple(sorted(touched))

    def apply(self, info: TimeProgramInfo, held: Mapping[int, DayEntries]) -> dict[int, DayEntries]:
        """The days that change, given the days the device holds (at least ``days``).

        Refused: the shown slot is no longer where it was (``ProgramChanged``), a day without
        a free entry, a day whose slots would overlap.
        """
        if self.add:
            check_slot(info, self.value)
        edited = {day: list(held[day]) for day in self.days}
        changed: set[int] = set()
        add = list(self.add)
        if (shown := self.remove) is not None:
            entries = edited[shown.day]
            if shown.entry >= len(entries) or entries[shown.entry] != shown.value:
                raise ProgramChanged(self.program, {day: held[day] for day in self.days})
            entries[shown.entry] = EMPTY_ENTRY
            changed.add(shown.day)
            if shown.day in add:  # moved within its day: the same entry takes the new times
                entries[shown.entry] = self.value
                add.remove(shown.day)
        for day in add:
            entries = edited[day]
            free = [n for n, e in enumerate(entries) if e.is_empty] or [
                n for n, e in enumerate(entries) if e.state == 0
            ]
            if not free:
                raise InvalidValue("day_full", entries=len(entries))
            entries[free[0]] = self.value
            changed.add(day)
        for day in changed:
            validate_day(info, edited[day])
        return {day: tuple(edited[day]) for day in sorted(changed)}
