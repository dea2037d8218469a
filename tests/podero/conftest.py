"""Fixtures: the Podero mock on a local port and an entry for it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heliotherm_podero.const import DOMAIN
from tests.emulators.podero_server import (
    CLIENT_ID,
    CLIENT_SECRET,
    ORG_ID,
    USER_ID,
    PoderoState,
    start,
)

PUMP_1 = "6b0f3c1e-0000-4000-8000-000000000001"
PUMP_2 = "6b0f3c1e-0000-4000-8000-000000000002"


@pytest.fixture
def podero() -> PoderoState:
    """The partner account and its knobs."""
    return PoderoState()


@pytest.fixture
async def podero_url(podero: PoderoState, socket_enabled: None) -> AsyncIterator[str]:
    """Base URL of the running mock."""
    runner, port = await start(podero)
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


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
        title="Podero (0e7d9a52)",
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
