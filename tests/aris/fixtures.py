"""Fixtures: an entry for the Aris mock (the mock itself: tests/sources/aris), its ``Mode``."""

from __future__ import annotations

import pytest
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heliotherm_podero.const import (
    CONF_FCU_IDS,
    CONF_HEAT_PUMP_IDS,
    CONF_HOST,
    CONF_MODE,
    CONF_TOKEN,
    DOMAIN,
)
from tests.emulators.aris_server import ArisState
from tests.mode_suite import Mode
from tests.sources.aris.mock import TOKEN


@pytest.fixture
def aris_entry(hass: HomeAssistant, aris_host: str) -> MockConfigEntry:
    """An Aris entry for the mock, with the heat pump's and the fan coil's ids entered."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Aris Brain",
        unique_id="aris_hcu_main",
        data={CONF_MODE: "aris", CONF_HOST: aris_host, CONF_TOKEN: TOKEN},
        options={CONF_HEAT_PUMP_IDS: "hp_outdoor_1", CONF_FCU_IDS: "fcu_01a9"},
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
async def aris_loaded(hass: HomeAssistant, aris_entry: MockConfigEntry) -> MockConfigEntry:
    """The Aris entry, set up."""
    assert await hass.config_entries.async_setup(aris_entry.entry_id)
    await hass.async_block_till_done()
    return aris_entry


@pytest.fixture
def every_mode_aris(request: pytest.FixtureRequest) -> Mode:
    """The Brain mock and an entry for it; its zones can go missing from an answer."""
    state: ArisState = request.getfixturevalue("aris")

    async def fail() -> None:
        state.fail_status = 503

    async def mend() -> None:
        state.fail_status = None

    def hide_zone(hidden: bool) -> None:
        state.hidden_zones = {"bedroom"} if hidden else set()

    return Mode(
        name="aris",
        entry=request.getfixturevalue("aris_entry"),
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
        form={"host": "127.0.0.1:9", "token": "t"},
        probe="custom_components.heliotherm_podero.flows.aris.probe_aris",
        come_and_go=(hide_zone, "climate.bedroom"),
    )
