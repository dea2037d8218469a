"""Issue "no write the owner did not ask for, no stale or misattributed value": Home Assistant."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from unittest.mock import patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heliotherm_podero.const import (
    CONF_READ_ONLY,
    CONF_SETTINGS_INTERVAL,
    CONF_WRITE_WARNING,
    DOMAIN,
)
from custom_components.heliotherm_podero.runtime import HeatPumpRuntime
from tests.conftest import tick
from tests.emulators.heliotherm_pump import Fault, PumpEmulator

DEVICE = "heliotherm_123456"
SETPOINT = f"number.{DEVICE}_room_setpoint"
HEATING_LIMIT = f"number.{DEVICE}_heating_limit"
MODE = f"select.{DEVICE}_operating_mode"


@pytest.fixture
def fast_link(loaded_entry: MockConfigEntry) -> None:
    """Short timeouts, so that lost replies cost little test time."""
    loaded_entry.runtime_data.source.client.timeout = 0.4


def _state(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None
    return state.state


async def _service(hass: HomeAssistant, domain: str, service: str, data: dict[str, Any]) -> Any:
    return await hass.services.async_call(domain, service, data, blocking=True)


async def _set_parameter(hass: HomeAssistant, device_id: str, parameter: str, value: Any) -> None:
    await _service(
        hass,
        DOMAIN,
        "set_parameter",
        {"device_id": device_id, "parameter": parameter, "value": value},
    )


# -- writes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("parameter", ["sp_8", "Initialisieren", "SP_14", "Abtaueinleitung"])
async def test_set_parameter_never_writes_a_trigger(
    hass: HomeAssistant, device_id: str, pump: PumpEmulator, parameter: str
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await _set_parameter(hass, device_id, parameter, 1)
    assert err.value.translation_key == "trigger_point"
    assert pump.write_requests() == []


@pytest.mark.parametrize(
    ("entity_id", "value", "reason"),
    [
        (HEATING_LIMIT, 7.6, "not_a_whole_number"),
        (HEATING_LIMIT, float("nan"), "not_a_setting_value"),
        (SETPOINT, 21.55, "wrong_step"),
    ],
)
async def test_number_writes_the_value_exactly_or_refuses(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
    entity_id: str,
    value: float,
    reason: str,
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await _service(hass, "number", "set_value", {ATTR_ENTITY_ID: entity_id, "value": value})
    assert err.value.translation_key == reason
    assert pump.write_requests() == []
    await _service(hass, "number", "set_value", {ATTR_ENTITY_ID: HEATING_LIMIT, "value": 17.0})
    assert pump.write_requests() == ["SP,NR=76,VAL=17"]


@pytest.mark.parametrize("value", ["1e308", 1e308, "nan", "inf", "7.6"])
async def test_set_parameter_refuses_values_that_are_not_settings(
    hass: HomeAssistant, device_id: str, pump: PumpEmulator, value: Any
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await _set_parameter(hass, device_id, "sp_76", value)
    assert err.value.translation_key in ("not_a_setting_value", "not_a_whole_number")
    assert pump.write_requests() == []


async def test_set_parameter_updates_the_entity_at_once(
    hass: HomeAssistant, device_id: str, pump: PumpEmulator
) -> None:
    await _set_parameter(hass, device_id, "HKR Soll_Raum", "21.5")
    assert pump.write_requests() == ["SP,NR=69,VAL=21.5"]
    assert _state(hass, SETPOINT) == "21.5"


async def test_write_refused_on_firmware_that_names_the_number_otherwise(
    hass: HomeAssistant, device_id: str, pump: PumpEmulator
) -> None:
    pump.rename("SP", 70, "HKR Soll_ZP_Korr")  # SW 2.03N
    with pytest.raises(ServiceValidationError) as err:
        await _set_parameter(hass, device_id, "sp_70", 5)
    assert err.value.translation_key == "point_name_mismatch"
    assert (err.value.translation_placeholders or {})["reported"] == "HKR Soll_ZP_Korr"
    assert pump.write_requests() == []


async def test_diagnostics_list_points_named_otherwise(
    hass: HomeAssistant, config_entry: MockConfigEntry, pump: PumpEmulator, hass_client: Any
) -> None:
    from pytest_homeassistant_custom_component.components.diagnostics import (
        get_diagnostics_for_config_entry,
    )

    pump.rename("SP", 69, "HKR Soll_Raum_Alt")
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    result = await get_diagnostics_for_config_entry(hass, hass_client, config_entry)
    assert result["source"]["link"]["names_differing_from_catalog"] == {
        "sp_69": {"catalog": "HKR Soll_Raum", "pump": "HKR Soll_Raum_Alt"}
    }


@pytest.mark.usefixtures("fast_link")
async def test_lost_write_reply_shows_what_the_pump_holds(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, pump: PumpEmulator
) -> None:
    pump.inject_on(r"SP,NR=69,VAL=.*", Fault.SILENCE)
    await _service(hass, "number", "set_value", {ATTR_ENTITY_ID: SETPOINT, "value": 21.5})
    assert _state(hass, SETPOINT) == "21.5"  # confirmed by reading it back


async def test_unconfirmed_write_makes_the_setting_unknown_until_read(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    # The clock is frozen here: the link drops instead of staying silent.
    pump.inject_on(r"SP,NR=69,VAL=.*", Fault.DISCONNECT)
    pump.inject_on(r"SP,NR=69", Fault.DISCONNECT)
    with pytest.raises(HomeAssistantError) as err:
        await _service(hass, "number", "set_value", {ATTR_ENTITY_ID: SETPOINT, "value": 21.5})
    assert err.value.translation_key == "communication_error"
    assert _state(hass, SETPOINT) == STATE_UNAVAILABLE  # not the old 23.0
    await tick(hass, freezer, timedelta(seconds=31))  # the settings are read again at once
    assert _state(hass, SETPOINT) == "21.5"


async def test_refused_write_shows_the_value_the_pump_reports(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, pump: PumpEmulator
) -> None:
    pump.set_value("SP", 69, 22.0)  # changed on the pump's panel since the last poll
    pump.reject_writes = True
    with pytest.raises(HomeAssistantError) as err:
        await _service(hass, "number", "set_value", {ATTR_ENTITY_ID: SETPOINT, "value": 21.5})
    assert err.value.translation_key == "write_rejected"
    assert _state(hass, SETPOINT) == "22.0"


@pytest.mark.parametrize("options", [{CONF_WRITE_WARNING: 3}])
async def test_frequent_writes_raise_a_wear_issue(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
    issue_registry: ir.IssueRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    issue_id = f"frequent_writes_{loaded_entry.entry_id}_sp_69"
    for value in (21.0, 21.5, 22.0):
        await _service(hass, "number", "set_value", {ATTR_ENTITY_ID: SETPOINT, "value": value})
    # Writing the value the pump already holds sends nothing and is not counted.
    await _service(hass, "number", "set_value", {ATTR_ENTITY_ID: SETPOINT, "value": 22.0})
    assert len(pump.write_requests()) == 3
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    await _service(hass, "number", "set_value", {ATTR_ENTITY_ID: SETPOINT, "value": 22.5})
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "frequent_writes"
    assert issue.translation_placeholders == {
        "name": "Heliotherm 123456 Room setpoint (sp_69)",
        "count": "4",
        "limit": "3",
    }
    await tick(hass, freezer, timedelta(hours=25))
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


# -- away mode -----------------------------------------------------------------------------------


def _away(hass: HomeAssistant, entry: MockConfigEntry) -> Any:
    runtime: HeatPumpRuntime = entry.runtime_data
    assert runtime.away is not None
    return runtime.away


async def test_away_previous_mode_survives_a_lost_holiday_reply_and_a_poll(
    hass: HomeAssistant,
    device_id: str,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    # The pump takes the holiday write, but its reply and the read-back are lost.
    pump.inject_on(r"SP,NR=13,VAL=6", Fault.DISCONNECT)
    pump.inject_on(r"SP,NR=13", Fault.DISCONNECT)
    end = dt_util.now() + timedelta(hours=2)
    await _service(hass, DOMAIN, "set_away_mode", {"device_id": device_id, "end": end})
    assert _away(hass, loaded_entry).plan["previous_mode"] == "automatic"
    assert not _away(hass, loaded_entry).plan["active"]
    await tick(hass, freezer, timedelta(seconds=31))  # a poll reads "holiday"
    assert _state(hass, MODE) == "holiday"
    await tick(hass, freezer, timedelta(seconds=31))  # the retry: nothing left to write
    plan = _away(hass, loaded_entry).plan
    assert plan["previous_mode"] == "automatic" and plan["active"]
    assert pump.write_requests() == ["SP,NR=13,VAL=6"]
    await tick(hass, freezer, timedelta(hours=2))
    assert _state(hass, MODE) == "automatic"
    assert pump.write_requests() == ["SP,NR=13,VAL=6", "SP,NR=13,VAL=1"]


async def test_away_refused_at_once_is_reported_and_not_kept(
    hass: HomeAssistant, device_id: str, loaded_entry: MockConfigEntry, pump: PumpEmulator
) -> None:
    pump.reject_writes = True
    end = dt_util.now() + timedelta(hours=2)
    with pytest.raises(HomeAssistantError) as err:
        await _service(hass, DOMAIN, "set_away_mode", {"device_id": device_id, "end": end})
    assert err.value.translation_key == "write_rejected"
    assert _away(hass, loaded_entry).plan is None
    assert _state(hass, MODE) == "automatic"


async def test_away_restart_in_the_middle_of_a_plan(
    hass: HomeAssistant,
    device_id: str,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    pump.set_value("SP", 13, 5)  # setback before the holiday
    await tick(hass, freezer, timedelta(minutes=6))
    end = dt_util.now() + timedelta(hours=3)
    await _service(hass, DOMAIN, "set_away_mode", {"device_id": device_id, "end": end})
    assert _state(hass, MODE) == "holiday"
    await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    plan = _away(hass, loaded_entry).plan
    assert plan["previous_mode"] == "setback" and plan["active"]
    await tick(hass, freezer, timedelta(hours=1))
    assert _state(hass, MODE) == "holiday"
    await tick(hass, freezer, timedelta(hours=2))
    assert _state(hass, MODE) == "setback"
    assert _away(hass, loaded_entry).plan is None


async def test_away_ends_without_touching_a_mode_the_owner_changed(
    hass: HomeAssistant,
    device_id: str,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    end = dt_util.now() + timedelta(hours=2)
    await _service(hass, DOMAIN, "set_away_mode", {"device_id": device_id, "end": end})
    pump.set_value("SP", 13, 7)  # party, set on the pump's panel
    await tick(hass, freezer, timedelta(hours=2, minutes=1))
    assert pump.write_requests() == ["SP,NR=13,VAL=6"]
    assert _state(hass, MODE) == "party"


async def test_away_plan_refused_later_stops_and_asks_the_owner(
    hass: HomeAssistant,
    device_id: str,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
    hass_client: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    start = dt_util.now() + timedelta(minutes=10)
    await _service(
        hass,
        DOMAIN,
        "set_away_mode",
        {"device_id": device_id, "start": start, "end": start + timedelta(hours=3)},
    )
    pump.reject_writes = True
    await tick(hass, freezer, timedelta(minutes=10, seconds=1))
    issue_id = f"away_mode_failed_{loaded_entry.entry_id}"
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None and issue.is_fixable
    requests = len(pump.requests)
    for _ in range(5):  # no retries, no further log lines
        await tick(hass, freezer, timedelta(minutes=1, seconds=1))
    assert len([r for r in pump.requests[requests:] if r.startswith("SP,NR=13,")]) <= 5
    assert pump.write_requests() == ["SP,NR=13,VAL=6"]
    assert caplog.text.count("cannot be carried out") == 1
    # The owner keeps the plan once the pump accepts writes again.
    pump.reject_writes = False
    assert await async_setup_component(hass, "repairs", {})
    client = await hass_client()
    response = await client.post(
        "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": issue_id}
    )
    flow = await response.json()
    assert flow["type"] == "menu" and set(flow["menu_options"]) == {"retry", "discard"}
    response = await client.post(
        f"/api/repairs/issues/fix/{flow['flow_id']}", json={"next_step_id": "retry"}
    )
    assert (await response.json())["type"] == "create_entry"
    await hass.async_block_till_done()
    assert _state(hass, MODE) == "holiday"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_away_plan_in_read_only_mode_can_be_dropped(
    hass: HomeAssistant,
    device_id: str,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
    hass_client: Any,
) -> None:
    start = dt_util.now() + timedelta(minutes=10)
    await _service(
        hass,
        DOMAIN,
        "set_away_mode",
        {"device_id": device_id, "start": start, "end": start + timedelta(hours=3)},
    )
    hass.config_entries.async_update_entry(loaded_entry, options={CONF_READ_ONLY: True})
    await hass.async_block_till_done()
    await tick(hass, freezer, timedelta(minutes=10, seconds=1))
    issue_id = f"away_mode_failed_{loaded_entry.entry_id}"
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert "read-only mode" in (issue.translation_placeholders or {})["error"]
    # A restart does not start retrying either.
    await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert pump.write_requests() == []
    assert await async_setup_component(hass, "repairs", {})
    client = await hass_client()
    response = await client.post(
        "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": issue_id}
    )
    flow = await response.json()
    response = await client.post(
        f"/api/repairs/issues/fix/{flow['flow_id']}", json={"next_step_id": "discard"}
    )
    assert (await response.json())["type"] == "create_entry"
    await hass.async_block_till_done()
    assert _away(hass, loaded_entry).plan is None
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    assert pump.write_requests() == []


@pytest.mark.parametrize(
    ("start", "end", "reason"),
    [
        (None, datetime(9999, 12, 31, 23, 59), "invalid_away_period"),
        (datetime(9999, 12, 30), datetime(9999, 12, 31), "away_period_too_long"),
        (datetime(1, 1, 1), datetime(1, 1, 2), "invalid_away_period"),
        (None, "in_two_years", "away_period_too_long"),
    ],
)
async def test_away_dates_out_of_any_sensible_range(
    hass: HomeAssistant,
    device_id: str,
    pump: PumpEmulator,
    start: datetime | None,
    end: datetime | str,
    reason: str,
) -> None:
    data: dict[str, Any] = {"device_id": device_id}
    if start is not None:
        data["start"] = start
    data["end"] = dt_util.now() + timedelta(days=730) if end == "in_two_years" else end
    with pytest.raises(ServiceValidationError) as err:
        await _service(hass, DOMAIN, "set_away_mode", data)
    assert err.value.translation_key == reason
    assert pump.write_requests() == []


# -- setup never leaks the port ----------------------------------------------------------------


@pytest.mark.parametrize("rid", ["RID,²", "RID,12x"])
async def test_garbled_identity_frees_the_port(
    hass: HomeAssistant, config_entry: MockConfigEntry, pump: PumpEmulator, rid: str
) -> None:
    pump.state.rid_text = rid
    assert not await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.SETUP_RETRY
    assert pump.connections == 0


async def test_any_setup_failure_frees_the_port(
    hass: HomeAssistant, config_entry: MockConfigEntry, pump: PumpEmulator
) -> None:
    with patch(
        "custom_components.heliotherm_podero.away.AwayModeManager.async_load",
        side_effect=RuntimeError("boom"),
    ):
        assert not await hass.config_entries.async_setup(config_entry.entry_id)
        await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.SETUP_ERROR
    assert pump.connections == 0


# -- services and repairs ------------------------------------------------------------------------


@pytest.mark.parametrize("program", [5, -1, 10**30])
async def test_time_program_index_checked_against_the_pump(
    hass: HomeAssistant, device_id: str, pump: PumpEmulator, program: int
) -> None:
    pump.requests.clear()  # the calendars read every program at setup
    for service, extra in (
        ("get_time_program", {}),
        ("set_time_program", {"days": [{"day": 0, "entries": []}]}),
    ):
        with pytest.raises(ServiceValidationError) as err:
            await hass.services.async_call(
                DOMAIN,
                service,
                {"device_id": device_id, "program": program, **extra},
                blocking=True,
                return_response=True,
            )
        assert err.value.translation_key == "invalid_program"
    assert not [r for r in pump.requests if r.startswith(("PRD", "PRI", "PRE"))]


async def test_the_same_day_twice_is_refused(
    hass: HomeAssistant, device_id: str, pump: PumpEmulator
) -> None:
    entries = [{"state": 0, "begin": "00:00", "end": "00:00"}] * 7
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "set_time_program",
            {
                "device_id": device_id,
                "program": 0,
                "days": [{"day": 1, "entries": entries}, {"day": 1, "entries": entries}],
            },
            blocking=True,
        )
    assert err.value.translation_key == "duplicate_day"
    assert pump.write_requests() == []


@pytest.mark.parametrize("options", [{CONF_SETTINGS_INTERVAL: 600}])
async def test_clock_drift_is_measured_when_the_clock_was_read(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    pump: PumpEmulator,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    pump.state.clock_offset += timedelta(seconds=0.7)
    for _ in range(19):  # 9.5 minutes of fast polls between two clock reads
        await tick(hass, freezer, timedelta(seconds=30))
    issue_id = f"clock_drift_{loaded_entry.entry_id}"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_issues_are_deleted_with_the_entry(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    pump: PumpEmulator,
    issue_registry: ir.IssueRegistry,
) -> None:
    pump.state.clock_offset += timedelta(minutes=20)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    ir.async_create_issue(
        hass,
        DOMAIN,
        f"frequent_writes_{config_entry.entry_id}_sp_69",
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="frequent_writes",
    )
    ir.async_create_issue(
        hass,
        DOMAIN,
        "clock_drift_another_entry",
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="clock_behind",
    )
    assert issue_registry.async_get_issue(DOMAIN, f"clock_drift_{config_entry.entry_id}")
    await hass.config_entries.async_remove(config_entry.entry_id)
    await hass.async_block_till_done()
    assert sorted(issue for domain, issue in issue_registry.issues if domain == DOMAIN) == [
        "clock_drift_another_entry"
    ]


async def test_read_only_switch_keeps_entity_ids(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    pump: PumpEmulator,
) -> None:
    before = {
        e.entity_id
        for e in er.async_entries_for_config_entry(entity_registry, loaded_entry.entry_id)
    }
    for read_only in (True, False):
        hass.config_entries.async_update_entry(loaded_entry, options={CONF_READ_ONLY: read_only})
        await hass.async_block_till_done()
        assert loaded_entry.state is ConfigEntryState.LOADED
        after = {
            e.entity_id
            for e in er.async_entries_for_config_entry(entity_registry, loaded_entry.entry_id)
        }
        assert after == before
        assert _state(hass, SETPOINT) == "23.0"
    # The README's own automation example works in both modes (refused in read-only).
    await _service(hass, "number", "set_value", {ATTR_ENTITY_ID: SETPOINT, "value": 21.5})
    assert pump.write_requests() == ["SP,NR=69,VAL=21.5"]


async def test_settings_shown_as_sensors_by_an_earlier_version_are_removed(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    pump: PumpEmulator,
) -> None:
    old = entity_registry.async_get_or_create(
        "sensor", DOMAIN, "123456_sp_69", config_entry=config_entry, suggested_object_id="x"
    )
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert entity_registry.async_get(old.entity_id) is None
    assert entity_registry.async_get(SETPOINT) is not None
