"""Faults as events, on every source: raised, cleared, in order, never twice."""

from __future__ import annotations

import asyncio
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

import aiohttp
import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, State, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.helpers.translation import async_get_translations
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_get_persistent_notifications,
)

from custom_components.heliotherm_podero.const import CONF_READ_ONLY, DOMAIN
from tests.conftest import tick
from tests.emulators.aris_server import ArisState
from tests.emulators.heliotherm_pump import PumpEmulator
from tests.emulators.podero_server import PoderoState
from tests.naming import set_up_in

PUMP_EVENTS = "event.heliotherm_123456_faults"
SETTINGS_POLL = timedelta(minutes=5, seconds=1)
FAST_POLL = timedelta(seconds=31)


class Told:
    """Every event an event entity tells (a new timestamp), in order."""

    def __init__(self, hass: HomeAssistant, entity_id: str) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []
        self._seen: set[str] = set()

        @callback
        def _changed(event: Event[EventStateChangedData]) -> None:
            state = event.data["new_state"]
            if state is None or state.state in (STATE_UNAVAILABLE, STATE_UNKNOWN):
                return
            if _told(state) in self._seen:
                return  # the same event restored (a reload), not told again
            self._seen.add(_told(state))
            attributes = dict(state.attributes)
            self.events.append((attributes.pop("event_type"), attributes))

        old = hass.states.get(entity_id)
        if old is not None and old.state not in (STATE_UNAVAILABLE, STATE_UNKNOWN):
            self._seen.add(_told(old))
        async_track_state_change_event(hass, entity_id, _changed)

    def codes(self) -> list[tuple[str, str]]:
        return [(kind, attributes["code"]) for kind, attributes in self.events]


def _told(state: State) -> str:
    """An event as told: when and what (the clock is frozen: two may share a moment)."""
    return state.state + repr(sorted(state.attributes.items()))


def add_fault(pump: PumpEmulator, code: int, message: str, minutes: int = 0) -> None:
    """A new entry at the end of the pump's fault list (at a known time), the pump in its
    fault state."""
    pump.add_fault(code, message)
    when = datetime(2026, 12, 1, 10, 0) + timedelta(minutes=minutes)
    pump.state.faults[-1] = (code, when, message)


def event_entity(hass: HomeAssistant, entry: MockConfigEntry, device_suffix: str) -> str:
    registry = er.async_get(hass)
    return next(
        e.entity_id
        for e in er.async_entries_for_config_entry(registry, entry.entry_id)
        if e.domain == "event" and e.unique_id.endswith(f"{device_suffix}_faults")
    )


# -- Heliotherm ----------------------------------------------------------------------------------


async def test_what_is_told_is_stored_before_it_is_told(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
) -> None:
    tracker = loaded_entry.runtime_data.faults
    order: list[tuple[str, Any]] = []
    save = tracker._store.async_save

    async def slow_save(data: dict[str, Any]) -> None:
        for _ in range(20):  # storage may take its time: telling waits for it
            await asyncio.sleep(0)
        order.append(("saved", data["history"]["index"]))
        await save(data)

    @callback
    def _told(event: Event[EventStateChangedData]) -> None:
        state = event.data["new_state"]
        if state is not None and state.state not in (STATE_UNAVAILABLE, STATE_UNKNOWN):
            order.append(("told", state.attributes["index"]))

    async_track_state_change_event(hass, PUMP_EVENTS, _told)
    with patch.object(tracker._store, "async_save", slow_save):
        add_fault(pump, 9, "HD Schalter")
        await tick(hass, freezer, SETTINGS_POLL)
    assert order == [("saved", 30), ("told", 30)]


async def test_the_pumps_history_is_not_replayed_at_first(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, loaded_entry: MockConfigEntry
) -> None:
    state = hass.states.get(PUMP_EVENTS)
    assert state is not None and state.state == STATE_UNKNOWN  # 30 old entries: none told
    assert state.attributes["event_types"] == ["fault_raised", "fault_cleared"]


async def test_new_entries_are_raised_in_order_and_the_flag_clears(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
) -> None:
    told = Told(hass, PUMP_EVENTS)
    add_fault(pump, 9, "HD Schalter")
    add_fault(pump, 21, "EQ Motorschutz", minutes=2)
    await tick(hass, freezer, SETTINGS_POLL)
    assert told.codes() == [("fault_raised", "9"), ("fault_raised", "21")]
    kind, first = told.events[0]
    assert {k: first[k] for k in ("code", "message", "time", "source", "index")} == {
        "code": "9",
        "message": "HD Schalter",
        "time": "2026-12-01T10:00:00-08:00",  # the pump's local time, in Home Assistant's zone
        "source": "heliotherm",
        "index": 30,
    }
    pump.clear_fault()
    await tick(hass, freezer, FAST_POLL)
    assert told.codes()[-1] == ("fault_cleared", "21")
    assert told.events[-1][1]["message"] == "EQ Motorschutz"
    await tick(hass, freezer, SETTINGS_POLL)
    assert len(told.events) == 3  # nothing again


