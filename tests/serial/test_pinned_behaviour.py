"""Behaviour a redesign could lose without another test failing (issue 25, first part).

A light mutation trial broke each of these once without the suite noticing: each test here
fails on that break. The HTTP modes' pins live beside their fixtures: no secret in the log
(tests/podero, tests/aris), a poll read before a write (tests/podero), the back-off past the
poll interval (tests/podero/test_podero_adversarial.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heliotherm_podero.const import CONF_WRITE_WARNING, DOMAIN
from tests.conftest import state_of, tick
from tests.emulators.heliotherm_pump import PumpEmulator
from tests.serial.test_cop import enable_all, meters
from tests.serial.test_services import call, day

MODE = "select.heliotherm_123456_operating_mode"
DAILY_COP = "sensor.heliotherm_123456_daily_cop"
LAST_FAULT = "sensor.heliotherm_123456_last_fault"


async def test_the_daily_cop_starts_over_at_local_midnight(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,  # first: the entry's clocks start frozen
    pump: PumpEmulator,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    await hass.config.async_set_time_zone("Europe/Vienna")
    vienna = dt_util.get_default_time_zone()
    freezer.move_to(datetime(2026, 11, 23, 10, 0, tzinfo=vienna))
    enable_all(entity_registry, config_entry)
    meters(pump, 80.0, 20.0, 25.0, 5.0)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    meters(pump, 86.0, 22.0, 26.5, 5.5)
    await tick(hass, freezer, timedelta(seconds=31))
    assert state_of(hass, DAILY_COP).state == "4.0"
    # 00:30 in Vienna is 23:30 UTC of the day before: a new local day, the same UTC day.
    freezer.move_to(datetime(2026, 11, 24, 0, 30, tzinfo=vienna))
    assert dt_util.utcnow().date() == datetime(2026, 11, 23).date()
    await tick(hass, freezer, timedelta(seconds=1))
    assert state_of(hass, DAILY_COP).state == "unknown"


@pytest.mark.parametrize("options", [{CONF_WRITE_WARNING: 2}])
async def test_time_program_writes_count_toward_the_wear_warning(
    hass: HomeAssistant,
    device_id: str,
    loaded_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    issue_id = f"frequent_writes_{loaded_entry.entry_id}_time_program_0"
    for begin in ("05:30", "06:00"):
        await call(
            hass,
            "set_time_program",
            {"device_id": device_id, "program": 0, "days": [day([(1, begin, "07:00")], 2)]},
            response=True,
        )
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    await call(
        hass,
        "set_time_program",
        {"device_id": device_id, "program": 0, "days": [day([(1, "06:30", "07:00")], 2)]},
        response=True,
    )
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None and (issue.translation_placeholders or {})["count"] == "3"


async def test_a_full_fault_list_shows_a_new_last_fault_after_the_refresh_interval(
    freezer: FrozenDateTimeFactory,  # first: the entry's clocks start frozen
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
) -> None:
    before = state_of(hass, LAST_FAULT).state
    # A full ring: the oldest entry drops out as a new one comes in, the count stays.
    pump.state.faults.pop(0)
    pump.state.faults.append((25, datetime(2026, 11, 30, 8, 0), "Niederdruck"))
    await tick(hass, freezer, timedelta(minutes=5, seconds=1))
    assert state_of(hass, LAST_FAULT).state == before  # the count did not move
    for _ in range(12):
        await tick(hass, freezer, timedelta(minutes=5))
    assert "Niederdruck" in state_of(hass, LAST_FAULT).state


async def test_away_mode_returns_to_a_mode_other_than_automatic(
    hass: HomeAssistant,
    device_id: str,
    pump: PumpEmulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    await hass.services.async_call(
        "select", "select_option", {ATTR_ENTITY_ID: MODE, "option": "summer"}, blocking=True
    )
    end = dt_util.now() + timedelta(hours=2)
    await call(hass, "set_away_mode", {"device_id": device_id, "end": end})
    assert state_of(hass, MODE).state == "holiday"
    await tick(hass, freezer, timedelta(hours=2, seconds=1))
    assert state_of(hass, MODE).state == "summer"
    assert pump.write_requests()[-1] == "SP,NR=13,VAL=3"
