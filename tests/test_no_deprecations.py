"""A whole life cycle logs no deprecation and no blocking call, on every supported release."""

from __future__ import annotations

import logging
import warnings
from datetime import timedelta

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.heliotherm_podero.const import DOMAIN
from tests.conftest import DEPRECATION_MARK, DeprecationGuard, pump_device
from tests.emulators.heliotherm_pump import PumpEmulator

WORDS = ("deprecat", "will stop working", "detected blocking call", "detected code that")


async def test_setup_poll_write_service_unload_log_no_deprecation(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    pump: PumpEmulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert await hass.config_entries.async_setup(config_entry.entry_id)
        await hass.async_block_till_done()
        freezer.tick(timedelta(minutes=6))  # a fast and a settings poll
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
        device_id = pump_device(hass, config_entry.entry_id).id
        await hass.services.async_call(
            "number",
            "set_value",
            {ATTR_ENTITY_ID: "number.heliotherm_123456_room_setpoint", "value": 21.5},
            blocking=True,
        )
        await hass.services.async_call(
            "climate",
            "set_temperature",
            {ATTR_ENTITY_ID: "climate.heliotherm_123456_heating_circuit", "temperature": 22},
            blocking=True,
        )
        await hass.services.async_call(
            DOMAIN,
            "get_time_program",
            {"device_id": device_id, "program": 0},
            blocking=True,
            return_response=True,
        )
        await hass.services.async_call(
            DOMAIN, "sync_clock", {"device_id": device_id}, blocking=True
        )
        await hass.services.async_call(
            "calendar",
            "get_events",
            {
                ATTR_ENTITY_ID: "calendar.heliotherm_123456_hot_water_schedule",
                "duration": 7 * 86400,
            },
            blocking=True,
            return_response=True,
        )
        state = hass.states.get("climate.heliotherm_123456_heating_circuit")
        assert state is not None and state.attributes["temperature"] == 22
        assert await hass.config_entries.async_unload(config_entry.entry_id)
        await hass.async_block_till_done()
    ours = [
        record.getMessage()
        for record in caplog.records
        # asyncio's slow-step notes quote this file's name; the frozen clock makes steps "slow"
        if record.name != "asyncio" and any(word in record.getMessage().lower() for word in WORDS)
    ]
    assert ours == []
    # Our code only: the test environments' own path (~/.cache/heliotherm_podero) holds
    # Home Assistant's packages, whose warnings (aiohttp's AppKey advice) are not ours.
    mine = [w for w in caught if "custom_components/heliotherm_podero" in str(w.filename)]
    assert [str(w.message) for w in mine] == []


def test_the_deprecation_guard_sees_a_report_about_this_integration() -> None:
    guard = DeprecationGuard()
    logger = logging.getLogger("tests.deprecation_guard")
    logger.propagate = False  # seen by this guard only, not by the one around every test
    logger.addHandler(guard)
    try:
        logger.warning(
            "%s calls `device_registry.async_update_device` with `remove_config_entry_id`",
            DEPRECATION_MARK,
        )
        logger.warning("Detected that custom integration 'other' does something old")
    finally:
        logger.removeHandler(guard)
    assert len(guard.messages) == 1
