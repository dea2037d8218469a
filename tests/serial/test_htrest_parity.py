"""Every HtREST endpoint has a Home Assistant equivalent: parameters, program list, clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heliotherm_podero.compat import vol
from custom_components.heliotherm_podero.const import CONF_READ_ONLY, CONF_SETTINGS_INTERVAL, DOMAIN
from tests.conftest import pump_device, tick
from tests.emulators.heliotherm_pump import PumpEmulator


async def _call(hass: HomeAssistant, service: str, data: dict[str, Any]) -> Any:
    return await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True
    )


async def test_get_parameters_by_key_and_name_with_absent_and_unknown_ones(
    hass: HomeAssistant, device_id: str, pump: PumpEmulator
) -> None:
    del pump.state.records[("SP", 70)]  # this pump's firmware has no SP 70: ERR,INVALID IDX
    result = await _call(
        hass,
        "get_parameters",
        {
            "device_id": device_id,
            "parameters": ["sp_69", "Temp. Aussen", "sp_70", "no such point", "sp_8", "sp_25"],
        },
    )
    setpoint, outdoor, absent, unknown, trigger, counter = result["parameters"]
    assert setpoint == {
        "parameter": "sp_69",
        "key": "sp_69",
        "status": "ok",
        "name": "HKR Soll_Raum",
        "value": 23.0,
        "unit": "°C",
        "minimum": 10.0,
        "maximum": 25.0,
        "writable": True,
        "in_use": True,
    }
    # The pump flags MP 0 WR=1 (manual overwrite); this integration never writes measurements.
    assert (outdoor["key"], outdoor["value"], outdoor["writable"]) == ("mp_0", 4.8, False)
    assert absent == {"parameter": "sp_70", "key": "sp_70", "status": "absent"}
    assert unknown == {"parameter": "no such point", "status": "unknown"}
    assert trigger["writable"] is False  # a trigger is never written by this integration
    assert (counter["minimum"], counter["maximum"]) == (None, None)  # MIN=MAX=0: no limits
    assert pump.write_requests() == []


async def test_get_parameters_needs_at_least_one(hass: HomeAssistant, device_id: str) -> None:
    with pytest.raises(vol.Invalid, match="parameters"):  # the schema refuses an empty list
        await _call(hass, "get_parameters", {"device_id": device_id, "parameters": []})


async def test_list_time_programs(hass: HomeAssistant, device_id: str, pump: PumpEmulator) -> None:
    result = await _call(hass, "list_time_programs", {"device_id": device_id})
    assert [p["name"] for p in result["programs"]] == [
        "Warmwasser",
        "Zirkulationspumpe",
        "Heizung",
        "Mischer 1",
        "Mischer 2",
    ]
    assert result["programs"][2] == {
        "program": 2,
        "name": "Heizung",
        "states": 3,
        "step_minutes": 15,
        "entries_per_day": 7,
        "days": 7,
    }
    assert pump.write_requests() == []


async def test_sync_clock_to_a_given_time(
    hass: HomeAssistant, device_id: str, pump: PumpEmulator
) -> None:
    when = datetime(2026, 3, 29, 1, 59, 30)
    await hass.services.async_call(
        DOMAIN, "sync_clock", {"device_id": device_id, "time": when}, blocking=True
    )
    assert pump.write_requests() == ["CLK,DA=29.03.26,TI=01:59:30,WD=7"]
    assert abs(pump._now() - when) < timedelta(seconds=3)


@pytest.mark.parametrize("when", [datetime(2100, 1, 1), datetime(1999, 12, 31, 23, 59)])
async def test_sync_clock_refuses_dates_the_pump_cannot_hold(
    hass: HomeAssistant, device_id: str, pump: PumpEmulator, when: datetime
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "sync_clock", {"device_id": device_id, "time": when}, blocking=True
        )
    assert err.value.translation_key == "invalid_time"
    assert pump.write_requests() == []


@pytest.mark.parametrize("options", [{CONF_READ_ONLY: True}])
async def test_clock_is_not_written_in_read_only_mode(
    hass: HomeAssistant, device_id: str, pump: PumpEmulator
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "sync_clock",
            {"device_id": device_id, "time": datetime(2026, 1, 1)},
            blocking=True,
        )
    assert err.value.translation_key == "read_only_mode"
    result = await _call(hass, "get_parameters", {"device_id": device_id, "parameters": ["sp_69"]})
    assert result["parameters"][0]["value"] == 23.0  # reading works as ever
    assert pump.write_requests() == []


@pytest.mark.parametrize("options", [{CONF_SETTINGS_INTERVAL: 3600}])
async def test_synced_clock_stays_fixed_long_after_the_last_clock_read(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    pump: PumpEmulator,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    pump.state.clock_offset += timedelta(minutes=12)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    issue_id = f"clock_drift_{config_entry.entry_id}"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None
    for _ in range(20):  # 10 minutes of fast polls; the clock was read at setup only
        await tick(hass, freezer, timedelta(seconds=30))
    pump.state.clock_offset = dt_util.now().replace(tzinfo=None) - datetime.now()
    device_id = pump_device(hass, config_entry.entry_id).id
    await hass.services.async_call(DOMAIN, "sync_clock", {"device_id": device_id}, blocking=True)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    await tick(hass, freezer, timedelta(seconds=30))
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
