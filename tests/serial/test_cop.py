"""The COP per day, month and season: the pump's counters (or the owner's meter) over time."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache_with_extra_data,
)

from custom_components.heliotherm_podero.const import (
    CONF_ELECTRICITY_METER,
    CONF_SEASON_START,
    DOMAIN,
)
from tests.conftest import tick
from tests.emulators.heliotherm_pump import PumpEmulator

FIGURES = (
    "cop_daily",
    "cop_yesterday",
    "cop_month",
    "cop_last_month",
    "cop_season",
    "cop_last_season",
    "cop_heating_month",
    "cop_heating_season",
    "cop_hot_water_month",
    "cop_hot_water_season",
)
POLL = timedelta(seconds=31)
METER = "sensor.house_heat_pump_meter"


def meters(
    pump: PumpEmulator, heating: float, dhw: float, el_heating: float, el_dhw: float
) -> None:
    pump.set_value("MP", 52, heating)  # heat for heating
    pump.set_value("MP", 54, dhw)  # heat for hot water
    pump.set_value("MP", 53, el_heating)  # electricity for heating
    pump.set_value("MP", 55, el_dhw)  # electricity for hot water


def enable_all(registry: er.EntityRegistry, entry: MockConfigEntry) -> None:
    """The owner enabled every figure (this pump's meters are not marked in use)."""
    for key in FIGURES:
        registry.async_get_or_create(
            "sensor",
            DOMAIN,
            f"123456_{key}",
            config_entry=entry,
            # the daily COP's entity ID as it always was
            suggested_object_id="heliotherm_123456_daily_cop" if key == "cop_daily" else None,
        )


def figure(hass: HomeAssistant, key: str) -> str:
    entity_id = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, f"123456_{key}")
    assert entity_id is not None, key
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


def figures(hass: HomeAssistant, *keys: str) -> dict[str, str]:
    return {key: figure(hass, key) for key in keys}


def local(year: int, month: int, day: int, hour: int, minute: int, second: int = 0) -> datetime:
    zone = dt_util.get_default_time_zone()
    return datetime(year, month, day, hour, minute, second, tzinfo=zone)


