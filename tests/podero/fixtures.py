"""Fixtures: an entry for the Podero mock (the mock itself: tests/sources/podero)."""

from __future__ import annotations

import pytest
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heliotherm_podero.const import DOMAIN
from tests.emulators.podero_server import (
    CLIENT_ID,
    CLIENT_SECRET,
    ORG_ID,
    USER_ID,
)


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