async def test_a_fault_is_raised_before_it_clears_even_between_two_settings_polls(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
) -> None:
    told = Told(hass, PUMP_EVENTS)
    add_fault(pump, 9, "HD Schalter")
    await tick(hass, freezer, FAST_POLL)  # the flag is on: the list is read at once
    assert told.codes() == [("fault_raised", "9")]
    pump.clear_fault()
    await tick(hass, freezer, FAST_POLL)
    assert told.codes() == [("fault_raised", "9"), ("fault_cleared", "9")]


async def test_entries_that_came_while_stopped_are_told_once_after_a_restart(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
) -> None:
    add_fault(pump, 9, "HD Schalter")
    await tick(hass, freezer, SETTINGS_POLL)
    told = Told(hass, PUMP_EVENTS)  # has seen "9"
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    add_fault(pump, 19, "EQ_Spreizung", minutes=5)  # while Home Assistant is stopped
    assert await hass.config_entries.async_setup(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert told.codes() == [("fault_raised", "19")]
    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    await tick(hass, freezer, SETTINGS_POLL)
    assert told.codes() == [("fault_raised", "19")]  # not again after a reload


async def test_a_list_that_was_cleared_or_wrapped_is_not_replayed(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
) -> None:
    told = Told(hass, PUMP_EVENTS)
    pump.state.faults[:] = pump.state.faults[:3]  # cleared down to three (old) entries
    await tick(hass, freezer, SETTINGS_POLL)
    assert told.events == []
    # Wrapped: old entries only, the one told last no longer among them.
    pump.state.faults[:] = [(65534, datetime(2014, 1, 2), "Keine Stoerung")] * 5
    await tick(hass, freezer, SETTINGS_POLL)
    assert told.events == []
    add_fault(pump, 21, "EQ Motorschutz", minutes=1)
    await tick(hass, freezer, SETTINGS_POLL)
    assert told.codes() == [("fault_raised", "21")]


async def test_a_fault_right_after_the_list_was_reset_is_raised_then_cleared(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
) -> None:
    told = Told(hass, PUMP_EVENTS)
    pump.state.faults.clear()  # reset at the pump, and a fault before the next look
    add_fault(pump, 9, "HD Schalter")
    add_fault(pump, 21, "EQ Motorschutz", minutes=2)
    await tick(hass, freezer, FAST_POLL)  # the flag moved: the list is read at once
    assert told.codes() == [("fault_raised", "9"), ("fault_raised", "21")]
    assert [attributes["index"] for _, attributes in told.events] == [0, 1]
    pump.clear_fault()
    await tick(hass, freezer, FAST_POLL)
    assert told.codes()[-1] == ("fault_cleared", "21")
    # Wrapped by more than it held: the newer entries are raised, the old one not replayed.
    pump.state.faults[:] = [(65534, datetime(2014, 1, 2), "Keine Stoerung")] * 20
    add_fault(pump, 19, "EQ_Spreizung", minutes=5)
    await tick(hass, freezer, FAST_POLL)
    assert told.codes()[-1] == ("fault_raised", "19")
    assert len(told.events) == 4


async def test_a_clearing_is_told_only_for_a_fault_that_was_raised(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
) -> None:
    told = Told(hass, PUMP_EVENTS)
    pump.set_value("MP", 31, 1)  # the fault flag, with no new entry in the list
    await tick(hass, freezer, FAST_POLL)
    pump.set_value("MP", 31, 0)
    await tick(hass, freezer, FAST_POLL)
    assert told.events == []
    add_fault(pump, 9, "HD Schalter")
    await tick(hass, freezer, FAST_POLL)
    pump.clear_fault()
    await tick(hass, freezer, FAST_POLL)
    pump.set_value("MP", 31, 1)  # on and off again without a new entry: no second clearing
    await tick(hass, freezer, FAST_POLL)
    pump.set_value("MP", 31, 0)
    await tick(hass, freezer, FAST_POLL)
    assert told.codes() == [("fault_raised", "9"), ("fault_cleared", "9")]


async def test_a_full_list_that_drops_its_oldest_entry_still_tells_the_new_one(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
) -> None:
    told = Told(hass, PUMP_EVENTS)
    for minutes in (0, 1):  # a ring: as many entries as before, the newest one new
        pump.state.faults.pop(0)
        add_fault(pump, 9 if minutes else 20, "HD Schalter" if minutes else "EQ_Spreizung", minutes)
        await tick(hass, freezer, SETTINGS_POLL)
    assert len(pump.state.faults) == 30
    assert told.codes() == [("fault_raised", "20"), ("fault_raised", "9")]
    assert told.events[-1][1]["index"] == 29


async def test_an_empty_list_tells_its_first_entry(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    pump: PumpEmulator,
    config_entry: MockConfigEntry,
) -> None:
    pump.state.faults.clear()
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    told = Told(hass, PUMP_EVENTS)
    add_fault(pump, 9, "HD Schalter")
    await tick(hass, freezer, SETTINGS_POLL)
    assert told.codes() == [("fault_raised", "9")]
    assert told.events[0][1]["index"] == 0


async def test_a_link_fault_and_recovery_tell_nothing_again(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
) -> None:
    add_fault(pump, 9, "HD Schalter")
    await tick(hass, freezer, SETTINGS_POLL)
    told = Told(hass, PUMP_EVENTS)
    port = pump.port or 0
    await pump.stop()
    await tick(hass, freezer, SETTINGS_POLL)
    assert hass.states.get(PUMP_EVENTS).state == STATE_UNAVAILABLE  # type: ignore[union-attr]
    await pump.start_tcp(port=port)
    await tick(hass, freezer, SETTINGS_POLL)
    assert told.events == []


@pytest.mark.parametrize("options", [{CONF_READ_ONLY: True}])
async def test_events_work_in_read_only_mode(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
) -> None:
    told = Told(hass, PUMP_EVENTS)
    add_fault(pump, 9, "HD Schalter")
    await tick(hass, freezer, SETTINGS_POLL)
    assert told.codes() == [("fault_raised", "9")]
    assert pump.write_requests() == []


async def test_the_fault_list_service_keeps_working(
    hass: HomeAssistant, device_id: str, pump: PumpEmulator
) -> None:
    result: Any = await hass.services.async_call(
        DOMAIN,
        "get_fault_list",
        {"device_id": device_id, "start": 28, "count": 5},
        blocking=True,
        return_response=True,
    )
    assert [entry["index"] for entry in result["entries"]] == [28, 29]


@pytest.mark.parametrize(
    ("language", "name", "raised"),
    [("en", "Faults", "Fault raised"), ("de", "Störungen", "Störung aufgetreten")],
)
async def test_translated(
    hass: HomeAssistant, config_entry: MockConfigEntry, language: str, name: str, raised: str
) -> None:
    await set_up_in(hass, config_entry, language)
    state = hass.states.get(event_entity(hass, config_entry, "123456"))
    assert state is not None and state.name == f"Heliotherm 123456 {name}"
    strings = await async_get_translations(hass, language, "entity", {DOMAIN})
    key = f"component.{DOMAIN}.entity.event.faults.state_attributes.event_type.state.fault_raised"
    assert strings[key] == raised


# -- Aris ------------------------------------------------------------------------------------------


async def test_aris_codes_come_and_go_per_device(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    aris_loaded: MockConfigEntry,
    aris: ArisState,
) -> None:
    pump_events = event_entity(hass, aris_loaded, "hp_outdoor_1")
    hcu_events = event_entity(hass, aris_loaded, "hcu_main")
    pump_told, hcu_told = Told(hass, pump_events), Told(hass, hcu_events)
    aris.add_fault("hp_outdoor_1", "E101")
    aris.add_fault("hp_outdoor_1", "E203")
    await tick(hass, freezer, FAST_POLL)
    assert sorted(pump_told.codes()) == [("fault_raised", "E101"), ("fault_raised", "E203")]
    assert pump_told.events[0][1]["source"] == "aris"
    assert {a["message"] for _, a in pump_told.events} == {"Fault code E101", "Fault code E203"}
    assert {a["title"] for _, a in pump_told.events} == {"Fault"}
    assert hcu_told.events == []
    aris.clear_faults("hp_outdoor_1")
    await tick(hass, freezer, FAST_POLL)
    assert sorted(pump_told.codes()[2:]) == [("fault_cleared", "E101"), ("fault_cleared", "E203")]
    assert await hass.config_entries.async_reload(aris_loaded.entry_id)
    await hass.async_block_till_done()
    await tick(hass, freezer, FAST_POLL)
    assert len(pump_told.events) == 4  # nothing twice after a reload


async def test_aris_a_fault_present_at_restart_is_not_raised_again(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    aris_loaded: MockConfigEntry,
    aris: ArisState,
) -> None:
    pump_events = event_entity(hass, aris_loaded, "hp_outdoor_1")
    told = Told(hass, pump_events)
    aris.add_fault("hp_outdoor_1", "E101")
    await tick(hass, freezer, FAST_POLL)
    assert await hass.config_entries.async_unload(aris_loaded.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(aris_loaded.entry_id)
    await hass.async_block_till_done()
    await tick(hass, freezer, FAST_POLL)
    assert told.codes() == [("fault_raised", "E101")]


async def test_aris_fault_messages_in_german(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    aris_entry: MockConfigEntry,
    aris: ArisState,
) -> None:
    await set_up_in(hass, aris_entry, "de")
    told = Told(hass, event_entity(hass, aris_entry, "hp_outdoor_1"))
    aris.add_fault("hp_outdoor_1", "E101")
    await tick(hass, freezer, FAST_POLL)
    aris.clear_faults("hp_outdoor_1")
    await tick(hass, freezer, FAST_POLL)
    assert [(a["title"], a["message"]) for _, a in told.events] == [
        ("Störung", "Störungscode E101"),
        ("Störung behoben", "Störungscode E101"),
    ]


# -- Podero ----------------------------------------------------------------------------------------


async def test_podero_statuses_and_actions(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    podero_loaded: MockConfigEntry,
    podero: PoderoState,
) -> None:
    pump_id = next(iter(podero.heat_pumps))
    events = event_entity(hass, podero_loaded, pump_id)
    told = Told(hass, events)
    podero.heat_pumps[pump_id]["connection_status"] = "error"
    podero.require_reauthentication(pump_id)
    await tick(hass, freezer, timedelta(minutes=5, seconds=1))
    assert sorted(told.codes()) == [
        ("fault_raised", "action_needed"),
        ("fault_raised", "connection_status"),
    ]
    assert told.events[0][1]["source"] == "podero"
    assert sorted(a["message"] for _, a in told.events) == [
        "Action needed: link the manufacturer's account again (see Settings → Repairs)",
        "Connection: error",
    ]
    podero.heat_pumps[pump_id]["connection_status"] = "ok"
    podero.resolve_actions(pump_id)
    await tick(hass, freezer, timedelta(minutes=5, seconds=1))
    assert sorted(told.codes()[2:]) == [
        ("fault_cleared", "action_needed"),
        ("fault_cleared", "connection_status"),
    ]


async def test_a_podero_pump_that_leaves_and_comes_back_gets_its_faults_entity_again(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    podero_loaded: MockConfigEntry,
    podero: PoderoState,
) -> None:
    pump_id = next(iter(podero.heat_pumps))
    podero.delete_pump(pump_id)
    await tick(hass, freezer, timedelta(minutes=5, seconds=1))
    registry = er.async_get(hass)
    gone = er.async_entries_for_config_entry(registry, podero_loaded.entry_id)
    assert not any(e.unique_id.endswith(f"{pump_id}_faults") for e in gone)
    podero.heat_pumps[pump_id]["deleted_at"] = None  # restored in Podero: it comes back
    await tick(hass, freezer, timedelta(minutes=5, seconds=1))
    events = event_entity(hass, podero_loaded, pump_id)  # no reload
    told = Told(hass, events)
    podero.heat_pumps[pump_id]["connection_status"] = "error"
    await tick(hass, freezer, timedelta(minutes=5, seconds=1))
    assert told.codes() == [("fault_raised", "connection_status")]


# -- the notification blueprint ----------------------------------------------------------------

BLUEPRINT = (
    Path(__file__).parents[1] / "blueprints" / "automation" / DOMAIN / "fault_notification.yaml"
)


async def use_the_blueprint(hass: HomeAssistant, events: str, *, include_cleared: bool) -> None:
    """The notification blueprint, imported and used by one automation."""
    target = Path(hass.config.path("blueprints", "automation", DOMAIN))
    await hass.async_add_executor_job(lambda: target.mkdir(parents=True, exist_ok=True))
    await hass.async_add_executor_job(shutil.copy, BLUEPRINT, target / BLUEPRINT.name)
    assert await async_setup_component(hass, "notify", {})
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "use_blueprint": {
                    "path": f"{DOMAIN}/{BLUEPRINT.name}",
                    "input": {"fault_events": [events], "include_cleared": include_cleared},
                }
            }
        },
    )
    await hass.async_block_till_done()


