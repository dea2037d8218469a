"""Time programs (PROTOCOL.md 5.7): model, reply parsing, command text and validation."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import InvalidValue, ProtocolError
from ..programs import (
    EMPTY_ENTRY,
    MINUTES_PER_DAY,
    TimeProgram,
    TimeProgramEntry,
    TimeProgramInfo,
    format_time,
    parse_time,
    validate_day,
    validate_entry,
)

__all__ = [
    "EMPTY_ENTRY",
    "MINUTES_PER_DAY",
    "TimeProgram",
    "TimeProgramEntry",
    "TimeProgramInfo",
    "format_time",
    "parse_time",
    "validate_day",
    "validate_entry",
]


def _fields(text: str) -> dict[str, str]:
    return dict(part.partition("=")[::2] for part in text.split(",")[1:])


def parse_info(text: str, index: int) -> TimeProgramInfo:
    """Parse a ``PRI<i>,...`` header and check it carries ``index``."""
    head = text.split(",", 1)[0]
    if head != f"PRI{index}":
        raise ProtocolError(f"header of time program {index} expected, got {text[:40]!r}")
    fields = _fields(text)
    try:
        info = TimeProgramInfo(
            index=index,
            name=fields["NAME"].strip(),
            entries_per_day=int(fields["EAD"]),
            states=int(fields["NOS"]),
            step=int(fields["STE"]),
            days=int(fields["NOD"]),
            in_use=fields.get("US", "1").strip() != "0",
        )
    except (KeyError, ValueError) as err:
        raise ProtocolError(f"malformed time program header {text[:40]!r}") from err
    if min(info.entries_per_day, info.states, info.step, info.days) < 1:
        raise ProtocolError(f"implausible time program header {text[:40]!r}")
    return info


def parse_entry(text: str, program: int, day: int, entry: int) -> TimeProgramEntry:
    """Parse ``PRE,PR=..,DAY=..,EV=..,ST=..,BEG=hh:mm,END=hh:mm`` and check its address."""
    fields = _fields(text)
    try:
        if (
            not text.startswith("PRE,")
            or int(fields["PR"]) != program
            or int(fields["DAY"]) != day
            or int(fields["EV"]) != entry
        ):
            raise ProtocolError(f"entry {program}/{day}/{entry} expected, got {text[:50]!r}")
        return TimeProgramEntry(
            state=int(fields["ST"]),
            begin=parse_time(fields["BEG"]),
            end=parse_time(fields["END"]),
        )
    except (KeyError, ValueError) as err:
        raise ProtocolError(f"malformed time program entry {text[:50]!r}") from err


def entry_address(program: int, day: int, entry: int) -> str:
    """The command that reads one entry."""
    return f"PRE,PR={program},DAY={day},EV={entry}"


def entry_command(program: int, day: int, entry: int, value: TimeProgramEntry) -> str:
    """The command that writes one entry."""
    return (
        f"{entry_address(program, day, entry)},ST={value.state},"
        f"BEG={format_time(value.begin)},END={format_time(value.end)}"
    )


def validate_address(info: TimeProgramInfo, day: int, entry: int) -> None:
    """Refuse a day or entry number the program does not have."""
    if not 0 <= day < info.days:
        raise InvalidValue("invalid_day", day=day, days=info.days)
    if not 0 <= entry < info.entries_per_day:
        raise InvalidValue("invalid_entry", entry=entry, entries=info.entries_per_day)


def padded_day(
    info: TimeProgramInfo, entries: Sequence[TimeProgramEntry]
) -> list[TimeProgramEntry]:
    """A day's entries filled up with empty slots to the pump's slots per day (EAD)."""
    return [*entries, *[EMPTY_ENTRY] * (info.entries_per_day - len(entries))]
