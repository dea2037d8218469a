"""The calendar panel as the serial calendars' tests use it: its websocket and what it shows."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

type Ws = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]
type Shown = Callable[[str, date, str], Awaitable[dict[str, Any]]]


def monday() -> date:
    """The Monday of the current week (Home Assistant's zone)."""
    today = dt_util.now().date()
    return today - timedelta(days=today.weekday())


def at(day: date, hhmm: str) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return datetime.combine(day, datetime.min.time(), dt_util.get_default_time_zone()) + timedelta(
        hours=hours, minutes=minutes
    )


async def open_panel(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator, *, settle: bool
) -> Ws:
    """A calendar panel's websocket: one command and its reply.

    ``settle``: Home Assistant's work is done before the reply is handed back; without it,
    two panels' commands can run at once.
    """
    client = await hass_ws_client(hass)

    async def send(message: dict[str, Any]) -> dict[str, Any]:
        await client.send_json_auto_id(message)
        reply: dict[str, Any] = await client.receive_json()
        if settle:
            await hass.async_block_till_done()
        return reply

    return send


@pytest.fixture
async def ws(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, hass_ws_client: WebSocketGenerator
) -> Ws:
    """Send one calendar command over the websocket (as the calendar panel does)."""
    return await open_panel(hass, hass_ws_client, settle=True)


@pytest.fixture
async def shown(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, hass_client: ClientSessionGenerator
) -> Shown:
    """The event the calendar panel shows on ``day`` at ``begin`` (with its ID and rule)."""
    client = await hass_client()

    async def find(entity_id: str, day: date, begin: str) -> dict[str, Any]:
        start = at(day, "00:00")
        response = await client.get(
            f"/api/calendars/{entity_id}",
            params={"start": start.isoformat(), "end": (start + timedelta(days=1)).isoformat()},
        )
        found = [
            e
            for e in await response.json()
            if datetime.fromisoformat(e["start"]["dateTime"]).strftime("%H:%M") == begin
        ]
        assert len(found) == 1, found
        event: dict[str, Any] = found[0]
        return event

    return find
