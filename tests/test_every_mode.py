"""What every mode must do, one suite for every mode declared (``FLOW_MODES``).

Each mode is a ``Mode`` (tests/mode_suite.py): its entry, a value it shows, a write an owner
makes, how its link breaks and mends, what counts as a write on the device, and what must
never leave it.
"""

from __future__ import annotations

import logging
from typing import Any
from unittest.mock import patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)

from custom_components.heliotherm_podero.const import CONF_READ_ONLY, DOMAIN
from custom_components.heliotherm_podero.flows import FLOW_MODES
from tests.conftest import tick
from tests.mode_suite import Mode, fixture_name
from tests.naming import names_cut_on_the_device_page, set_up_in


@pytest.fixture(params=list(FLOW_MODES))
def each_mode(request: pytest.FixtureRequest, hass: HomeAssistant) -> Mode:
    """Each declared mode with its device (emulator or mock) running and its entry added."""
    name = fixture_name(request.param)
    try:
        mode: Mode = request.getfixturevalue(name)
    except pytest.FixtureLookupError:
        pytest.fail(f"mode {request.param!r} has no fixture {name} (see tests/mode_suite.py)")
    return mode


@pytest.fixture
async def mode(hass: HomeAssistant, each_mode: Mode) -> Mode:
    """Each mode's entry, set up."""
    assert await hass.config_entries.async_setup(each_mode.entry.entry_id)
    await hass.async_block_till_done()
    return each_mode


def _state(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


async def test_setup_shows_the_device_and_unload_lets_go(
    hass: HomeAssistant, mode: Mode, freezer: FrozenDateTimeFactory
) -> None:
    entity_id, shown = mode.shown
    entry = mode.entry
    assert entry.state == ConfigEntryState.LOADED  # == : no narrowing past the unload
    assert _state(hass, entity_id) == shown
    source = entry.runtime_data.source
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert entry.state is ConfigEntryState.NOT_LOADED
    client = getattr(source, "client", None)
    link = getattr(client, "link", None)
    if link is not None:  # the serial port is closed
        assert not link.is_open
    asked = mode.requests()
    await tick(hass, freezer, mode.poll * 3)
    assert mode.requests() == asked  # nothing polls an unloaded entry


async def test_a_broken_link_makes_entities_unavailable_once_and_they_come_back(
    hass: HomeAssistant,
    mode: Mode,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    entity_id, shown = mode.shown
    await mode.break_link()
    for _ in range(3):
        await tick(hass, freezer, mode.poll)
    assert _state(hass, entity_id) == STATE_UNAVAILABLE
    failures = [
        r
        for r in caplog.records
        if r.levelno >= logging.WARNING and "Error fetching" in r.getMessage()
    ]
    assert len(failures) == 1  # logged once, not on every poll
    await mode.mend_link()
    await tick(hass, freezer, mode.poll)
    assert _state(hass, entity_id) == shown
    assert "recovered" in caplog.text


async def test_read_only_refuses_every_write_before_sending(
    hass: HomeAssistant, mode: Mode
) -> None:
    domain, service, data = mode.write
    hass.config_entries.async_update_entry(
        mode.entry, options={**mode.entry.options, CONF_READ_ONLY: True}
    )
    await hass.async_block_till_done()
    assert mode.entry.state is ConfigEntryState.LOADED
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(domain, service, data, blocking=True)
    assert caught.value.translation_key == "read_only_mode"
    assert mode.writes() == 0


async def test_a_write_reaches_the_device(hass: HomeAssistant, mode: Mode) -> None:
    domain, service, data = mode.write
    await hass.services.async_call(domain, service, data, blocking=True)
    assert mode.writes() >= 1


async def test_no_secret_in_diagnostics(hass: HomeAssistant, mode: Mode, hass_client: Any) -> None:
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, mode.entry)
    text = str(diagnostics)
    for secret in mode.secrets:
        assert secret not in text
    assert "**REDACTED**" in text


async def test_a_device_missing_from_an_answer_keeps_the_owners_settings(
    hass: HomeAssistant, mode: Mode, freezer: FrozenDateTimeFactory
) -> None:
    if mode.come_and_go is None:
        pytest.skip(f"{mode.name}: one fixed device, it does not come and go")
    hide, entity_id = mode.come_and_go
    registry = er.async_get(hass)
    shown = _state(hass, entity_id)
    registered = registry.async_get(entity_id)
    assert registered is not None and registered.device_id is not None
    dr.async_get(hass).async_update_device(registered.device_id, area_id="basement")
    hide(True)
    await tick(hass, freezer, mode.poll)
    assert _state(hass, entity_id) == STATE_UNAVAILABLE
    device = dr.async_get(hass).async_get(registered.device_id)
    assert device is not None and device.area_id == "basement"
    hide(False)
    await tick(hass, freezer, mode.poll)
    assert _state(hass, entity_id) == shown
    again = registry.async_get(entity_id)
    assert again is not None and again.device_id == registered.device_id


async def test_an_unexpected_error_in_a_form_is_the_unknown_error_logged_once(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture, each_mode: Mode
) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": each_mode.name}
    )
    with patch(each_mode.probe, side_effect=RuntimeError("surprise")):
        result = await hass.config_entries.flow.async_configure(result["flow_id"], each_mode.form)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "unknown"}
    assert caplog.text.count("Unexpected error while checking the form") == 1


@pytest.mark.parametrize("language", ["en", "de"])
async def test_enabled_names_fit_and_tell_neighbours_apart(
    hass: HomeAssistant, each_mode: Mode, language: str
) -> None:
    await set_up_in(hass, each_mode.entry, language)
    assert names_cut_on_the_device_page(hass, each_mode.entry) == []
