"""Podero in Home Assistant: devices, entities, writes, errors, services, repairs, secrets."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.climate.const import ClimateEntityFeature
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)

from custom_components.heliotherm_podero.const import DOMAIN
from tests.conftest import tick
from tests.emulators.podero_server import CLIENT_SECRET, PoderoState, make_pump
from tests.sources.podero.mock import PUMP_1, PUMP_2

CLIMATE = "climate.nibe_f2120"
POLL = timedelta(minutes=5, seconds=1)


def _state(hass: HomeAssistant, entity_id: str) -> Any:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state


def _device_id(hass: HomeAssistant, entry: MockConfigEntry, pump_id: str) -> str:
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    return next(d.id for d in devices if (DOMAIN, f"podero_{pump_id}") in d.identifiers)


async def test_one_device_per_pump_with_its_entities(
    hass: HomeAssistant, podero_loaded: MockConfigEntry
) -> None:
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), podero_loaded.entry_id)
    assert sorted((d.manufacturer, d.model, d.name) for d in devices) == [
        ("Nibe", "F2120 (2021)", "Nibe F2120"),
        ("Nibe", "S1255 (2021)", "Nibe S1255"),
    ]
    climate = _state(hass, CLIMATE)
    assert climate.state == "heat"
    assert climate.attributes["current_temperature"] == 21.2
    # A pump that only heats: the comfort minimum is the one target, no range drawn as cooling.
    assert climate.attributes["temperature"] == 19.5
    assert climate.attributes["target_temp_low"] is None
    assert climate.attributes["target_temp_high"] is None
    power = _state(hass, "sensor.nibe_f2120_power")
    assert (power.state, power.attributes["unit_of_measurement"]) == ("1900.0", "W")
    assert _state(hass, "sensor.nibe_f2120_steering_level").state == "mid"
    assert _state(hass, "select.nibe_f2120_optimisation_level").state == "mid"
    assert _state(hass, "binary_sensor.nibe_f2120_action_needed").state == "off"
    assert _state(hass, "binary_sensor.nibe_f2120_power_paused").state == "off"


async def test_comfort_band_off_shows_the_indoor_target(
    hass: HomeAssistant, podero_loaded: MockConfigEntry, podero: PoderoState
) -> None:
    await hass.services.async_call(
        "switch", "turn_off", {ATTR_ENTITY_ID: "switch.nibe_f2120_comfort_limits"}, blocking=True
    )
    climate = _state(hass, CLIMATE)
    assert climate.attributes["temperature"] == 21.5
    assert climate.attributes["target_temp_low"] is None
    assert podero.bodies == [{"is_heating_policy_enabled": False}]


async def test_heat_only_sets_the_comfort_minimum_and_the_indoor_target_is_shown_only(
    hass: HomeAssistant, podero_loaded: MockConfigEntry, podero: PoderoState
) -> None:
    await hass.services.async_call(
        "climate", "set_temperature", {ATTR_ENTITY_ID: CLIMATE, "temperature": 20.5}, blocking=True
    )
    assert podero.bodies == [{"minimum_temperature_limit": 20.5}]
    assert _state(hass, CLIMATE).attributes["temperature"] == 20.5
    await hass.services.async_call(
        "switch", "turn_off", {ATTR_ENTITY_ID: "switch.nibe_f2120_comfort_limits"}, blocking=True
    )
    # Without comfort limits the target is Podero's own indoor target: refused, nothing sent.
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            "climate",
            "set_temperature",
            {ATTR_ENTITY_ID: CLIMATE, "temperature": 22.0},
            blocking=True,
        )
    assert caught.value.translation_key == "target_shown_only"
    assert podero.bodies[1:] == [{"is_heating_policy_enabled": False}]


async def test_writes_send_the_asked_fields_and_show_the_reply_at_once(
    hass: HomeAssistant, podero_loaded: MockConfigEntry, podero: PoderoState
) -> None:
    await hass.services.async_call(
        "switch",
        "turn_on",
        {ATTR_ENTITY_ID: "switch.nibe_f2120_space_cooling_in_use"},
        blocking=True,
    )
    # A pump that also cools shows the comfort band as a range.
    climate = _state(hass, CLIMATE)
    assert (climate.attributes["target_temp_low"], climate.attributes["target_temp_high"]) == (
        19.5,
        23.0,
    )
    assert climate.attributes["temperature"] is None
    requests = len(podero.requests)
    await hass.services.async_call(
        "climate",
        "set_temperature",
        {ATTR_ENTITY_ID: CLIMATE, "target_temp_low": 20.0, "target_temp_high": 22.5},
        blocking=True,
    )
    assert podero.bodies[1:] == [
        {"minimum_temperature_limit": 20.0, "maximum_temperature_limit": 22.5}
    ]
    assert len(podero.requests) == requests + 1
    assert _state(hass, "number.nibe_f2120_max_comfort_temp").state == "22.5"
    await hass.services.async_call(
        "select",
        "select_option",
        {ATTR_ENTITY_ID: "select.nibe_f2120_optimisation_level", "option": "max"},
        blocking=True,
    )
    await hass.services.async_call(
        "select",
        "select_option",
        {ATTR_ENTITY_ID: "select.nibe_f2120_optimisation_level", "option": "max"},
        blocking=True,
    )  # the same again: sent again, the last poll may be old
    assert podero.bodies[2:] == [{"optimization_level": "Max"}, {"optimization_level": "Max"}]


async def test_the_climate_never_changes_the_installation(
    hass: HomeAssistant, podero_loaded: MockConfigEntry, podero: PoderoState
) -> None:
    climate = _state(hass, CLIMATE)
    assert climate.attributes["hvac_modes"] == ["heat"]
    features = ClimateEntityFeature(climate.attributes["supported_features"])
    assert not features & (ClimateEntityFeature.TURN_OFF | ClimateEntityFeature.TURN_ON)
    # "Turn off every climate" of an area, a voice command: not offered, nothing sent.
    await hass.services.async_call("climate", "turn_off", {ATTR_ENTITY_ID: "all"}, blocking=True)
    for mode in ("off", "heat"):
        with pytest.raises(ServiceValidationError) as caught:
            await hass.services.async_call(
                "climate",
                "set_hvac_mode",
                {ATTR_ENTITY_ID: CLIMATE, "hvac_mode": mode},
                blocking=True,
            )
        assert caught.value.translation_key in ("hvac_mode_fixed", "not_valid_hvac_mode")
    assert podero.bodies == []
    assert _state(hass, CLIMATE).state == "heat"
    # The installation's use is a configuration switch, named as such; its state shows.
    usage = "switch.nibe_f2120_space_heating_in_use"
    assert _state(hass, usage).attributes["friendly_name"] == "Nibe F2120 Space heating in use"
    await hass.services.async_call("switch", "turn_off", {ATTR_ENTITY_ID: usage}, blocking=True)
    assert podero.bodies == [{"is_space_heating_enabled": False}]
    assert _state(hass, CLIMATE).state == "off"


async def test_refusals_are_translated_and_change_nothing(
    hass: HomeAssistant, podero_loaded: MockConfigEntry, podero: PoderoState
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            "number",
            "set_value",
            {ATTR_ENTITY_ID: "number.nibe_f2120_min_comfort_temp", "value": 24},
            blocking=True,
        )
    assert caught.value.translation_key == "comfort_band"
    assert podero.bodies == []
    podero.fail.append((422, None))
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            "switch", "turn_on", {ATTR_ENTITY_ID: "switch.nibe_f2120_trading"}, blocking=True
        )
    assert caught.value.translation_key == "device_refused"
    assert _state(hass, "switch.nibe_f2120_trading").state == "off"
    assert _state(hass, "sensor.nibe_f2120_power").state == "1900.0"


@pytest.mark.parametrize(("status", "retry_after"), [(429, "30"), (500, None), (503, "5")])
async def test_429_and_5xx_make_entities_unavailable_until_they_recover(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    podero_loaded: MockConfigEntry,
    podero: PoderoState,
    status: int,
    retry_after: str | None,
) -> None:
    podero.fail.append((status, retry_after))
    await tick(hass, freezer, POLL)
    assert _state(hass, "sensor.nibe_f2120_power").state == STATE_UNAVAILABLE
    await tick(hass, freezer, POLL)
    assert _state(hass, "sensor.nibe_f2120_power").state == "1900.0"


async def test_pumps_come_and_go_while_running(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    podero_loaded: MockConfigEntry,
    podero: PoderoState,
) -> None:
    added = podero.add_pump(make_pump(3, manufacturer="Daikin", model="Altherma", year=None))
    await tick(hass, freezer, POLL)
    assert _state(hass, "sensor.daikin_altherma_power").state == "2100.0"
    assert _state(hass, "climate.daikin_altherma").state == "heat"
    podero.delete_pump(PUMP_2)
    await tick(hass, freezer, POLL)
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), podero_loaded.entry_id)
    keys = {key for d in devices for _, key in d.identifiers}
    assert keys == {f"podero_{PUMP_1}", f"podero_{added}"}
    assert hass.states.get("sensor.nibe_s1255_power") is None


async def test_away_mode_and_pause_power_services(
    hass: HomeAssistant, podero_loaded: MockConfigEntry, podero: PoderoState
) -> None:
    device_id = _device_id(hass, podero_loaded, PUMP_1)
    start = datetime.now(UTC) + timedelta(hours=1)
    end = start + timedelta(days=3)
    await hass.services.async_call(
        DOMAIN,
        "set_away_mode",
        {"device_id": device_id, "start": start, "end": end, "minimum_temperature": 15},
        blocking=True,
    )
    assert podero.bodies[-1]["is_away_mode_enabled"] is True
    assert podero.bodies[-1]["away_mode_minimum_temperature_limit"] == 15.0
    assert _state(hass, "number.nibe_f2120_away_min_temp").state == "15.0"
    assert _state(hass, "binary_sensor.nibe_f2120_away_mode").state == "off"  # not yet begun
    await hass.services.async_call(
        DOMAIN, "clear_away_mode", {"device_id": device_id}, blocking=True
    )
    assert podero.bodies[-1] == {
        "is_away_mode_enabled": False,
        "away_mode_start": None,
        "away_mode_end": None,
    }
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            DOMAIN,
            "set_away_mode",
            {"device_id": device_id, "end": end, "minimum_temperature": 40},
            blocking=True,
        )
    assert caught.value.translation_key == "out_of_range"
    await hass.services.async_call(
        DOMAIN, "pause_power", {"device_id": device_id, "duration": {"hours": 2}}, blocking=True
    )
    assert _state(hass, "binary_sensor.nibe_f2120_power_paused").state == "on"
    await hass.services.async_call(DOMAIN, "resume_power", {"device_id": device_id}, blocking=True)
    assert _state(hass, "binary_sensor.nibe_f2120_power_paused").state == "off"
    assert podero.bodies[-1] == {"pause_power_until": None, "is_pause_power_active": False}
    for data, key in (
        ({"device_id": device_id}, "pause_end_missing"),
        (
            {"device_id": device_id, "until": datetime.now(UTC) - timedelta(hours=1)},
            "invalid_pause",
        ),
        ({"device_id": device_id, "duration": {"days": 8}}, "invalid_pause"),
    ):
        with pytest.raises(ServiceValidationError) as caught:
            await hass.services.async_call(DOMAIN, "pause_power", data, blocking=True)
        assert caught.value.translation_key == key


async def test_pause_power_is_not_offered_by_a_serial_pump(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    device = dr.async_entries_for_config_entry(dr.async_get(hass), loaded_entry.entry_id)[0]
    for service, data in (
        ("pause_power", {"duration": {"hours": 1}}),
        ("resume_power", {}),
        (
            "set_away_mode",
            {"end": datetime.now(UTC) + timedelta(days=1), "minimum_temperature": 15},
        ),
    ):
        with pytest.raises(ServiceValidationError) as caught:
            await hass.services.async_call(
                DOMAIN, service, {"device_id": device.id, **data}, blocking=True
            )
        assert caught.value.translation_key == "not_supported"


async def test_a_repair_per_pump_while_it_needs_action(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    podero_loaded: MockConfigEntry,
    podero: PoderoState,
) -> None:
    link = podero.require_reauthentication(PUMP_2)
    await tick(hass, freezer, POLL)
    registry = ir.async_get(hass)
    issue = registry.async_get_issue(
        DOMAIN, f"device_problem_{podero_loaded.entry_id}_podero_{PUMP_2}"
    )
    assert issue is not None
    assert issue.translation_key == "podero_action_needed"
    assert issue.learn_more_url == link
    assert issue.translation_placeholders == {"name": "Nibe S1255", "link": link}
    assert _state(hass, "binary_sensor.nibe_s1255_action_needed").state == "on"
    podero.resolve_actions(PUMP_2)
    await tick(hass, freezer, POLL)
    assert registry.async_get_issue(DOMAIN, issue.issue_id) is None
    assert _state(hass, "binary_sensor.nibe_s1255_action_needed").state == "off"


async def test_no_secret_in_any_log_line_or_diagnostics(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    podero_loaded: MockConfigEntry,
    podero: PoderoState,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Everything that logs: polls, failures, refusals, an action link, revoked credentials."""
    caplog.set_level(logging.DEBUG)
    link = podero.require_reauthentication(PUMP_1)
    tokens = set(podero.tokens)
    await tick(hass, freezer, POLL)
    podero.fail.append((500, None))
    await tick(hass, freezer, POLL)
    await tick(hass, freezer, POLL)
    podero.fail.append((422, None))
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            "switch", "turn_on", {ATTR_ENTITY_ID: "switch.nibe_f2120_trading"}, blocking=True
        )
    podero.revoke_credentials()
    await tick(hass, freezer, POLL)
    flows = hass.config_entries.flow.async_progress()
    assert [f["context"]["source"] for f in flows] == [SOURCE_REAUTH]
    tokens |= set(podero.tokens)
    secret = link.rsplit("=", 1)[1]
    for hidden in (CLIENT_SECRET, secret, "owner@example.invalid", "Muster", *tokens):
        assert hidden not in caplog.text


async def test_diagnostics_are_redacted(
    hass: HomeAssistant, podero_loaded: MockConfigEntry, podero: PoderoState, hass_client: Any
) -> None:
    podero.require_reauthentication(PUMP_1)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, podero_loaded)
    text = str(diagnostics)
    for hidden in (CLIENT_SECRET, "owner@example.invalid", "Muster", *podero.tokens):
        assert hidden not in text
    assert diagnostics["entry"]["data"]["client_secret"] == "**REDACTED**"
    assert diagnostics["source"]["pumps"] == 2
