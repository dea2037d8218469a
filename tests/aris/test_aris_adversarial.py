"""The Aris Brain as the vendor's pages permit it to behave (issue 20).

Late commands, setpoints the Brain moves, routes that answer 405 or an HTML page, a failing
``/health``, typed IDs it no longer knows, fields it leaves out: each through a knob of the
mock and Home Assistant's test harness.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heliotherm_podero.const import DOMAIN
from custom_components.heliotherm_podero.sources.aris import commanding as aris_commands
from custom_components.heliotherm_podero.sources.aris.client import ArisClient
from custom_components.heliotherm_podero.sources.aris.source import ArisSource
from tests.conftest import add_through_the_flow, device_of, state_of, tick
from tests.emulators.aris_server import ArisState
from tests.sources.aris.mock import TOKEN

LIVING = "climate.living_room"
BEDROOM = "climate.bedroom"
POLL = timedelta(seconds=31)
COMPRESSOR = "sensor.heat_pump_hp_outdoor_1_compressor_speed"


async def _climate(hass: HomeAssistant, service: str, **data: Any) -> None:
    await hass.services.async_call(
        "climate", service, {ATTR_ENTITY_ID: LIVING, **data}, blocking=True
    )


@pytest.fixture
def quick_confirm(monkeypatch: pytest.MonkeyPatch) -> None:
    """The re-reads after a command, without the real pauses."""
    monkeypatch.setattr(aris_commands, "CONFIRM_DELAYS", (0.0,) * 4)


# -- commands ---------------------------------------------------------------------------------


async def test_turn_on_returns_to_the_mode_before_off_across_a_restart(
    hass: HomeAssistant, aris_loaded: MockConfigEntry, aris: ArisState
) -> None:
    await _climate(hass, "set_hvac_mode", hvac_mode="heat")  # a heat-only day
    await _climate(hass, "turn_off")
    assert aris.zones["living_room"]["mode"] == "off"
    assert await hass.config_entries.async_reload(aris_loaded.entry_id)
    await hass.async_block_till_done()
    await _climate(hass, "turn_on")
    assert aris.zones["living_room"]["mode"] == "heat"  # not auto with cooling enabled
    assert state_of(hass, LIVING).state == "heat"
    await _climate(hass, "set_hvac_mode", hvac_mode="heat_cool")
    await _climate(hass, "turn_off")
    await _climate(hass, "turn_on")
    assert aris.commands[-1] == ("living_room", {"mode": "auto"})


async def test_a_setpoint_the_brain_moves_by_its_gap_rule_is_no_rejection(
    hass: HomeAssistant, aris_loaded: MockConfigEntry, aris: ArisState
) -> None:
    await _climate(hass, "set_hvac_mode", hvac_mode="heat")
    # Heat 29 leaves no room for the cool setpoint (30 at most): the Brain lowers heat to 27.8.
    await _climate(hass, "set_temperature", temperature=29.0)
    assert aris.commands[-1] == ("living_room", {"tempHeatSetC": 29.0})
    assert state_of(hass, LIVING).attributes["temperature"] == 27.8
    await _climate(hass, "set_hvac_mode", hvac_mode="heat_cool")
    state = state_of(hass, LIVING)
    assert (state.attributes["target_temp_low"], state.attributes["target_temp_high"]) == (
        27.8,
        30.0,
    )


async def test_a_command_applied_late_is_confirmed_by_a_later_read(
    hass: HomeAssistant, aris_loaded: MockConfigEntry, aris: ArisState, quick_confirm: None
) -> None:
    aris.apply_after_reads = 3  # the first two re-reads still show the old value
    await _climate(hass, "set_hvac_mode", hvac_mode="cool")
    assert state_of(hass, LIVING).state == "cool"
    aris.apply_after_reads = 50  # never within the bounded re-reads
    with pytest.raises(HomeAssistantError) as caught:
        await _climate(hass, "set_hvac_mode", hvac_mode="heat")
    assert caught.value.translation_key == "write_rejected"
    assert state_of(hass, LIVING).state == "cool"  # what the Brain reports


async def test_the_re_reads_stay_within_about_three_seconds() -> None:
    assert 2.5 <= sum(aris_commands.CONFIRM_DELAYS) <= 3.5


# -- the assumed heat-pump list and /health ---------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        (404, '{"error": "Not found"}'),
        (405, ""),
        (400, '{"error": "Bad request"}'),
        (200, "<html><body>Aris Brain</body></html>"),
        (200, '{"unexpected": true}'),
    ],
)
async def test_a_brain_without_the_list_uses_the_typed_ids(
    hass: HomeAssistant,
    aris: ArisState,
    aris_entry: MockConfigEntry,
    answer: tuple[int, str],
) -> None:
    aris.heat_pump_list_answer = answer
    assert await hass.config_entries.async_setup(aris_entry.entry_id)
    await hass.async_block_till_done()
    assert state_of(hass, COMPRESSOR).state == "62"
    assert aris_entry.runtime_data.source.diagnostics()["heat_pump_list_supported"] is False


@pytest.mark.parametrize("knob", [{"health_fail_status": 503}, {"health_fail_status": 500}])
async def test_a_failing_health_check_shows_as_health_only(
    hass: HomeAssistant,
    aris_loaded: MockConfigEntry,
    aris: ArisState,
    freezer: FrozenDateTimeFactory,
    knob: dict[str, Any],
) -> None:
    for name, value in knob.items():
        setattr(aris, name, value)
    await tick(hass, freezer, POLL)
    assert state_of(hass, "binary_sensor.aris_hydronic_control_unit_brain").state == "off"
    assert state_of(hass, "sensor.aris_hydronic_control_unit_brain_status").state == "unreachable"
    assert state_of(hass, LIVING).state == "heat_cool"
    assert state_of(hass, COMPRESSOR).state == "62"
    aris.health_fail_status = None
    await tick(hass, freezer, POLL)
    assert state_of(hass, "binary_sensor.aris_hydronic_control_unit_brain").state == "on"


async def test_a_health_check_that_times_out_shows_as_health_only(
    aris: ArisState, aris_host: str
) -> None:
    aris.health_delay = 0.5
    async with aiohttp.ClientSession() as session:
        source = ArisSource(ArisClient(session, aris_host, TOKEN, timeout=0.2))
        await source.async_connect()
    assert source.health is not None and source.health.status == "unreachable"
    assert any(key.startswith("zone.living_room") for key in source.points)


# -- typed IDs, remembered fields -------------------------------------------------------------


async def test_a_typed_id_the_brain_forgets_stays_with_a_repair(
    hass: HomeAssistant,
    aris_loaded: MockConfigEntry,
    aris: ArisState,
    freezer: FrozenDateTimeFactory,
) -> None:
    er.async_get(hass).async_update_entity(COMPRESSOR, name="Outdoor unit speed")
    pump = aris.heat_pumps.pop("hp_outdoor_1")
    await tick(hass, freezer, POLL)
    assert state_of(hass, COMPRESSOR).state == STATE_UNAVAILABLE
    issue_id = f"device_problem_{aris_loaded.entry_id}_aris_hcu_main_hp_outdoor_1"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None and issue.translation_key == "aris_unknown_id"
    assert (issue.translation_placeholders or {})["name"] == "hp_outdoor_1"
    # Days later, and after a restart: still there, never removed by the integration.
    await tick(hass, freezer, timedelta(days=2))
    assert await hass.config_entries.async_reload(aris_loaded.entry_id)
    await hass.async_block_till_done()
    assert device_of(hass, aris_loaded, "aris_hcu_main_hp_outdoor_1") is not None
    assert state_of(hass, COMPRESSOR).state == STATE_UNAVAILABLE
    aris.heat_pumps["hp_outdoor_1"] = pump
    await tick(hass, freezer, POLL)
    state = state_of(hass, COMPRESSOR)
    assert (state.state, state.attributes["friendly_name"]) == ("62", "Outdoor unit speed")
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


async def test_an_id_removed_in_the_options_goes_at_once(
    hass: HomeAssistant, aris_loaded: MockConfigEntry
) -> None:
    hass.config_entries.async_update_entry(
        aris_loaded, options={**aris_loaded.options, "heat_pump_ids": ""}
    )
    await hass.async_block_till_done()
    assert device_of(hass, aris_loaded, "aris_hcu_main_hp_outdoor_1") is None
    assert hass.states.get(COMPRESSOR) is None
    assert device_of(hass, aris_loaded, "aris_hcu_main_fcu_01a9") is not None


async def test_an_optional_field_seen_once_keeps_its_entity_across_a_restart(
    hass: HomeAssistant, aris_loaded: MockConfigEntry, aris: ArisState
) -> None:
    cop = "sensor.heat_pump_hp_outdoor_1_current_cop"
    assert state_of(hass, cop).state == "4.1"
    aris.hcu["state"] = "standby"  # COP is omitted while idle
    assert await hass.config_entries.async_reload(aris_loaded.entry_id)
    await hass.async_block_till_done()
    assert state_of(hass, cop).state == STATE_UNKNOWN  # a live entity, not an orphan
    assert "restored" not in state_of(hass, cop).attributes


async def test_fault_codes_are_shown_for_the_hcu_and_each_heat_pump(
    hass: HomeAssistant,
    aris_loaded: MockConfigEntry,
    aris: ArisState,
    freezer: FrozenDateTimeFactory,
) -> None:
    codes = "sensor.heat_pump_hp_outdoor_1_fault_codes"
    assert state_of(hass, codes).state == "none"
    aris.add_fault("hp_outdoor_1", "TEST_FAULT_1")
    aris.add_fault("hp_outdoor_1", "TEST_FAULT_2")
    aris.add_fault("hcu_main", "TEST_FAULT_3")
    await tick(hass, freezer, POLL)
    assert state_of(hass, codes).state == "TEST_FAULT_1, TEST_FAULT_2"
    assert state_of(hass, "sensor.aris_hydronic_control_unit_fault_codes").state == "TEST_FAULT_3"
    entry = er.async_get(hass).async_get("sensor.heat_pump_hp_outdoor_1_discharge_temperature")
    assert entry is not None and entry.entity_category is not None  # refrigerant side


async def test_no_traceback_for_any_server_answer(
    hass: HomeAssistant,
    aris_loaded: MockConfigEntry,
    aris: ArisState,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)  # Home Assistant logs the "full error" at debug level only
    for knob, value in (
        ("fail_status", 503),
        ("fail_status", 500),
        ("malformed", True),
        ("health_fail_status", 503),
    ):
        setattr(aris, knob, value)
        await tick(hass, freezer, POLL)
        setattr(aris, knob, ArisState.__dataclass_fields__[knob].default)
    await tick(hass, freezer, POLL)
    assert "Traceback" not in caplog.text
    assert state_of(hass, LIVING).state == "heat_cool"


async def test_diagnostics_carry_the_last_raw_answers(
    hass: HomeAssistant, aris_loaded: MockConfigEntry
) -> None:
    answers = aris_loaded.runtime_data.source.diagnostics()["answers"]
    assert answers["GET /api/hcu"]["hcuId"] == "hcu_main"
    assert answers["GET /api/zones"]["zones"][0]["zoneId"] == "living_room"
    assert TOKEN not in str(answers)


async def test_no_token_in_any_log_line_from_the_first_flow_step_on(
    hass: HomeAssistant,
    aris_host: str,
    aris: ArisState,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    result = await add_through_the_flow(
        hass, "aris", {"host": aris_host, "token": TOKEN, "heat_pump_ids": "hp_outdoor_1"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    aris.tokens = set()  # refused from now on: the 401 path logs too
    await tick(hass, freezer, POLL)
    assert TOKEN not in caplog.text
    assert f"Bearer {TOKEN}" not in caplog.text