def notes(hass: HomeAssistant) -> list[tuple[str, str]]:
    return sorted(
        (n["title"], n["message"]) for n in async_get_persistent_notifications(hass).values()
    )


@pytest.mark.parametrize("include_cleared", [True, False])
async def test_the_blueprint_notifies_of_each_raised_fault(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
    include_cleared: bool,
) -> None:
    await use_the_blueprint(hass, PUMP_EVENTS, include_cleared=include_cleared)
    assert async_get_persistent_notifications(hass) == {}
    add_fault(pump, 9, "HD Schalter")
    add_fault(pump, 21, "EQ Motorschutz", minutes=3)
    await tick(hass, freezer, SETTINGS_POLL)
    assert notes(hass) == [
        ("Heliotherm 123456: Fault 21", "EQ Motorschutz (2026-12-01 10:03)"),
        ("Heliotherm 123456: Fault 9", "HD Schalter (2026-12-01 10:00)"),
    ]
    pump.set_value("MP", 31, 0)
    await tick(hass, freezer, FAST_POLL)
    cleared = [note for note in notes(hass) if "cleared" in note[0]]
    assert [title for title, _ in cleared] == (
        ["Heliotherm 123456: Fault 21 cleared"] if include_cleared else []
    )
    assert all(message.startswith("EQ Motorschutz (") for _, message in cleared)
    # A reload restores the last event: no message for it
    count = len(async_get_persistent_notifications(hass))
    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert len(async_get_persistent_notifications(hass)) == count


