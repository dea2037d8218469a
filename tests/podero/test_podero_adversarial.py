"""Podero against a server that uses what the vendor's pages permit (issue 20).

Each test turns a knob of the mock the way a real server may behave and checks what the owner
sees: commands that reach the pump, settings nobody asked to change, devices kept through a
hiccup, errors by endpoint, and what the diagnostics carry.
"""

from __future__ import annotations

import asyncio
import base64
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)

from custom_components.heliotherm_podero.const import DOMAIN
from tests.conftest import add_through_the_flow, device_of, state_of, tick
from tests.emulators.podero_server import CLIENT_ID, CLIENT_SECRET, PoderoState, make_pump
from tests.podero.fixtures import podero_data
from tests.sources.podero.mock import PUMP_1, PUMP_2

POLL = timedelta(minutes=5, seconds=1)
POWER = "sensor.nibe_f2120_power"


async def _select_level(hass: HomeAssistant, option: str) -> None:
    await hass.services.async_call(
        "select",
        "select_option",
        {ATTR_ENTITY_ID: "select.nibe_f2120_optimisation_level", "option": option},
        blocking=True,
    )


# -- writes reach the device ---------------------------------------------------------------


async def test_a_command_is_sent_although_the_last_poll_showed_the_same_value(
    hass: HomeAssistant, podero_loaded: MockConfigEntry, podero: PoderoState
) -> None:
    podero.heat_pumps[PUMP_1]["optimization_level"] = "Low"  # the app, after the poll
    podero.heat_pumps[PUMP_1]["is_smart_optimization_active"] = False
    assert state_of(hass, "select.nibe_f2120_optimisation_level").state == "mid"
    await _select_level(hass, "mid")
    await hass.services.async_call(
        "switch",
        "turn_on",
        {ATTR_ENTITY_ID: "switch.nibe_f2120_smart_optimisation"},
        blocking=True,
    )
    assert podero.bodies == [
        {"optimization_level": "Mid"},
        {"is_smart_optimization_active": True},
    ]
    assert podero.heat_pumps[PUMP_1]["optimization_level"] == "Mid"
    assert podero.heat_pumps[PUMP_1]["is_smart_optimization_active"] is True


async def test_settings_a_write_resets_show_at_once_with_a_warning(
    hass: HomeAssistant,
    podero_loaded: MockConfigEntry,
    podero: PoderoState,
    caplog: pytest.LogCaptureFixture,
) -> None:
    podero.put_applies_defaults = True  # a server that fills unsent fields with defaults
    caplog.set_level(logging.WARNING)
    await _select_level(hass, "max")
    assert podero.bodies == [{"optimization_level": "Max"}]
    # The reply is the truth for every field it carries: shown at once, no poll needed.
    assert state_of(hass, "switch.nibe_f2120_smart_optimisation").state == "off"
    assert state_of(hass, "switch.nibe_f2120_space_heating_in_use").state == "off"
    assert state_of(hass, "switch.nibe_f2120_comfort_limits").state == "off"
    assert state_of(hass, "select.nibe_f2120_optimisation_level").state == "max"
    warnings = [r for r in caplog.records if "nobody asked" in r.getMessage()]
    assert len(warnings) == 1
    assert "switch.nibe_f2120_smart_optimisation" in warnings[0].getMessage()
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, f"write_side_effect_{podero_loaded.entry_id}_podero_{PUMP_1}"
    )
    assert issue is not None and issue.translation_key == "write_side_effect"
    settings = (issue.translation_placeholders or {})["settings"]
    for entity_id in (
        "switch.nibe_f2120_smart_optimisation",
        "switch.nibe_f2120_space_heating_in_use",
        "switch.nibe_f2120_hot_water_in_use",
        "switch.nibe_f2120_comfort_limits",
        "binary_sensor.nibe_f2120_away_mode",
    ):
        assert entity_id in settings
    assert "optimisation_level" not in settings  # the field that was sent
    # A server that keeps unsent fields: no warning.
    podero.put_applies_defaults = False
    caplog.clear()
    await _select_level(hass, "low")
    assert not [r for r in caplog.records if "nobody asked" in r.getMessage()]