async def set_up(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


type Start = Callable[[datetime], Awaitable[None]]


@pytest.fixture
def start_counting(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,  # first: the entry's clocks start frozen
    pump: PumpEmulator,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> Start:
    """Set the pump up at a local time: every figure enabled, its meters at 80, 20, 25, 5 kWh."""

    async def start(when: datetime) -> None:
        freezer.move_to(when)
        enable_all(entity_registry, config_entry)
        meters(pump, 80.0, 20.0, 25.0, 5.0)
        await set_up(hass, config_entry)

    return start


async def test_off_by_default_where_the_pump_has_no_electricity_meter(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    for key in FIGURES:
        entity_id = entity_registry.async_get_entity_id("sensor", DOMAIN, f"123456_{key}")
        assert entity_id is not None, key
        registered = entity_registry.async_get(entity_id)
        assert registered is not None
        assert registered.disabled_by is er.RegistryEntryDisabler.INTEGRATION, key
    assert "mp_53" not in loaded_entry.runtime_data.coordinator.polled_keys
    assert entity_registry.async_get_entity_id("sensor", DOMAIN, "123456_cop_daily") == (
        "sensor.heliotherm_123456_daily_cop"  # as it always was
    )


async def test_the_day_the_month_and_the_season_turn_at_local_midnight(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,  # first: the entry's clocks start frozen
    pump: PumpEmulator,
    start_counting: Start,
) -> None:
    await start_counting(local(2026, 6, 30, 10, 0))  # the last day of the season (July to June)
    assert figure(hass, "cop_daily") == "unknown"  # counting starts now
    meters(pump, 86.0, 22.0, 26.5, 5.5)  # 8 kWh of heat for 2 kWh of electricity
    await tick(hass, freezer, POLL)
    assert figures(hass, "cop_daily", "cop_month", "cop_season") == {
        "cop_daily": "4.0",
        "cop_month": "4.0",
        "cop_season": "4.0",
    }
    assert figures(hass, "cop_heating_month", "cop_hot_water_month") == {
        "cop_heating_month": "4.0",  # 6 for 1.5
        "cop_hot_water_month": "unknown",  # 2 for 0.5: under 1 kWh, too little for a month
    }
    freezer.move_to(local(2026, 7, 1, 0, 0, 0))  # midnight: no poll needed to turn
    await tick(hass, freezer, timedelta(seconds=1))
    assert figures(hass, "cop_yesterday", "cop_last_month", "cop_last_season") == {
        "cop_yesterday": "4.0",
        "cop_last_month": "4.0",
        "cop_last_season": "4.0",
    }
    assert figures(hass, "cop_daily", "cop_month", "cop_season") == {
        "cop_daily": "unknown",
        "cop_month": "unknown",
        "cop_season": "unknown",
    }
    meters(pump, 95.0, 22.0, 29.5, 5.5)  # 9 for 3: the new day, month and season
    await tick(hass, freezer, POLL)
    assert figures(hass, "cop_daily", "cop_month", "cop_season", "cop_yesterday") == {
        "cop_daily": "3.0",
        "cop_month": "3.0",
        "cop_season": "3.0",
        "cop_yesterday": "4.0",
    }


@pytest.mark.parametrize("options", [{CONF_SEASON_START: "10"}])
async def test_the_season_starts_in_the_month_the_owner_picks(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    pump: PumpEmulator,
    start_counting: Start,
) -> None:
    await start_counting(local(2026, 9, 30, 23, 0))
    meters(pump, 84.0, 20.0, 26.0, 5.0)
    await tick(hass, freezer, POLL)
    freezer.move_to(local(2026, 10, 1, 0, 0, 0))
    await tick(hass, freezer, timedelta(seconds=1))
    assert figures(hass, "cop_last_season", "cop_season") == {
        "cop_last_season": "4.0",
        "cop_season": "unknown",
    }


async def test_a_dst_night_turns_the_day_once_at_local_midnight(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    pump: PumpEmulator,
    start_counting: Start,
) -> None:
    await hass.config.async_set_time_zone("Europe/Vienna")
    pump.state.clock_offset = dt_util.now().replace(tzinfo=None) - datetime.now()
    await start_counting(local(2026, 10, 24, 23, 0))  # summer time ends at 03:00 on the 25th
    meters(pump, 84.0, 20.0, 26.0, 5.0)
    await tick(hass, freezer, POLL)
    freezer.move_to(local(2026, 10, 25, 0, 0, 0))
    await tick(hass, freezer, timedelta(seconds=1))
    meters(pump, 90.0, 20.0, 28.0, 5.0)  # 6 for 2 on the 25-hour day
    for hour in range(1, 24):  # through the night the clocks go back, to 23:xx local
        freezer.move_to(local(2026, 10, 25, hour, 30))
        await tick(hass, freezer, POLL)
    assert figures(hass, "cop_yesterday", "cop_daily") == {
        "cop_yesterday": "4.0",
        "cop_daily": "3.0",
    }
    freezer.move_to(local(2026, 10, 26, 0, 0, 0))
    await tick(hass, freezer, timedelta(seconds=1))
    assert figures(hass, "cop_yesterday", "cop_daily") == {
        "cop_yesterday": "3.0",
        "cop_daily": "unknown",
    }


async def test_a_meter_that_goes_back_or_is_unavailable_never_gives_a_wrong_figure(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    pump: PumpEmulator,
    start_counting: Start,
) -> None:
    await start_counting(local(2026, 11, 23, 8, 0))
    meters(pump, 86.0, 22.0, 26.5, 5.5)  # 8 for 2
    await tick(hass, freezer, POLL)
    meters(pump, 1.0, 0.0, 0.5, 0.0)  # the pump's meters were reset
    await tick(hass, freezer, POLL)
    assert figure(hass, "cop_daily") == "4.0"  # kept, not restarted, no negative
    meters(pump, 4.0, 0.0, 1.5, 0.0)  # the new segment: 3 for 1
    await tick(hass, freezer, POLL)
    assert figure(hass, "cop_daily") == "3.67"  # 11 for 3
    port = pump.port or 0
    await pump.stop()  # unavailable: the day keeps what it had
    await tick(hass, freezer, POLL)
    assert figure(hass, "cop_daily") == "unavailable"
    meters(pump, 8.0, 0.0, 2.5, 0.0)  # meanwhile 4 for 1
    await pump.start_tcp(port=port)
    await tick(hass, freezer, POLL)
    assert figure(hass, "cop_daily") == "3.75"  # 15 for 4: counted once back


async def test_the_figures_survive_a_reload_and_a_restart(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    pump: PumpEmulator,
    config_entry: MockConfigEntry,
    start_counting: Start,
) -> None:
    await start_counting(local(2026, 11, 23, 8, 0))
    meters(pump, 86.0, 22.0, 26.5, 5.5)
    await tick(hass, freezer, POLL)
    assert await hass.config_entries.async_reload(config_entry.entry_id)
    await hass.async_block_till_done()
    assert figure(hass, "cop_daily") == "4.0"
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    await hass.async_block_till_done()
    meters(pump, 90.0, 22.0, 27.5, 5.5)  # while stopped: 4 for 1
    await set_up(hass, config_entry)
    assert figure(hass, "cop_daily") == "4.0"  # 12 for 3


@pytest.mark.parametrize(("days_ago", "expected"), [(0, "4.0"), (1, "unknown")])
async def test_an_earlier_versions_daily_baseline_is_taken_up(
    hass: HomeAssistant,
    pump: PumpEmulator,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    days_ago: int,
    expected: str,
) -> None:
    enable_all(entity_registry, config_entry)
    day = (dt_util.now().date() - timedelta(days=days_ago)).isoformat()
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State("sensor.heliotherm_123456_daily_cop", "3.5"),
                {"day": day, "numerator": 92.0, "denominator": 28.0},
            )
        ],
    )
    meters(pump, 80.0, 20.0, 25.0, 5.0)  # since today's baseline: 8 for 2
    await set_up(hass, config_entry)
    assert figure(hass, "cop_daily") == expected