async def test_the_blueprint_speaks_the_servers_language_and_never_warns(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    config_entry: MockConfigEntry,
    pump: PumpEmulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await set_up_in(hass, config_entry, "de")
    events = event_entity(hass, config_entry, "123456")
    await use_the_blueprint(hass, events, include_cleared=True)
    port = pump.port or 0
    await pump.stop()  # unavailable, and back: states without an event
    await tick(hass, freezer, FAST_POLL)
    assert hass.states.get(events).state == STATE_UNAVAILABLE  # type: ignore[union-attr]
    await pump.start_tcp(port=port)
    await tick(hass, freezer, FAST_POLL)
    assert await hass.config_entries.async_reload(config_entry.entry_id)
    await hass.async_block_till_done()
    add_fault(pump, 9, "HD Schalter")
    await tick(hass, freezer, FAST_POLL)
    pump.clear_fault()
    await tick(hass, freezer, FAST_POLL)
    warnings = [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")]
    assert not [r for r in warnings if "template" in r.getMessage().lower()], warnings
    assert [title for title, _ in notes(hass)] == [
        "Heliotherm 123456: Störung 9",
        "Heliotherm 123456: Störung 9 behoben",
    ]


async def test_the_mocks_take_fault_knobs_over_http(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    aris_loaded: MockConfigEntry,
    aris_host: str,
) -> None:
    """What scripts/develop uses to raise a fault by hand (curl)."""
    told = Told(hass, event_entity(hass, aris_loaded, "hp_outdoor_1"))
    async with aiohttp.ClientSession() as session:
        url = f"http://{aris_host}/_mock/call"
        async with session.post(f"{url}/add_fault", json={"device": "hp_outdoor_1", "code": "E7"}):
            pass
        async with session.post(f"{url}/drop_everything", json={}) as refused:
            assert refused.status == 400
        # A request the knob cannot carry out: 400 and why, never a traceback.
        async with session.post(f"{url}/add_fault", json={"device": "hp_outdoor_1"}) as missing:
            assert missing.status == 400
            assert "code" in (await missing.json())["error"]
        async with session.post(f"{url}/add_fault", data="device=hp_outdoor_1") as garbled:
            assert garbled.status == 400
            assert "not JSON" in (await garbled.json())["error"]
    await tick(hass, freezer, FAST_POLL)
    assert told.codes() == [("fault_raised", "E7")]


async def test_a_fault_read_between_settings_polls_is_not_told_again_by_the_next_one(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
) -> None:
    told = Told(hass, PUMP_EVENTS)
    add_fault(pump, 9, "HD Schalter")
    for _ in range(12):  # fast polls, then the settings poll reads the length again
        await tick(hass, freezer, FAST_POLL)
    assert told.codes() == [("fault_raised", "9")]
    state = hass.states.get("sensor.heliotherm_123456_fault_list_entries")
    assert state is not None and state.state == "31"