async def test_pause_is_what_podero_reports_and_both_fields_are_written(
    hass: HomeAssistant,
    podero: PoderoState,
    podero_entry: MockConfigEntry,
) -> None:
    podero.pause_flag_follows_until = False  # the flag is a field of its own
    ahead = datetime.now(UTC) + timedelta(hours=3)
    podero.heat_pumps[PUMP_1]["pause_power_until"] = ahead.isoformat()
    podero.heat_pumps[PUMP_1]["is_pause_power_active"] = False
    assert await hass.config_entries.async_setup(podero_entry.entry_id)
    await hass.async_block_till_done()
    assert state_of(hass, "binary_sensor.nibe_f2120_power_paused").state == "off"
    assert state_of(hass, "sensor.nibe_f2120_power_paused_until").state == (
        ahead.replace(microsecond=0).isoformat()
    )
    device = device_of(hass, podero_entry, f"podero_{PUMP_1}")
    assert device is not None
    await hass.services.async_call(
        DOMAIN, "pause_power", {"device_id": device.id, "duration": {"hours": 2}}, blocking=True
    )
    assert podero.bodies[-1]["is_pause_power_active"] is True
    assert "pause_power_until" in podero.bodies[-1]
    assert state_of(hass, "binary_sensor.nibe_f2120_power_paused").state == "on"
    await hass.services.async_call(DOMAIN, "resume_power", {"device_id": device.id}, blocking=True)
    assert podero.bodies[-1] == {"is_pause_power_active": False, "pause_power_until": None}
    assert state_of(hass, "binary_sensor.nibe_f2120_power_paused").state == "off"
    assert state_of(hass, "sensor.nibe_f2120_power_paused_until").state == STATE_UNKNOWN


async def test_a_put_answer_without_actions_keeps_the_action_and_its_link(
    hass: HomeAssistant,
    podero_loaded: MockConfigEntry,
    podero: PoderoState,
    freezer: FrozenDateTimeFactory,
) -> None:
    link = podero.require_reauthentication(PUMP_1)
    await tick(hass, freezer, POLL)
    issue_id = f"device_problem_{podero_loaded.entry_id}_podero_{PUMP_1}"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None and issue.learn_more_url == link
    podero.put_without_actions = True  # the older shape: action_needed, no actions
    await _select_level(hass, "low")
    await hass.async_block_till_done()
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert (issue.translation_key, issue.learn_more_url) == ("podero_action_needed", link)


# -- no hiccup loses a device ----------------------------------------------------------------


async def test_a_pump_missing_from_the_list_keeps_its_device_names_and_area(
    hass: HomeAssistant,
    podero_loaded: MockConfigEntry,
    podero: PoderoState,
    freezer: FrozenDateTimeFactory,
) -> None:
    entities = er.async_get(hass)
    entities.async_update_entity(POWER, name="Heat pump draw")
    device = device_of(hass, podero_loaded, f"podero_{PUMP_1}")
    assert device is not None
    dr.async_get(hass).async_update_device(device.id, area_id="basement", name_by_user="HP")
    # The list leaves the pump out, its detail still answers: the list was incomplete.
    podero.hidden_from_list = {PUMP_1}
    await tick(hass, freezer, POLL)
    assert state_of(hass, POWER).state == "1900.0"
    # Nothing answers for it (a manufacturer-cloud sync): unavailable, nothing deleted.
    podero.detail_not_found = {PUMP_1}
    podero.hidden_from_list = {PUMP_1, PUMP_2}  # an empty list
    await tick(hass, freezer, timedelta(hours=1, seconds=1))
    assert state_of(hass, POWER).state == STATE_UNAVAILABLE
    assert state_of(hass, "sensor.nibe_s1255_power").state == "2000.0"  # its detail answers
    await tick(hass, freezer, timedelta(hours=12))
    kept = device_of(hass, podero_loaded, f"podero_{PUMP_1}")
    assert kept is not None and (kept.area_id, kept.name_by_user) == ("basement", "HP")
    # Back: the same entity, with the owner's name.
    podero.hidden_from_list = set()
    podero.detail_not_found = set()
    await tick(hass, freezer, POLL)
    power = state_of(hass, POWER)
    assert (power.state, power.attributes["friendly_name"]) == ("1900.0", "Heat pump draw")
    # Missing from every poll for a day: now it goes.
    podero.hidden_from_list = {PUMP_1}
    podero.detail_not_found = {PUMP_1}
    await tick(hass, freezer, POLL)
    await tick(hass, freezer, timedelta(hours=23, minutes=50))
    assert device_of(hass, podero_loaded, f"podero_{PUMP_1}") is not None
    await tick(hass, freezer, timedelta(minutes=10, seconds=1))
    assert device_of(hass, podero_loaded, f"podero_{PUMP_1}") is None
    assert entities.async_get(POWER) is None
    # Gone: no longer looked for.
    sent = len(podero.requests)
    await tick(hass, freezer, timedelta(hours=1, minutes=1))
    assert not [r for r in podero.requests[sent:] if r.endswith(f"/heat-pumps/{PUMP_1}")]