def meter_state(hass: HomeAssistant, value: str, unit: str = "Wh") -> None:
    attributes: dict[str, Any] = {"unit_of_measurement": unit, "device_class": "energy"}
    hass.states.async_set(METER, value, attributes)


@pytest.mark.parametrize("options", [{CONF_ELECTRICITY_METER: METER}])
async def test_the_owners_meter_divides_where_the_pump_has_none(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    pump: PumpEmulator,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    freezer.move_to(local(2026, 11, 23, 8, 0))
    meter_state(hass, "1500000")  # Wh
    meters(pump, 80.0, 20.0, 0.0, 0.0)
    await set_up(hass, config_entry)
    for key in ("cop_daily", "cop_month", "cop_season"):  # on by default now
        entity_id = entity_registry.async_get_entity_id("sensor", DOMAIN, f"123456_{key}")
        registered = entity_registry.async_get(entity_id or "")
        assert registered is not None and registered.disabled_by is None, key
    meters(pump, 88.0, 20.0, 0.0, 0.0)
    meter_state(hass, "1502500")  # 2.5 kWh for 8 kWh of heat
    await tick(hass, freezer, POLL)
    assert figure(hass, "cop_daily") == "3.2"
    meter_state(hass, "unavailable")
    meters(pump, 92.0, 20.0, 0.0, 0.0)
    await tick(hass, freezer, POLL)
    assert figure(hass, "cop_daily") == "4.8"  # 12 for 2.5: the heat counts, the meter waits
    meter_state(hass, "1.5035", "MWh")  # back, in MWh: 1 kWh more
    await tick(hass, freezer, POLL)
    assert figure(hass, "cop_daily") == "3.43"  # 12 for 3.5
