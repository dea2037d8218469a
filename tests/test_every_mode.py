"""What every mode must do, one suite for all three: serial, Aris and Podero.

Each mode is a ``Mode``: its entry, a value it shows, a write an owner makes, how its link
breaks and mends, what counts as a write on the device, and what must never leave it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from unittest.mock import patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)

from custom_components.heliotherm_podero.const import CONF_READ_ONLY, DOMAIN
from tests.conftest import tick
from tests.emulators.aris_server import ArisState
from tests.emulators.heliotherm_pump import PumpEmulator
from tests.emulators.podero_server import CLIENT_SECRET, PoderoState
from tests.naming import names_cut_on_the_device_page, set_up_in
from tests.sources.aris.mock import TOKEN
from tests.sources.podero.mock import PUMP_2

type Step = Callable[[], Awaitable[None]]


@dataclass
class Mode:
    """One mode as this suite drives it."""

    entry: MockConfigEntry
    poll: timedelta
    shown: tuple[str, str]  # an entity and the state it shows
    write: tuple[str, str, dict[str, Any]]  # a service call that writes
    break_link: Step
    mend_link: Step
    writes: Callable[[], int]  # writes that reached the device
    requests: Callable[[], int]  # anything that reached the device
    secrets: tuple[str, ...]
    # A device that can go missing from an answer, and its entity; None: one fixed device.
    come_and_go: tuple[Callable[[bool], None], str] | None = None


def _serial(request: pytest.FixtureRequest) -> Mode:
    pump: PumpEmulator = request.getfixturevalue("pump")
    port = pump.port or 0

    async def mend() -> None:
        await pump.start_tcp(port=port)

    return Mode(
        entry=request.getfixturevalue("config_entry"),
        poll=timedelta(seconds=31),
        shown=("sensor.heliotherm_123456_outdoor_temperature", "4.8"),
        write=(
            "number",
            "set_value",
            {ATTR_ENTITY_ID: "number.heliotherm_123456_room_setpoint", "value": 21.5},
        ),
        break_link=pump.stop,
        mend_link=mend,
        writes=lambda: len(pump.write_requests()),
        requests=lambda: len(pump.requests),
        secrets=("123456", "654321"),  # serial and property number
    )


def _aris(request: pytest.FixtureRequest) -> Mode:
    state: ArisState = request.getfixturevalue("aris")

    async def fail() -> None:
        state.fail_status = 503

    async def mend() -> None:
        state.fail_status = None

    return Mode(
        entry=request.getfixturevalue("aris_entry"),
        poll=timedelta(seconds=31),
        shown=("climate.living_room", "heat_cool"),
        write=(
            "climate",
            "set_hvac_mode",
            {ATTR_ENTITY_ID: "climate.living_room", "hvac_mode": "heat"},
        ),
        break_link=fail,
        mend_link=mend,
        writes=lambda: len(state.commands),
        requests=lambda: len(state.requests),
        secrets=(TOKEN,),
        come_and_go=(lambda hidden: _hide_zone(state, hidden), "climate.bedroom"),
    )


def _hide_zone(state: ArisState, hidden: bool) -> None:
    state.hidden_zones = {"bedroom"} if hidden else set()


def _podero(request: pytest.FixtureRequest) -> Mode:
    state: PoderoState = request.getfixturevalue("podero")

    async def fail() -> None:
        state.fail[:] = [(500, None)] * 100

    async def mend() -> None:
        state.fail.clear()

    return Mode(
        entry=request.getfixturevalue("podero_entry"),
        poll=timedelta(minutes=5, seconds=1),
        shown=("sensor.nibe_f2120_power", "1900.0"),
        write=("switch", "turn_on", {ATTR_ENTITY_ID: "switch.nibe_f2120_trading"}),
        break_link=fail,
        mend_link=mend,
        writes=lambda: len(state.bodies),
        requests=lambda: len(state.requests),
        secrets=(CLIENT_SECRET, *state.tokens),
        come_and_go=(lambda hidden: _hide_pump(state, hidden), "sensor.nibe_s1255_power"),
    )


def _hide_pump(state: PoderoState, hidden: bool) -> None:
    state.hidden_from_list = state.detail_not_found = {PUMP_2} if hidden else set()


@pytest.fixture(params=["serial", "aris", "podero"])
def each_mode(request: pytest.FixtureRequest, hass: HomeAssistant) -> Mode:
    """Each mode with its device (emulator or mock) running and its entry added."""
    build = {"serial": _serial, "aris": _aris, "podero": _podero}[request.param]
    return build(request)


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
        pytest.skip("one pump on a serial link: it does not come and go")
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


@pytest.mark.parametrize(
    ("step", "probe", "form"),
    [
        (
            "serial",
            "custom_components.heliotherm_podero.flows.serial.probe_serial_pump",
            {"port": "socket://127.0.0.1:9", "baudrate": "19200"},
        ),
        (
            "aris",
            "custom_components.heliotherm_podero.flows.aris.probe_aris",
            {"host": "127.0.0.1:9", "token": "t"},
        ),
        (
            "podero",
            "custom_components.heliotherm_podero.flows.podero.probe_podero",
            {
                "environment": "production",
                "client_id": "c",
                "client_secret": "s",
                "org_id": "o",
                "user_id": "u",
            },
        ),
    ],
)
async def test_an_unexpected_error_in_a_form_is_the_unknown_error_logged_once(
    hass: HomeAssistant,
    caplog: pytest.LogCaptureFixture,
    step: str,
    probe: str,
    form: dict[str, str],
) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": step}
    )
    with patch(probe, side_effect=RuntimeError("surprise")):
        result = await hass.config_entries.flow.async_configure(result["flow_id"], form)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "unknown"}
    assert caplog.text.count("Unexpected error while checking the form") == 1


@pytest.mark.parametrize("language", ["en", "de"])
async def test_enabled_names_fit_and_tell_neighbours_apart(
    hass: HomeAssistant, each_mode: Mode, language: str
) -> None:
    await set_up_in(hass, each_mode.entry, language)
    assert names_cut_on_the_device_page(hass, each_mode.entry) == []