async def test_a_detail_404_of_a_listed_pump_deletes_nothing(
    hass: HomeAssistant,
    podero_loaded: MockConfigEntry,
    podero: PoderoState,
    freezer: FrozenDateTimeFactory,
) -> None:
    podero.detail_not_found = {PUMP_1, PUMP_2}
    podero.require_reauthentication(PUMP_1)  # in trouble: its detail is read every poll
    for _ in range(3):
        await tick(hass, freezer, POLL)
    assert device_of(hass, podero_loaded, f"podero_{PUMP_1}") is not None
    assert state_of(hass, POWER).state == "1900.0"


async def test_a_deleted_pump_goes_at_once(
    hass: HomeAssistant,
    podero_loaded: MockConfigEntry,
    podero: PoderoState,
    freezer: FrozenDateTimeFactory,
) -> None:
    podero.delete_pump(PUMP_1)  # soft-deleted: gone from the list, detail says deleted_at
    await tick(hass, freezer, POLL)
    assert device_of(hass, podero_loaded, f"podero_{PUMP_1}") is None
    assert hass.states.get(POWER) is None
    assert device_of(hass, podero_loaded, f"podero_{PUMP_2}") is not None


async def test_a_pump_gone_while_home_assistant_was_stopped_waits_a_day(
    hass: HomeAssistant,
    podero_loaded: MockConfigEntry,
    podero: PoderoState,
    freezer: FrozenDateTimeFactory,
) -> None:
    podero.hidden_from_list = {PUMP_1}
    podero.detail_not_found = {PUMP_1}
    assert await hass.config_entries.async_reload(podero_loaded.entry_id)
    await hass.async_block_till_done()
    assert device_of(hass, podero_loaded, f"podero_{PUMP_1}") is not None
    assert state_of(hass, POWER).state == STATE_UNAVAILABLE  # the registered entity
    await tick(hass, freezer, timedelta(hours=24, seconds=1))
    assert device_of(hass, podero_loaded, f"podero_{PUMP_1}") is None


async def test_unknown_options_are_shown_as_they_come(
    hass: HomeAssistant,
    podero_loaded: MockConfigEntry,
    podero: PoderoState,
    freezer: FrozenDateTimeFactory,
) -> None:
    podero.heat_pumps[PUMP_1]["optimization_level"] = "Eco+"
    podero.heat_pumps[PUMP_1]["price_zone"] = "DE"  # guides use it; not in the enum
    await tick(hass, freezer, POLL)
    level = state_of(hass, "select.nibe_f2120_optimisation_level")
    assert level.state == "eco_plus"
    assert "eco_plus" in level.attributes["options"]
    zone = state_of(hass, "select.nibe_f2120_price_zone")
    assert zone.state == "de"
    assert "de" in zone.attributes["options"]


# -- errors by endpoint ----------------------------------------------------------------------


