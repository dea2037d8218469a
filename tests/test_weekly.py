"""A program as a week: the pure rules behind the calendars (no Home Assistant)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from custom_components.heliotherm_podero.sources.model import InvalidValue
from custom_components.heliotherm_podero.sources.programs import (
    EMPTY_ENTRY,
    ProgramChanged,
    Slot,
    SlotEdit,
    TimeProgram,
    TimeProgramEntry,
    TimeProgramInfo,
    check_slot,
)
from custom_components.heliotherm_podero.weekly import Week, occurrences, span_of, weekdays_of

ZONE = ZoneInfo("Europe/Vienna")
INFO = TimeProgramInfo(index=0, name="Warmwasser", entries_per_day=3, states=2, step=15, days=7)
ON = TimeProgramEntry(1, 6 * 60, 8 * 60)


def reason(err: pytest.ExceptionInfo[InvalidValue]) -> str:
    return err.value.reason


@pytest.mark.parametrize(
    ("rule", "weekdays"),
    [
        ("FREQ=WEEKLY", [2]),
        ("FREQ=WEEKLY;BYDAY=MO,WE,FR", [0, 2, 4]),
        ("FREQ=WEEKLY;INTERVAL=1;WKST=MO;BYDAY=SU", [6]),
        ("FREQ=DAILY", list(range(7))),
    ],
)
def test_weekly_rules_the_pump_can_hold(rule: str, weekdays: list[int]) -> None:
    assert weekdays_of(rule, 2) == weekdays


@pytest.mark.parametrize(
    "rule",
    [
        None,
        "",
        "FREQ=MONTHLY",
        "FREQ=WEEKLY;INTERVAL=2",
        "FREQ=WEEKLY;COUNT=4",
        "FREQ=WEEKLY;UNTIL=20270101T000000Z",
        "FREQ=WEEKLY;BYDAY=1MO",
        "FREQ=DAILY;BYDAY=MO",
    ],
)
def test_other_rules_are_refused(rule: str | None) -> None:
    with pytest.raises(InvalidValue) as err:
        weekdays_of(rule, 0)
    assert reason(err) == "event_not_weekly"


def test_an_event_is_one_day_at_most() -> None:
    monday = date(2026, 11, 30)
    start = datetime(2026, 11, 30, 22, 0, tzinfo=ZONE)
    assert span_of(start, start + timedelta(hours=2), ZONE) == (0, 22 * 60, 24 * 60)
    assert span_of(monday, monday + timedelta(days=1), ZONE) == (0, 0, 24 * 60)
    for end in (start + timedelta(hours=3), monday + timedelta(days=2)):
        with pytest.raises(InvalidValue) as err:
            span_of(start if isinstance(end, datetime) else monday, end, ZONE)
        assert reason(err) == "event_spans_days"


def test_a_slot_must_be_on_the_grid_with_a_state() -> None:
    check_slot(INFO, ON)
    for slot, why in [
        (TimeProgramEntry(1, 6 * 60 + 5, 8 * 60), "time_not_on_step"),
        (TimeProgramEntry(0, 6 * 60, 8 * 60), "invalid_state"),
        (TimeProgramEntry(2, 6 * 60, 8 * 60), "invalid_state"),
        (TimeProgramEntry(1, 8 * 60, 8 * 60), "end_before_begin"),
    ]:
        with pytest.raises(InvalidValue) as err:
            check_slot(INFO, slot)
        assert reason(err) == why


def test_an_edit_moves_in_place_and_fills_free_slots() -> None:
    days = {0: (ON, EMPTY_ENTRY, EMPTY_ENTRY), 1: (EMPTY_ENTRY, ON, EMPTY_ENTRY)}
    later = TimeProgramEntry(1, 6 * 60 + 30, 8 * 60 + 30)
    shown = Slot(0, 0, ON)
    assert SlotEdit(0, remove=shown, add=(0,), value=later).apply(INFO, days) == {
        0: (later, EMPTY_ENTRY, EMPTY_ENTRY)
    }
    evening = TimeProgramEntry(1, 18 * 60, 20 * 60)
    assert SlotEdit(0, remove=shown, add=(1,), value=evening).apply(INFO, days) == {
        0: (EMPTY_ENTRY, EMPTY_ENTRY, EMPTY_ENTRY),
        1: (evening, ON, EMPTY_ENTRY),
    }
    with pytest.raises(InvalidValue) as err:
        SlotEdit(0, add=(1,), value=TimeProgramEntry(1, 7 * 60, 9 * 60)).apply(INFO, days)
    assert reason(err) == "entries_overlap"
    full = {0: (ON, TimeProgramEntry(1, 600, 660), TimeProgramEntry(1, 700, 720))}
    with pytest.raises(InvalidValue) as err:
        SlotEdit(0, add=(0,), value=evening).apply(INFO, full)
    assert reason(err) == "day_full"


def test_a_slot_moved_within_its_day_keeps_its_entry_whichever_it_is() -> None:
    second = TimeProgramEntry(1, 12 * 60, 13 * 60)
    days = {3: (ON, second, EMPTY_ENTRY)}
    moved = TimeProgramEntry(1, 14 * 60, 15 * 60)
    edit = SlotEdit(0, remove=Slot(3, 1, second), add=(3,), value=moved)
    assert edit.apply(INFO, days) == {3: (ON, moved, EMPTY_ENTRY)}


def test_a_free_entry_is_taken_before_a_hidden_one_with_state_0() -> None:
    hidden = TimeProgramEntry(0, 10 * 60, 11 * 60)  # set at the pump, not shown
    days = {0: (ON, hidden, EMPTY_ENTRY)}
    evening = TimeProgramEntry(1, 18 * 60, 20 * 60)
    assert SlotEdit(0, add=(0,), value=evening).apply(INFO, days) == {0: (ON, hidden, evening)}
    noon = TimeProgramEntry(1, 12 * 60, 12 * 60 + 30)
    no_empty = {0: (ON, hidden, noon)}  # only then is the hidden entry taken
    assert SlotEdit(0, add=(0,), value=evening).apply(INFO, no_empty) == {0: (ON, evening, noon)}


@pytest.mark.parametrize(
    "held",
    [
        TimeProgramEntry(1, 5 * 60, 8 * 60),  # moved at the pump
        TimeProgramEntry(0, 6 * 60, 8 * 60),  # switched off at the pump
        EMPTY_ENTRY,  # deleted at the pump
    ],
)
def test_an_edit_of_a_slot_the_device_no_longer_holds_is_refused(
    held: TimeProgramEntry,
) -> None:
    days = {0: (held, EMPTY_ENTRY, EMPTY_ENTRY)}
    shown = Slot(0, 0, ON)
    for edit in (SlotEdit(0, remove=shown), SlotEdit(0, remove=shown, add=(1,), value=ON)):
        with pytest.raises(ProgramChanged) as err:
            edit.apply(INFO, {**days, 1: (EMPTY_ENTRY,) * 3})
        assert err.value.reason == "program_changed"
        assert err.value.held[0] == (held, EMPTY_ENTRY, EMPTY_ENTRY)


def test_occurrences_keep_wall_clock_time_across_a_clock_change() -> None:
    program = TimeProgram(INFO, tuple((ON, EMPTY_ENTRY, EMPTY_ENTRY) for _ in range(7)))
    start = datetime(2026, 10, 24, tzinfo=ZONE)  # summer time ends on Sunday the 25th
    found = list(occurrences(program, Week(0), start, start + timedelta(days=3), ZONE))
    assert [(s.isoformat(), e.hour) for _, s, e in found] == [
        ("2026-10-24T06:00:00+02:00", 8),
        ("2026-10-25T06:00:00+01:00", 8),
        ("2026-10-26T06:00:00+01:00", 8),
    ]
    sunday_first = list(occurrences(program, Week(6), start, start + timedelta(days=1), ZONE))
    assert [slot.day for slot, *_ in sunday_first] == [6]  # Saturday is day 6 when day 0 is Sunday
