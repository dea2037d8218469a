"""One door for every change: in turn, acting only on what the owner saw (the serial pump).

The emulator misbehaves on purpose here: a slot changed at the pump between showing and
editing, two edits at once, an edit while the programs are being read.
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import (
    WebSocketGenerator,
)

from custom_components.heliotherm_podero.const import (
    CONF_PROGRAM_FIRST_DAY,
    CONF_WRITE_WARNING,
    DOMAIN,
)
from custom_components.heliotherm_podero.wear import wear_issue_id
from tests.conftest import state_of
from tests.emulators.heliotherm_pump import PumpEmulator
from tests.serial.conftest import Shown, Ws, monday, open_panel
from tests.serial.test_calendar import (
    CIRCULATION,
    HOT_WATER,
    WEEKLY,
    event,
    program_writes,
    slots_of,
    week_of,
)


@pytest.fixture
async def ws_pair(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, hass_ws_client: WebSocketGenerator
) -> tuple[Ws, Ws]:
    """Two calendar panels, open at once (two browsers)."""
    return (
        await open_panel(hass, hass_ws_client, settle=False),
        await open_panel(hass, hass_ws_client, settle=False),
    )


def update(entity_id: str, uid: str, day: date, begin: str, end: str) -> dict[str, Any]:
    return {
        "type": "calendar/event/update",
        "entity_id": entity_id,
        "uid": uid,
        "event": event(day, begin, end, **WEEKLY),
    }


def delete(entity_id: str, uid: str) -> dict[str, Any]:
    return {"type": "calendar/event/delete", "entity_id": entity_id, "uid": uid}


def create(entity_id: str, day: date, begin: str, end: str) -> dict[str, Any]:
    return {
        "type": "calendar/event/create",
        "entity_id": entity_id,
        "event": event(day, begin, end, **WEEKLY),
    }


@pytest.mark.parametrize("change", ["delete", "move"])
@pytest.mark.parametrize(
    "at_the_pump",
    [(1, "05:00", "21:00"), (0, "06:00", "22:00"), (0, "00:00", "00:00")],
    ids=["moved", "switched_off", "deleted"],
)
async def test_a_slot_changed_at_the_pump_since_it_was_shown_is_left_alone(
    hass: HomeAssistant,
    pump: PumpEmulator,
    ws_pair: tuple[Ws, Ws],
    shown: Shown,
    change: str,
    at_the_pump: tuple[int, str, str],
) -> None:
    ws, _ = ws_pair
    uid = (await shown(HOT_WATER, monday(), "06:00"))["uid"]
    pump.state.programs[0].entries[0][0] = at_the_pump  # at the pump's display, meanwhile
    message = (
        delete(HOT_WATER, uid)
        if change == "delete"
        else update(HOT_WATER, uid, monday(), "07:00", "20:00")
    )
    reply = await ws(message)
    await hass.async_block_till_done()
    assert not reply["success"]
    assert "changed at the pump" in reply["error"]["message"]
    assert program_writes(pump) == []
    assert pump.state.programs[0].entries[0][0] == at_the_pump
    # The calendar shows what the pump holds now, without waiting for a refresh.
    assert await week_of(hass, HOT_WATER) == [(*slot, "Hot water on") for slot in slots_of(pump, 0)]


async def test_two_creates_on_one_day_at_once_both_land(
    hass: HomeAssistant, pump: PumpEmulator, ws_pair: tuple[Ws, Ws]
) -> None:
    wednesday = monday() + timedelta(days=2)
    first, second = ws_pair
    replies = await asyncio.gather(
        first(create(CIRCULATION, wednesday, "12:00", "12:30")),
        second(create(CIRCULATION, wednesday, "14:00", "14:30")),
    )
    await hass.async_block_till_done()
    assert all(reply["success"] for reply in replies), replies
    held = pump.state.programs[1].entries[2]
    assert sorted(held[1:3]) == [(1, "12:00", "12:30"), (1, "14:00", "14:30")]
    week = await week_of(hass, CIRCULATION)
    assert week == [(*slot, "Circulation on") for slot in slots_of(pump, 1)]


async def test_two_overlapping_creates_at_once_land_once(
    hass: HomeAssistant, pump: PumpEmulator, ws_pair: tuple[Ws, Ws]
) -> None:
    wednesday = monday() + timedelta(days=2)
    first, second = ws_pair
    replies = await asyncio.gather(
        first(create(CIRCULATION, wednesday, "12:00", "13:00")),
        second(create(CIRCULATION, wednesday, "12:30", "13:30")),
    )
    await hass.async_block_till_done()
    assert sorted(reply["success"] for reply in replies) == [False, True]
    refused = next(reply for reply in replies if not reply["success"])
    assert "overlap" in refused["error"]["message"]  # with what the pump holds now
    used = [entry for entry in pump.state.programs[1].entries[2] if entry[1] != entry[2]]
    assert len(used) == 2  # the morning slot and one of the two


async def test_a_move_and_a_delete_of_one_slot_at_once_the_second_is_refused(
    hass: HomeAssistant, pump: PumpEmulator, ws_pair: tuple[Ws, Ws], shown: Shown
) -> None:
    uid = (await shown(CIRCULATION, monday(), "06:30"))["uid"]
    first, second = ws_pair
    replies = await asyncio.gather(
        first(update(CIRCULATION, uid, monday(), "07:00", "09:00")),
        second(delete(CIRCULATION, uid)),
    )
    await hass.async_block_till_done()
    assert [reply["success"] for reply in replies] == [True, False]
    assert "changed at the pump" in replies[1]["error"]["message"]
    assert pump.state.programs[1].entries[0][0] == (1, "07:00", "09:00")
    assert (0, "07:00", "09:00", "Circulation on") in await week_of(hass, CIRCULATION)


async def test_an_edit_during_the_programs_refresh_stays_shown(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, pump: PumpEmulator, ws_pair: tuple[Ws, Ws]
) -> None:
    programs = loaded_entry.runtime_data.programs
    assert programs is not None
    circulation, last = pump.hold("PRD1"), pump.hold("PRD4")
    refresh = hass.async_create_task(programs.async_refresh())
    await circulation.until_arrived()  # the refresh reads the circulation program
    ws, _ = ws_pair
    edit = asyncio.ensure_future(ws(create(CIRCULATION, monday(), "12:00", "12:30")))
    await asyncio.sleep(0.05)  # the edit waits for the link's turn
    assert program_writes(pump) == []
    circulation.release()  # read as it was before the edit
    reply = await asyncio.wait_for(edit, 10)  # made before the refresh ends
    assert reply["success"], reply
    await last.until_arrived()
    last.release()
    await refresh
    await hass.async_block_till_done()
    assert pump.state.programs[1].entries[0][1] == (1, "12:00", "12:30")
    assert (0, "12:00", "12:30", "Circulation on") in await week_of(hass, CIRCULATION)


async def test_a_setting_written_during_the_refresh_waits_for_one_program_only(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, pump: PumpEmulator
) -> None:
    programs = loaded_entry.runtime_data.programs
    assert programs is not None
    held = pump.hold("PRD1")
    refresh = hass.async_create_task(programs.async_refresh())
    await held.until_arrived()
    write = hass.async_create_task(
        hass.services.async_call(
            "number",
            "set_value",
            {"entity_id": "number.heliotherm_123456_normal_hot_water_temp", "value": 46},
            blocking=True,
        )
    )
    await asyncio.sleep(0.05)
    held.release()
    await write
    await refresh
    # The setting went out between two programs, not after all five.
    last_refresh = pump.requests[len(pump.requests) - pump.requests[::-1].index("PRD0") - 1 :]
    order = [r for r in last_refresh if r.startswith(("PRD", "SP,NR=83,VAL"))]
    assert order == ["PRD0", "PRD1", "SP,NR=83,VAL=46", "PRD2", "PRD3", "PRD4"]


@pytest.mark.parametrize("options", [{CONF_PROGRAM_FIRST_DAY: "sunday"}])
async def test_with_day_0_on_sunday_an_edit_lands_on_the_right_program_day(
    hass: HomeAssistant, pump: PumpEmulator, ws_pair: tuple[Ws, Ws], shown: Shown
) -> None:
    ws, _ = ws_pair
    tuesday = monday() + timedelta(days=1)
    reply = await ws(create(CIRCULATION, tuesday, "12:00", "12:30"))
    assert reply["success"], reply
    assert program_writes(pump) == ["PRE,PR=1,DAY=2,EV=1,ST=1,BEG=12:00,END=12:30"]
    uid = (await shown(CIRCULATION, monday(), "06:30"))["uid"]  # Monday is day 1
    reply = await ws(update(CIRCULATION, uid, monday() + timedelta(days=4), "18:00", "19:00"))
    assert reply["success"], reply
    assert program_writes(pump)[1:] == [
        "PRE,PR=1,DAY=1,EV=0,ST=0,BEG=00:00,END=00:00",
        "PRE,PR=1,DAY=5,EV=1,ST=1,BEG=18:00,END=19:00",  # Friday is day 5
    ]


async def test_a_slot_moved_within_its_day_keeps_its_entry_beyond_the_first(
    hass: HomeAssistant, pump: PumpEmulator, ws_pair: tuple[Ws, Ws], shown: Shown
) -> None:
    pump.state.programs[1].entries[4][2] = (1, "17:00", "18:00")  # Friday's third entry
    programs = hass.config_entries.async_entries(DOMAIN)[0].runtime_data.programs
    assert programs is not None
    await programs.async_refresh()
    friday = monday() + timedelta(days=4)
    uid = (await shown(CIRCULATION, friday, "17:00"))["uid"]
    ws, _ = ws_pair
    reply = await ws(update(CIRCULATION, uid, friday, "17:30", "18:30"))
    assert reply["success"], reply
    assert program_writes(pump) == ["PRE,PR=1,DAY=4,EV=2,ST=1,BEG=17:30,END=18:30"]


async def test_a_free_entry_is_taken_before_a_hidden_one_set_at_the_pump(
    hass: HomeAssistant, pump: PumpEmulator, ws_pair: tuple[Ws, Ws]
) -> None:
    pump.state.programs[1].entries[2][1] = (0, "10:00", "11:00")  # state 0: not shown
    ws, _ = ws_pair
    reply = await ws(create(CIRCULATION, monday() + timedelta(days=2), "12:00", "12:30"))
    assert reply["success"], reply
    assert program_writes(pump) == ["PRE,PR=1,DAY=2,EV=2,ST=1,BEG=12:00,END=12:30"]
    assert pump.state.programs[1].entries[2][1] == (0, "10:00", "11:00")


@pytest.mark.parametrize("options", [{CONF_WRITE_WARNING: 1}])
async def test_the_wear_guard_counts_what_an_edit_wrote_without_being_told(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, pump: PumpEmulator, ws_pair: tuple[Ws, Ws]
) -> None:
    ws, _ = ws_pair
    for begin, end in (("12:00", "12:30"), ("14:00", "14:30")):
        reply = await ws(create(CIRCULATION, monday(), begin, end))
        assert reply["success"], reply
    await hass.async_block_till_done()
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, wear_issue_id(loaded_entry.entry_id, "time_program_1")
    )
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["count"] == "2"


async def test_a_program_the_pump_does_not_use_is_a_disabled_calendar_and_not_read(
    hass: HomeAssistant, pump: PumpEmulator, config_entry: MockConfigEntry
) -> None:
    pump.state.programs[4].in_use = False  # the second mixing circuit is not installed
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    registry = er.async_get(hass)
    mixer_2 = registry.async_get("calendar.heliotherm_123456_mixer_2_schedule")
    assert mixer_2 is not None and mixer_2.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert [r for r in pump.requests if r.startswith("PRD")] == ["PRD0", "PRD1", "PRD2", "PRD3"]
    assert state_of(hass, HOT_WATER).state in ("on", "off")