async def test_a_403_on_a_write_is_that_write_s_error_not_a_reauthentication(
    hass: HomeAssistant, podero_loaded: MockConfigEntry, podero: PoderoState
) -> None:
    podero.fail.append((403, None))
    with pytest.raises(HomeAssistantError) as caught:
        await _select_level(hass, "max")
    assert caught.value.translation_key == "write_forbidden"
    assert not list(podero_loaded.async_get_active_flows(hass, {SOURCE_REAUTH}))
    await _select_level(hass, "max")  # the next write goes through
    assert state_of(hass, "select.nibe_f2120_optimisation_level").state == "max"


async def test_a_401_after_a_token_renewal_starts_reauthentication(
    hass: HomeAssistant, podero_loaded: MockConfigEntry, podero: PoderoState
) -> None:
    podero.revoke_credentials()
    with pytest.raises(HomeAssistantError):
        await _select_level(hass, "max")
    await hass.async_block_till_done()
    assert list(podero_loaded.async_get_active_flows(hass, {SOURCE_REAUTH}))


async def test_a_pump_without_id_is_skipped_with_one_log_line(
    hass: HomeAssistant,
    podero: PoderoState,
    podero_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    podero.extra_list_items = [{**make_pump(3), "id": None}, "not an object"]
    caplog.set_level(logging.WARNING)
    assert await hass.config_entries.async_setup(podero_entry.entry_id)
    await hass.async_block_till_done()
    await tick(hass, freezer, POLL)
    assert state_of(hass, POWER).state == "1900.0"
    assert state_of(hass, "sensor.nibe_s1255_power").state == "2000.0"
    assert len([r for r in caplog.records if "without an id" in r.getMessage()]) == 1
    assert "Traceback" not in caplog.text


async def test_a_time_without_a_zone_is_utc(
    hass: HomeAssistant,
    podero: PoderoState,
    podero_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    podero.heat_pumps[PUMP_1].update(
        is_away_mode_enabled=True,
        away_mode_start="2020-01-01T00:00:00",
        away_mode_end="2999-01-01T12:00:00",
    )
    assert await hass.config_entries.async_setup(podero_entry.entry_id)
    await hass.async_block_till_done()
    assert state_of(hass, "binary_sensor.nibe_f2120_away_mode").state == "on"
    assert state_of(hass, "sensor.nibe_f2120_away_until").state == "2999-01-01T12:00:00+00:00"
    assert state_of(hass, "sensor.nibe_f2120_away_from").state == "2020-01-01T00:00:00+00:00"
    assert "Traceback" not in caplog.text


async def test_a_retry_after_longer_than_the_poll_interval_is_honoured(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    podero_loaded: MockConfigEntry,
    podero: PoderoState,
) -> None:
    podero.fail.append((429, "900"))  # come back in 15 minutes
    await tick(hass, freezer, POLL)
    assert state_of(hass, POWER).state == STATE_UNAVAILABLE
    sent = len(podero.requests)
    await tick(hass, freezer, POLL)  # 5 minutes later: still backing off, nothing sent
    assert len(podero.requests) == sent, podero.requests[-4:]
    await tick(hass, freezer, POLL)
    await tick(hass, freezer, POLL)  # past the 15 minutes
    assert len(podero.requests) > sent
    assert state_of(hass, POWER).state == "1900.0"


# -- what the owner sees ---------------------------------------------------------------------


async def test_the_owner_sees_pause_away_steering_and_freshness(
    hass: HomeAssistant, podero: PoderoState, podero_entry: MockConfigEntry
) -> None:
    podero.heat_pumps[PUMP_1].update(
        actual_steering_state="steering", lifecycle_state="error", lifecycle_error="Token expired"
    )
    assert await hass.config_entries.async_setup(podero_entry.entry_id)
    await hass.async_block_till_done()
    assert state_of(hass, "sensor.nibe_f2120_power_paused_until").state == STATE_UNKNOWN
    assert state_of(hass, "sensor.nibe_f2120_away_from").state == STATE_UNKNOWN
    assert state_of(hass, "sensor.nibe_f2120_away_until").state == STATE_UNKNOWN
    assert state_of(hass, "sensor.nibe_f2120_energy_figures_updated").state == (
        "2025-01-01T00:00:00+00:00"
    )
    energy = state_of(hass, "sensor.nibe_f2120_energy_yesterday")
    assert (energy.state, energy.attributes["unit_of_measurement"]) == ("12.3", "kWh")
    entities = er.async_get(hass)
    for entity_id, state in (
        ("sensor.nibe_f2120_steering_state", "steering"),
        ("sensor.nibe_f2120_lifecycle_state", "error"),
        ("sensor.nibe_f2120_lifecycle_error", "Token expired"),
    ):
        entry = entities.async_get(entity_id)
        assert entry is not None and entry.entity_category is not None, entity_id
        assert state_of(hass, entity_id).state == state


async def test_diagnostics_carry_the_last_raw_answers_redacted(
    hass: HomeAssistant, podero: PoderoState, podero_entry: MockConfigEntry, hass_client: Any
) -> None:
    podero.require_reauthentication(PUMP_1)  # a detail with an action link (a secret)
    assert await hass.config_entries.async_setup(podero_entry.entry_id)
    await hass.async_block_till_done()
    result = await get_diagnostics_for_config_entry(hass, hass_client, podero_entry)
    answers = result["source"]["answers"]
    listed = next(v for k, v in answers.items() if k.endswith("/heat-pumps"))
    assert {pump["id"] for pump in listed} == {PUMP_1, PUMP_2}
    assert listed[0]["optimization_level"] == "Mid"
    detail = next(v for k, v in answers.items() if k.endswith(f"/heat-pumps/{PUMP_1}"))
    assert detail["actions"][0]["resolution_link"] == "**REDACTED**"
    text = str(result)
    for secret in (CLIENT_SECRET, "owner@example.invalid", "Erika", "Muster", "secret="):
        assert secret not in text


async def test_the_mock_takes_its_knobs_over_http(podero: PoderoState, podero_url: str) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(
            f"{podero_url}/_mock/knobs", json={"hidden_from_list": [PUMP_1], "delay": 0}
        ) as response:
            assert response.status == 200
        async with session.post(f"{podero_url}/_mock/knobs", json={"nope": 1}) as response:
            assert response.status == 400
    assert podero.hidden_from_list == {PUMP_1}
    assert podero.requests == []


# -- pinned for the redesign (issue 25) ------------------------------------------------------


async def test_no_secret_in_any_log_line_from_the_first_flow_step_on(
    hass: HomeAssistant,
    podero_url: str,
    podero: PoderoState,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    # Podero: through the flow, set up, polled, written, with a token refused on the way.
    form = {k: v for k, v in podero_data(podero_url).items() if k != "mode"}
    result = await add_through_the_flow(hass, "podero", form)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    podero.expire_tokens()
    await tick(hass, freezer, timedelta(minutes=5, seconds=1))
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    secrets = [CLIENT_SECRET, basic, *podero.tokens]
    assert len(podero.tokens) >= 1  # a bearer token was issued and used
    logged = caplog.text
    for secret in secrets:
        assert secret not in logged


async def test_a_write_waits_for_a_poll_under_way_and_stays_shown(
    hass: HomeAssistant,
    podero_loaded: MockConfigEntry,
    podero: PoderoState,
) -> None:
    podero.hold_list = asyncio.Event()
    coordinator = podero_loaded.runtime_data.coordinator
    poll = hass.async_create_task(coordinator.async_refresh())
    while not podero.list_held:  # the list is read (optimisation level "Mid") and held
        await asyncio.sleep(0.01)
    write = hass.async_create_task(
        hass.services.async_call(
            "select",
            "select_option",
            {ATTR_ENTITY_ID: "select.nibe_f2120_optimisation_level", "option": "max"},
            blocking=True,
        )
    )
    await asyncio.sleep(0.05)
    assert not any(r.startswith("PUT") for r in podero.requests)  # the link's turn: the poll's
    podero.hold_list.set()
    await poll
    await write
    await hass.async_block_till_done()
    assert state_of(hass, "select.nibe_f2120_optimisation_level").state == "max"
    puts = [i for i, r in enumerate(podero.requests) if r.startswith("PUT")]
    lists = [i for i, r in enumerate(podero.requests) if r.endswith("/heat-pumps")]
    assert puts and puts[0] > lists[-1]
