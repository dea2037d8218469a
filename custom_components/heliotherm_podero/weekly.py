"""A time program as a week: its slots on weekdays, calendar events in and out.

Pure rules, no Home Assistant: which weekday a program day is, when a program's slots occur,
the weekdays a recurrence rule names and the minutes an event spans. What a slot edit does to
a program's days is the lower floor's (``sources.programs.SlotEdit``). Everything refused
raises ``InvalidValue`` with a reason the translations know.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from .sources.model import InvalidValue
from .sources.programs import MINUTES_PER_DAY, Slot, TimeProgram, shown_slots

RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # Python's weekday() order
FIRST_DAYS = {"monday": 0, "sunday": 6}


@dataclass(frozen=True, slots=True)
class Week:
    """Program days on weekdays: day ``d`` is weekday ``(first + d) % 7`` (0 = Monday)."""

    first: int = 0

    def weekday(self, day: int) -> int:
        """The weekday (0 = Monday) of program day ``day``."""
        return (self.first + day) % 7

    def day(self, weekday: int) -> int:
        """The program day of ``weekday``."""
        return (weekday - self.first) % 7


def at(day: date, minutes: int, zone: tzinfo) -> datetime:
    """Wall-clock time ``minutes`` after midnight of ``day`` (24:00 is the next midnight)."""
    days, rest = divmod(minutes, MINUTES_PER_DAY)
    return datetime.combine(day + timedelta(days=days), time(rest // 60, rest % 60), zone)


def occurrences(
    program: TimeProgram, week: Week, start: datetime, end: datetime, zone: tzinfo
) -> Iterator[tuple[Slot, datetime, datetime]]:
    """Every slot's occurrences overlapping ``start``..``end``, in time order."""
    slots = shown_slots(program)
    found = []
    day = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date()
    while day <= last:
        for slot in slots:
            if week.weekday(slot.day) == day.weekday():
                begins, ends = at(day, slot.value.begin, zone), at(day, slot.value.end, zone)
                if begins < end and ends > start:
                    found.append((slot, begins, ends))
        day += timedelta(days=1)
    found.sort(key=lambda item: (item[1], item[0].day, item[0].entry))
    yield from found


def rule_for(weekday: int) -> str:
    """The recurrence rule of a slot: every week on its weekday."""
    return f"FREQ=WEEKLY;BYDAY={RRULE_DAYS[weekday]}"


def weekdays_of(rule: str | None, start_weekday: int) -> list[int]:
    """The weekdays a recurrence rule repeats on, if the pump can hold it (every week, for ever).

    No rule, an interval, an end (COUNT, UNTIL) or another frequency: refused.
    """
    if not rule:
        raise InvalidValue("event_not_weekly")
    parts = dict(part.partition("=")[::2] for part in rule.upper().split(";") if part)
    freq = parts.pop("FREQ", "")
    parts.pop("WKST", None)
    if (
        parts.pop("INTERVAL", "1") != "1"
        or parts.keys() - {"BYDAY"}
        or freq
        not in (
            "WEEKLY",
            "DAILY",
        )
    ):
        raise InvalidValue("event_not_weekly")
    if freq == "DAILY":
        if "BYDAY" in parts:
            raise InvalidValue("event_not_weekly")
        return list(range(7))
    if "BYDAY" not in parts:
        return [start_weekday]
    names = parts["BYDAY"].split(",")
    if any(name not in RRULE_DAYS for name in names):
        raise InvalidValue("event_not_weekly")
    return sorted({RRULE_DAYS.index(name) for name in names})


def span_of(start: date | datetime, end: date | datetime, zone: tzinfo) -> tuple[int, int, int]:
    """The weekday, begin and end minutes of an event within one day; else refused.

    An all-day event of one day spans 00:00-24:00; an event ending at the next midnight ends
    at 24:00.
    """
    if not isinstance(start, datetime) or not isinstance(end, datetime):
        if isinstance(start, datetime) or isinstance(end, datetime):
            raise InvalidValue("event_spans_days")
        if end - start != timedelta(days=1):
            raise InvalidValue("event_spans_days")
        return start.weekday(), 0, MINUTES_PER_DAY
    start, end = start.astimezone(zone), end.astimezone(zone)
    begin = start.hour * 60 + start.minute
    if end.date() == start.date():
        finish = end.hour * 60 + end.minute
    elif end.date() == start.date() + timedelta(days=1) and end.time() == time(0):
        finish = MINUTES_PER_DAY
    else:
        raise InvalidValue("event_spans_days")
    if start.second or start.microsecond or end.second or end.microsecond:
        raise InvalidValue("time_not_on_step", time=start.strftime("%H:%M:%S"), step=1)
    return start.weekday(), begin, finish
