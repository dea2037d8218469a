"""Calendars: the pump's time programs as weekly events, read and edited against the emulator."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from unittest.mock import AsyncMock, patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
)

from custom_components.heliotherm_podero.const import (
    CONF_PROGRAM_FIRST_DAY,
    CONF_PROGRAM_LEVEL_NAMES,
    CONF_READ_ONLY,
    DOMAIN,
)
from tests.conftest import pump_device, state_of, tick
from tests.emulators.heliotherm_pump import Fault, PumpEmulator
from tests.naming import set_up_in
from tests.serial.conftest import Shown, Ws, at, monday

HOT_WATER = "calendar.heliotherm_123456_hot_water_schedule"
CIRCULATION = "calendar.heliotherm_123456_circulation_schedule"
HEATING = "calendar.heliotherm_123456_heating_schedule"
EMPTY = (0, "00:00", "00:00")


async def events(
    hass: HomeAssistant, entity_id: str, start: datetime, end: datetime
) -> list[dict[str, Any]]:
    result: Any = await hass.services.async_call(
        "calendar",
        "get_events",
        {"entity_id": entity_id, "start_date_time": start, "end_date_time": end},
        blocking=True,
        return_response=True,
    )
    return list(result[entity_id]["events"])


async def held_week(hass: HomeAssistant, entity_id: str) -> list[tuple[int, str, str, str]]:
    """The week as the calendar holds it, without looking (no read for a look)."""
    programs = hass.config_entries.async_entries(DOMAIN)[0].runtime_data.programs
    assert programs is not None
    with patch.object(programs, "async_fresh", AsyncMock()):
        return await week_of(hass, entity_id)


async def week_of(hass: HomeAssistant, entity_id: str) -> list[tuple[int, str, str, str]]:
    """(weekday, begin, end, summary) of every event in the current week."""
    first = at(monday(), "00:00")
    return [
        (
            datetime.fromisoformat(e["start"]).weekday(),
            datetime.fromisoformat(e["start"]).strftime("%H:%M"),
            "24:00"
            if datetime.fromisoformat(e["end"]).date() > datetime.fromisoformat(e["start"]).date()
            else datetime.fromisoformat(e["end"]).strftime("%H:%M"),
            e["summary"],
        )
        for e in await events(hass, entity_id, first, first + timedelta(days=7))
    ]


def slots_of(pump: PumpEmulator, index: int, first_weekday: int = 0) -> list[tuple[int, str, str]]:
    """The emulator's used slots as (weekday, begin, end), in time order."""
    return sorted(
        ((first_weekday + day) % 7, begin, end)
        for day, entries in enumerate(pump.state.programs[index].entries)
        for state, begin, end in entries
        if state and begin != end
    )


def event(day: date, begin: str, end: str, **extra: Any) -> dict[str, Any]:
    ends = at(day, "00:00") + timedelta(days=1) if end == "24:00" else at(day, end)
    return {
        "dtstart": at(day, begin).isoformat(),
        "dtend": ends.isoformat(),
        "summary": "On",
        **extra,
    }


async def create(ws: Ws, entity_id: str, change: dict[str, Any]) -> dict[str, Any]:
    """Add an event as the calendar panel does."""
    return await ws({"type": "calendar/event/create", "entity_id": entity_id, "event": change})


def program_writes(pump: PumpEmulator) -> list[str]:
    return [r for r in pump.write_requests() if r.startswith("PRE,")]


