"""Fixtures: an entry for the Podero mock (the mock itself: tests/sources/podero), its ``Mode``."""

from __future__ import annotations

import pytest
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heliotherm_podero.const import DOMAIN
from tests.emulators.podero_server import (
    CLIENT_ID,
    CLIENT_SECRET,
    ORG_ID,
    USER_ID,
    PoderoState,
)
from tests.mode_suite import Mode
from tests.sources.podero.mock import PUMP_2


def podero_data(url: str) -> dict[str, str]:
    """Entry data for the mock."""
    return {
        "mode": "podero",
        "environment": "custom",
        "base_url": url,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "org_id": ORG_ID,
        "user_id": USER_ID,
    }


@pytest.fixture
def podero_entry(hass: HomeAssistant, podero_url: str) -> MockConfigEntry:
    """A Podero entry for the mock."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Podero (Erika)",
        unique_id=f"podero_{ORG_ID}_{USER_ID}",
        data=podero_data(podero_url),
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
async def podero_loaded(hass: HomeAssistant, podero_entry: MockConfigEntry) -> MockConfigEntry:
    """The Podero entry, set up."""
    assert await hass.config_entries.async_setup(podero_entry.entry_id)
    await hass.async_block_till_done()
    return podero_entry


@pytest.fixture
def every_mode_podero(request: pytest.FixtureRequest) -> Mode:
    """The Partner API mock and an entry for it; a pump can go missing from the list."""
    state: PoderoState = request.getfixturevalue("podero")

    async def fail() -> None:
        state.fail[:] = [(500, None)] * 100

    async def mend() -> None:
        state.fail.clear()

    def hide_pump(hidden: bool) -> None:
        state.hidden_from_list = state.detail_not_found = {PUMP_2} if hidden else set()

    return Mode(
        name="podero",
        entry=request.getfixturevalue("podero_entry"),
        shown=("sensor.nibe_f2120_power", "1900.0"),
        write=("switch", "turn_on", {ATTR_ENTITY_ID: "switch.nibe_f2120_trading"}),
        break_link=fail,
        mend_link=mend,
        writes=lambda: len(state.bodies),
        requests=lambda: len(state.requests),
        secrets=(CLIENT_SECRET, *state.tokens),
        form={
            "environment": "production",
            "client_id": "c",
            "client_secret": "s",
            "org_id": "o",
            "user_id": "u",
        },
        probe="custom_components.heliotherm_podero.flows.podero.probe_podero",
        come_and_go=(hide_pump, "sensor.nibe_s1255_power"),
    )
