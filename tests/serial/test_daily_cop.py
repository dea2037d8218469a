"""The daily COP: today's heat over today's electricity, from the pump's own meters."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    mock_restore_cache_with_extra_data,
)

from custom_components.heliotherm_podero.const import DOMAIN
from custom_components.heliotherm_podero.daily_ratio import Baseline, DailyRatio
from tests.conftest import tick
from tests.emulators.heliotherm_pump import PumpEmulator

DAILY_COP = "sensor.heliotherm_123456_daily_cop"
MONDAY, TUESDAY = date(2026, 11, 23), date(2026, 11, 24)


def test_ratio_of_todays_gains() -> None:
    ratio = DailyRatio(minimum_gain=0.1)
    assert ratio.update(MONDAY, 100.0, 30.0) is None  # nothing gained yet
    assert ratio.update(MONDAY, 100.3, 30.05) is None  # too little electricity to tell
    assert ratio.update(MONDAY, 108.0, 32.0) == 4.0
    assert ratio.update(MONDAY, 111.5, 33.0) == pytest.approx(3.83)


def test_a_new_day_or_a_reset_meter_starts_over() -> None:
    ratio = DailyRatio(minimum_gain=0.1)
    ratio.update(MONDAY, 100.0, 30.0)
    assert ratio.update(MONDAY, 108.0, 32.0) == 4.0
    assert ratio.update(TUESDAY, 110.0, 33.0) is None
    assert ratio.baseline == Baseline(TUESDAY, 110.0, 33.0)
    assert ratio.update(TUESDAY, 5.0, 1.0) is None  # the meter was reset: count from here
    assert ratio.update(TUESDAY, 8.0, 2.0) == 3.0


def test_a_stored_baseline_round_trips_and_junk_is_ignored() -> None:
    baseline = Baseline(MONDAY, 100.0, 30.0)
    assert Baseline.from_dict(baseline.as_dict()) == baseline
    assert Baseline.from_dict({"day": "yesterday", "numerator": 1, "denominator": 1}) is None
    assert Baseline.from_dict({"numerator": 1}) is None


def _meters(
    pump: PumpEmulator, heating: float, dhw: float, power_heating: float, power_dhw: float
) -> None:
    pump.set_value("MP", 52, heating)  # heat for heating
    pump.set_value("MP", 54, dhw)  # heat for hot water
    pump.set_value("MP", 53, power_heating)  # electricity for heating
    pump.set_value("MP", 55, power_dhw)  # electricity for hot water


def _enable_daily_cop(entity_registry: er.EntityRegistry, entry: MockConfigEntry) -> None:
    """This pump has no electricity meters in use, so the daily COP is created disabled."""
    entity_registry.async_get_or_create(
        "sensor",
        DOMAIN,
        "123456_cop_daily",
        config_entry=entry,
        suggested_object_id="heliotherm_123456_daily_cop",
    )


async def test_disabled_where_the_pump_has_no_electricity_meter(
    hass: HomeAssistant,
    pump: PumpEmulator,
    loaded_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    entity_id = entity_registry.async_get_entity_id("sensor", DOMAIN, "123456_cop_daily")
    assert entity_id is not None
    registered = entity_registry.async_get(entity_id)
    assert registered is not None
    assert registered.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert "mp_53" not in loaded_entry.runtime_data.coordinator.polled_keys


async def test_daily_cop_over_the_day(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,  # first: the entry's clocks start frozen
    pump: PumpEmulator,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    freezer.move_to(dt_util.start_of_local_day() + timedelta(hours=10))
    _enable_daily_cop(entity_registry, config_entry)
    _meters(pump, 80.0, 20.0, 25.0, 5.0)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert {"mp_52", "mp_53", "mp_54", "mp_55"} <= config_entry.runtime_data.coordinator.polled_keys
    state = hass.states.get(DAILY_COP)
    assert state is not None
    assert state.state == "unknown"  # counting starts now
    assert state.attributes["state_class"] == "measurement"
    assert "unit_of_measurement" not in state.attributes  # a ratio
    _meters(pump, 86.0, 22.0, 26.5, 5.5)  # 8 kWh of heat for 2 kWh of electricity
    await tick(hass, freezer, timedelta(seconds=31))
    state = hass.states.get(DAILY_COP)
    assert state is not None and state.state == "4.0"
    # Past midnight the day starts over.
    freezer.move_to(dt_util.start_of_local_day() + timedelta(days=1, seconds=10))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    state = hass.states.get(DAILY_COP)
    assert state is not None and state.state == "unknown"


@pytest.mark.parametrize(
    ("days_ago", "expected"),
    [
        (0, "4.0"),  # since today's stored baseline: 8 kWh heat for 2 kWh electricity
        (1, "unknown"),  # yesterday's baseline is not taken up: counting starts now
    ],
)
async def test_a_restart_keeps_the_days_baseline(
    hass: HomeAssistant,
    pump: PumpEmulator,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    days_ago: int,
    expected: str,
) -> None:
    _enable_daily_cop(entity_registry, config_entry)
    day = (dt_util.now().date() - timedelta(days=days_ago)).isoformat()
    mock_restore_cache_with_extra_data(
        hass,
        [(State(DAILY_COP, "3.5"), {"day": day, "numerator": 92.0, "denominator": 28.0})],
    )
    _meters(pump, 80.0, 20.0, 25.0, 5.0)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    state = hass.states.get(DAILY_COP)
    assert state is not None and state.state == expected