async def test_one_calendar_per_program_named_as_the_pump_names_it(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    registry = er.async_get(hass)
    calendars = {
        e.entity_id: e
        for e in er.async_entries_for_config_entry(registry, loaded_entry.entry_id)
        if e.domain == "calendar"
    }
    assert set(calendars) == {
        HOT_WATER,
        CIRCULATION,
        HEATING,
        "calendar.heliotherm_123456_mixer_1_schedule",
        "calendar.heliotherm_123456_mixer_2_schedule",
    }
    assert state_of(hass, HOT_WATER).attributes["friendly_name"] == (
        "Heliotherm 123456 Hot water schedule"
    )
    assert calendars[HOT_WATER].unique_id == "123456_time_program_0"
    assert calendars[HOT_WATER].device_id == calendars[HEATING].device_id


async def test_events_are_exactly_the_program(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, pump: PumpEmulator
) -> None:
    program: Any = await hass.services.async_call(
        DOMAIN,
        "get_time_program",
        {"device_id": pump_device(hass, loaded_entry.entry_id).id, "program": 0},
        blocking=True,
        return_response=True,
    )
    expected = sorted(
        (day["day"], e["begin"], e["end"], "Hot water on")
        for day in program["days"]
        for e in day["entries"]
        if e["state"] and e["begin"] != e["end"]
    )
    assert await week_of(hass, HOT_WATER) == expected
    # Any range: a slot cut by the range's edges is still there, nothing outside it.
    start = at(monday(), "21:00")
    found = await events(hass, HOT_WATER, start, start + timedelta(hours=8))
    assert [(e["start"], e["end"]) for e in found] == [
        (at(monday(), "06:00").isoformat(), at(monday(), "22:00").isoformat())
    ]
    heating = await week_of(hass, HEATING)  # three states: named by number
    assert {summary for *_, summary in heating} == {"Heating level 1"}


async def test_each_event_repeats_weekly_on_its_day(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, hass_client: ClientSessionGenerator
) -> None:
    """What the calendar panel reads: each event with its ID and weekly rule."""
    start = at(monday() + timedelta(days=2), "00:00")
    client = await hass_client()
    response = await client.get(
        f"/api/calendars/{HOT_WATER}",
        params={"start": start.isoformat(), "end": (start + timedelta(days=1)).isoformat()},
    )
    found = await response.json()
    assert len(found) == 1
    assert found[0]["rrule"] == "FREQ=WEEKLY;BYDAY=WE"
    assert found[0]["uid"] == "2-0-1-0600-2200"  # where the slot sits and what it holds
    # Home Assistant's event dialog sends the description back when saving: it must be a text
    assert found[0]["summary"] == "Hot water on"
    assert found[0]["description"] == (
        "Wednesday, 1st slot of 7; this pump holds up to 7 slots a day"
    )
    assert found[0]["recurrence_id"] == start.replace(hour=6).strftime("%Y%m%dT%H%M%S")


async def test_the_state_is_on_while_a_slot_runs(
    hass: HomeAssistant, config_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(at(monday(), "21:00"))
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    state = state_of(hass, HOT_WATER)
    assert state.state == STATE_ON
    assert state.attributes["message"] == "Hot water on"
    assert state.attributes["end_time"] == at(monday(), "22:00").strftime("%Y-%m-%d %H:%M:%S")
    await tick(hass, freezer, timedelta(hours=1, seconds=1))  # 22:00:01, the slot is over
    state = state_of(hass, HOT_WATER)
    assert state.state == "off"
    assert state.attributes["start_time"] == at(monday() + timedelta(days=1), "06:00").strftime(
        "%Y-%m-%d %H:%M:%S"
    )


async def test_the_next_slot_shows_when_it_is_days_away(
    hass: HomeAssistant,
    pump: PumpEmulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    circulation = pump.state.programs[1].entries
    for day in range(7):
        circulation[day][0] = EMPTY
    circulation[5][0] = (1, "09:00", "10:00")  # Saturday only
    freezer.move_to(at(monday(), "12:00"))
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    state = state_of(hass, CIRCULATION)
    assert state.state == "off"
    assert state.attributes["start_time"] == at(monday() + timedelta(days=5), "09:00").strftime(
        "%Y-%m-%d %H:%M:%S"
    )


WEEKLY = {"rrule": "FREQ=WEEKLY"}


@pytest.mark.parametrize(
    ("language", "hot_water", "heating", "description"),
    [
        (
            "en",
            "Hot water on",
            "Heating level 1",
            "Monday, 1st slot of 7; this pump holds up to 7 slots a day. Heliotherm does not "
            "document what the levels of this program do",
        ),
        (
            "de",
            "Warmwasser ein",
            "Heizung Stufe 1",
            "Montag, 1. von 7 Einträgen; diese Pumpe hält bis zu 7 Einträge am Tag. Heliotherm "
            "dokumentiert nicht, was die Stufen dieses Programms bewirken",
        ),
    ],
)
async def test_events_say_what_the_slot_does_in_the_owners_language(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    language: str,
    hot_water: str,
    heating: str,
    description: str,
) -> None:
    await set_up_in(hass, config_entry, language)
    registry = er.async_get(hass)

    def calendar(index: int) -> str:
        entity_id = registry.async_get_entity_id("calendar", DOMAIN, f"123456_time_program_{index}")
        assert entity_id is not None
        return entity_id

    start = at(monday(), "00:00")
    hot = await events(hass, calendar(0), start, start + timedelta(days=1))
    assert [e["summary"] for e in hot] == [hot_water]
    assert "level" not in hot[0]["description"] and "Stufe" not in hot[0]["description"]
    mixer = await events(hass, calendar(3), start, start + timedelta(days=1))
    mixer_1 = heating.replace("Heating", "Mixer 1").replace("Heizung", "Mischer 1")
    assert mixer[0]["summary"] == mixer_1
    found = await events(hass, calendar(2), start, start + timedelta(days=1))
    assert [e["summary"] for e in found] == [heating]
    assert found[0]["description"].startswith(description)


@pytest.mark.parametrize("options", [{CONF_PROGRAM_LEVEL_NAMES: "Normal, Comfort"}])
async def test_the_owner_names_the_levels_and_titles_pick_them(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, pump: PumpEmulator, ws: Ws
) -> None:
    start = at(monday(), "00:00")
    found = await events(hass, HEATING, start, start + timedelta(days=1))
    assert [e["summary"] for e in found] == ["Heating: Normal"]
    assert "document" not in found[0]["description"]  # named: nothing left to explain
    for title, state in (("Heating: Comfort", 2), ("comfort", 2), ("Normal", 1), ("2", 2)):
        before = len(program_writes(pump))
        reply = await create(
            ws,
            HEATING,
            event(monday() + timedelta(days=6), "22:00", "23:00", **WEEKLY, summary=title),
        )
        assert reply["success"], (title, reply)
        assert program_writes(pump)[before].startswith(f"PRE,PR=2,DAY=6,EV=1,ST={state},")
        sunday = start + timedelta(days=6)
        await events(hass, HEATING, sunday, sunday + timedelta(days=1))  # the owner sees it
        reply = await ws(
            {
                "type": "calendar/event/delete",
                "entity_id": HEATING,
                "uid": f"6-1-{state}-2200-2300",
            }
        )
        assert reply["success"], reply
    reply = await create(ws, HEATING, event(monday(), "23:00", "24:00", **WEEKLY, summary="Party"))
    assert not reply["success"]
    assert '"Heating: Comfort"' in reply["error"]["message"]  # an example that works


async def test_create_a_slot_writes_one_entry(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, pump: PumpEmulator, ws: Ws
) -> None:
    wednesday = monday() + timedelta(days=2)
    reply = await create(
        ws, CIRCULATION, event(wednesday, "17:00", "19:00", rrule="FREQ=WEEKLY;BYDAY=WE")
    )
    assert reply["success"], reply
    assert program_writes(pump) == ["PRE,PR=1,DAY=2,EV=1,ST=1,BEG=17:00,END=19:00"]
    assert pump.state.programs[1].entries[2][1] == (1, "17:00", "19:00")
    assert await week_of(hass, CIRCULATION) == [
        (*slot, "Circulation on") for slot in slots_of(pump, 1)
    ]


async def test_an_event_every_weekday_writes_each_of_those_days(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, pump: PumpEmulator, ws: Ws
) -> None:
    reply = await create(
        ws, CIRCULATION, event(monday(), "12:00", "12:30", rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")
    )
    assert reply["success"], reply
    assert program_writes(pump) == [
        f"PRE,PR=1,DAY={day},EV=1,ST=1,BEG=12:00,END=12:30" for day in range(5)
    ]
    week = await week_of(hass, CIRCULATION)
    assert week == [(*slot, "Circulation on") for slot in slots_of(pump, 1)]
    assert len(week) == 12


async def test_move_a_slot_by_30_minutes_writes_only_that_entry(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, pump: PumpEmulator, ws: Ws, shown: Shown
) -> None:
    uid = (await shown(HOT_WATER, monday(), "06:00"))["uid"]
    before = len(pump.requests)
    reply = await ws(
        {
            "type": "calendar/event/update",
            "entity_id": HOT_WATER,
            "uid": uid,
            "recurrence_id": at(monday(), "06:00").strftime("%Y%m%dT%H%M%S"),
            "recurrence_range": "THISANDFUTURE",
            "event": event(monday(), "06:30", "22:30", rrule="FREQ=WEEKLY;BYDAY=MO"),
        }
    )
    assert reply["success"], reply
    assert program_writes(pump) == ["PRE,PR=0,DAY=0,EV=0,ST=1,BEG=06:30,END=22:30"]
    # The day read entry by entry (7 short requests), then the one write.
    assert len(pump.requests) - before == 8
    assert (await week_of(hass, HOT_WATER))[0] == (0, "06:30", "22:30", "Hot water on")


async def test_move_a_slot_to_another_day_and_delete_one(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, pump: PumpEmulator, ws: Ws, shown: Shown
) -> None:
    tuesday = monday() + timedelta(days=1)
    thursday = monday() + timedelta(days=3)
    moved = (await shown(CIRCULATION, monday(), "06:30"))["uid"]
    deleted = (await shown(CIRCULATION, thursday, "06:30"))["uid"]
    reply = await ws(
        {
            "type": "calendar/event/update",
            "entity_id": CIRCULATION,
            "uid": moved,
            "event": event(tuesday, "22:00", "24:00", **WEEKLY),
        }
    )
    assert reply["success"], reply
    assert pump.state.programs[1].entries[0][0] == EMPTY
    assert pump.state.programs[1].entries[1][1] == (1, "22:00", "24:00")
    reply = await ws(
        {
            "type": "calendar/event/delete",
            "entity_id": CIRCULATION,
            "uid": deleted,
            "recurrence_id": at(thursday, "06:30").strftime("%Y%m%dT%H%M%S"),
            "recurrence_range": "THISANDFUTURE",
        }
    )
    assert reply["success"], reply
    assert pump.state.programs[1].entries[3][0] == EMPTY
    week = await week_of(hass, CIRCULATION)
    assert week == [(*slot, "Circulation on") for slot in slots_of(pump, 1)]
    assert (1, "22:00", "24:00", "Circulation on") in week
    assert all(day != 3 for day, *_ in week) and all(day != 0 for day, *_ in week)


@pytest.mark.parametrize(
    ("entity_id", "times", "extra", "message"),
    [
        (HOT_WATER, ("06:10", "07:00"), WEEKLY, "15-minute grid"),
        (CIRCULATION, ("07:00", "09:00"), WEEKLY, "overlap"),
        (CIRCULATION, ("23:00", "01:00"), WEEKLY, "within one day"),
        (CIRCULATION, ("12:00", "13:00"), {}, "repeat every week"),
        (CIRCULATION, ("12:00", "13:00"), {"rrule": "FREQ=MONTHLY"}, "every week"),
        (CIRCULATION, ("12:00", "13:00"), {"rrule": "FREQ=WEEKLY;COUNT=3"}, "no end"),
        (CIRCULATION, ("12:00", "13:00"), {"rrule": "FREQ=WEEKLY;INTERVAL=2"}, "no interval"),
        (HEATING, ("23:00", "24:00"), {**WEEKLY, "summary": "Party"}, "Party"),
    ],
    ids=["grid", "overlap", "two_days", "once", "monthly", "count", "interval", "title"],
)
async def test_what_the_pump_cannot_hold_is_refused_before_anything_is_sent(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
    ws: Ws,
    entity_id: str,
    times: tuple[str, str],
    extra: dict[str, str],
    message: str,
) -> None:
    change = {**event(monday(), *times), **extra}
    if times[1] < times[0]:  # until the next day
        change["dtend"] = at(monday() + timedelta(days=1), times[1]).isoformat()
    before = len(pump.requests)
    reply = await create(ws, entity_id, change)
    assert not reply["success"]
    assert message in reply["error"]["message"]
    assert len(pump.requests) == before  # not even a read


async def test_a_full_day_and_one_occurrence_are_refused(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, pump: PumpEmulator, ws: Ws, shown: Shown
) -> None:
    uid = (await shown(HOT_WATER, monday(), "06:00"))["uid"]
    # Someone filled Monday at the pump's display since the calendar last read it.
    pump.state.programs[1].entries[0] = [
        (1, f"{hour:02d}:00", f"{hour:02d}:30") for hour in range(7)
    ]
    reply = await create(ws, CIRCULATION, event(monday(), "20:00", "21:00", **WEEKLY))
    assert not reply["success"]
    assert "already has 7 slots" in reply["error"]["message"]
    reply = await ws(
        {
            "type": "calendar/event/delete",
            "entity_id": HOT_WATER,
            "uid": uid,
            "recurrence_id": at(monday(), "06:00").strftime("%Y%m%dT%H%M%S"),
        }
    )
    assert not reply["success"]
    assert "not one occurrence" in reply["error"]["message"]
    assert program_writes(pump) == []


@pytest.mark.parametrize("options", [{CONF_READ_ONLY: True}])
async def test_read_only_offers_no_edit_and_writes_nothing(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, pump: PumpEmulator, ws: Ws
) -> None:
    assert state_of(hass, HOT_WATER).attributes.get("supported_features", 0) == 0
    reply = await create(ws, HOT_WATER, event(monday(), "23:00", "24:00", **WEEKLY))
    assert reply["error"]["code"] == "not_supported"
    assert await week_of(hass, HOT_WATER)  # still shows the program
    assert pump.write_requests() == []


@pytest.mark.parametrize("options", [{CONF_PROGRAM_FIRST_DAY: "sunday"}])
async def test_day_0_can_be_sunday(
    hass: HomeAssistant, pump: PumpEmulator, config_entry: MockConfigEntry
) -> None:
    pump.state.programs[1].entries[0][0] = (1, "08:00", "09:00")
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    week = await week_of(hass, CIRCULATION)
    assert (6, "08:00", "09:00", "Circulation on") in week
    assert (0, "06:30", "08:00", "Circulation on") in week  # day 1 is Monday


async def test_a_restart_shows_the_same_week(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, pump: PumpEmulator, ws: Ws
) -> None:
    reply = await create(ws, HOT_WATER, event(monday(), "23:00", "24:00", **WEEKLY))
    assert reply["success"], reply
    week = await week_of(hass, HOT_WATER)
    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert await week_of(hass, HOT_WATER) == week
    assert (0, "23:00", "24:00", "Hot water on") in week


async def test_a_link_fault_in_the_middle_shows_what_the_pump_holds(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, pump: PumpEmulator, ws: Ws
) -> None:
    # The third day's write goes out, its reply and the read-back are lost.
    pump.inject_on(r"PRE,PR=1,DAY=2,EV=1,ST=.*", Fault.DISCONNECT)
    pump.inject_on(r"PRE,PR=1,DAY=2,EV=1", Fault.SILENCE)
    reply = await create(
        ws, CIRCULATION, event(monday(), "12:00", "12:30", rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")
    )
    assert not reply["success"]
    # Written: Monday, Tuesday, and Wednesday's (unconfirmed); Thursday and Friday not tried.
    assert len(program_writes(pump)) == 3
    assert await week_of(hass, CIRCULATION) == [
        (*slot, "Circulation on") for slot in slots_of(pump, 1)
    ]
    assert state_of(hass, CIRCULATION).state != STATE_UNAVAILABLE


async def test_a_lost_reply_is_read_back(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, pump: PumpEmulator, ws: Ws
) -> None:
    pump.inject_on(r"PRE,PR=1,DAY=0,EV=1,ST=.*", Fault.DISCONNECT)
    reply = await create(ws, CIRCULATION, event(monday(), "12:00", "12:30", **WEEKLY))
    assert reply["success"], reply
    assert (0, "12:00", "12:30", "Circulation on") in await week_of(hass, CIRCULATION)


async def test_programs_are_read_hourly_when_nobody_looks(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,  # before the entry: its timers run on the frozen clock
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
) -> None:
    def whole_reads() -> int:
        return sum(r.startswith("PRD") for r in pump.requests)

    assert whole_reads() == 5  # read at setup
    pump.state.programs[0].entries[0][1] = (1, "23:00", "23:30")  # set at the pump's display
    for _ in range(11):  # measurement and settings polls: no program read
        await tick(hass, freezer, timedelta(minutes=5))
    assert whole_reads() == 5
    assert (0, "23:00", "23:30", "Hot water on") not in await held_week(hass, HOT_WATER)
    await tick(hass, freezer, timedelta(minutes=5, seconds=1))  # an hour after setup
    assert whole_reads() == 10
    assert (0, "23:00", "23:30", "Hot water on") in await held_week(hass, HOT_WATER)


async def test_a_look_after_two_minutes_reads_the_program_first(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
) -> None:
    def reads() -> list[str]:
        return [r for r in pump.requests if r.startswith("PRD")]

    pump.state.programs[0].entries[0][1] = (1, "23:00", "23:30")  # set at the pump's display
    assert (0, "23:00", "23:30", "Hot water on") not in await week_of(hass, HOT_WATER)  # just read
    assert len(reads()) == 5
    await tick(hass, freezer, timedelta(minutes=2, seconds=1))
    assert (0, "23:00", "23:30", "Hot water on") in await week_of(hass, HOT_WATER)
    assert reads()[5:] == ["PRD0"]  # only the program looked at
    await week_of(hass, HOT_WATER)  # looked at again at once: what was just read
    assert len(reads()) == 6
    assert state_of(hass, HOT_WATER).state != STATE_UNAVAILABLE


async def test_a_disabled_calendar_reads_nothing(
    hass: HomeAssistant, config_entry: MockConfigEntry, pump: PumpEmulator
) -> None:
    registry = er.async_get(hass)
    for index in range(1, 5):
        registry.async_get_or_create(
            "calendar",
            DOMAIN,
            f"123456_time_program_{index}",
            config_entry=config_entry,
            disabled_by=er.RegistryEntryDisabler.USER,
        )
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert [r for r in pump.requests if r.startswith("PRD")] == ["PRD0"]


async def test_calendars_follow_the_link_and_come_back_by_themselves(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    port = pump.port or 0
    await pump.stop()
    for _ in range(11):  # past a settings interval: the program refresh fails too
        await tick(hass, freezer, timedelta(seconds=31))
    assert state_of(hass, HOT_WATER).state == STATE_UNAVAILABLE
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1, errors  # the link's failure, told once (by the main poll)
    pump.state.programs[0].entries[0][0] = (1, "05:00", "22:00")  # changed meanwhile
    await pump.start_tcp(port=port)
    await tick(hass, freezer, timedelta(seconds=31))
    await tick(hass, freezer, timedelta(seconds=11))  # the programs' debounced read
    assert state_of(hass, HOT_WATER).state != STATE_UNAVAILABLE
    assert (await week_of(hass, HOT_WATER))[0] == (0, "05:00", "22:00", "Hot water on")
