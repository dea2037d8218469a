"""What the serial mode sends, and how often: each thing once, and only when it can change."""

from __future__ import annotations

from datetime import datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heliotherm_podero.const import CONF_BAUDRATE, CONF_PORT, DOMAIN
from tests.conftest import tick
from tests.emulators.heliotherm_pump import PumpEmulator

# The settings and counters the curated set reads (sp_13 and the numbers; hours and starts)
SETTING = "SP,NR=83"
COUNTER = "SP,NR=153"


async def test_setup_from_flow_submit_to_loaded_reads_each_thing_once(
    hass: HomeAssistant, pump: PumpEmulator, pump_url: str
) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "serial"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PORT: pump_url, CONF_BAUDRATE: "19200"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    requests = list(pump.requests)
    assert len(requests) <= 46, requests
    # The fault events: where the fault list ends now (its length and newest entry)
    assert requests.count("AR,29") == 1
    # The calendars: the program list, then each program once, right after setup.
    assert requests.count("PRL") == 1
    assert [r for r in requests if r.startswith("PRD")] == [f"PRD{n}" for n in range(5)]
    # Which room sensors the pump uses: each read once, at setup (their US flag).
    assert [r for r in requests if r.startswith("MP,NR=")] == [f"MP,NR={n}" for n in range(16, 20)]
    assert requests.count("RID") == 2  # the flow names the entry; setup checks it is that pump
    assert requests.count("SP,NR=9") == 1  # the software version
    assert requests.count(SETTING) == 1  # its value and the pump's limits in one record
    assert requests.count("LIN") == 2  # one per connection


async def test_a_fast_cycle_is_one_fast_query(
    freezer: FrozenDateTimeFactory,  # first: the entry's clocks start frozen
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
) -> None:
    pump.requests.clear()
    await tick(hass, freezer, timedelta(seconds=31))
    assert len(pump.requests) == 1 and pump.requests[0].startswith("MR,"), pump.requests


async def test_settings_every_five_minutes_counters_hourly(
    freezer: FrozenDateTimeFactory,  # first: the entry's clocks start frozen
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
) -> None:
    pump.requests.clear()
    for _ in range(10):  # 5 minutes
        await tick(hass, freezer, timedelta(seconds=31))
    assert pump.requests.count(SETTING) == 1
    assert COUNTER not in pump.requests
    assert "ALS" in pump.requests
    assert "ALC" not in pump.requests  # the fault count did not move: the last entry neither
    for _ in range(12):  # past the hour
        await tick(hass, freezer, timedelta(minutes=5))
    assert pump.requests.count(COUNTER) == 1


async def test_a_new_fault_is_read_at_the_next_settings_poll(
    freezer: FrozenDateTimeFactory,  # first: the entry's clocks start frozen
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
) -> None:
    pump.state.faults.append((25, datetime(2026, 11, 1, 8, 0), "Niederdruck"))
    pump.requests.clear()
    await tick(hass, freezer, timedelta(minutes=5, seconds=1))
    assert "ALC" in pump.requests
    state = hass.states.get("sensor.heliotherm_123456_last_fault")
    assert state is not None and "Niederdruck" in state.state
