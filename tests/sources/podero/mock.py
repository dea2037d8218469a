"""Fixtures: the Podero mock on a local port (no Home Assistant)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.emulators.podero_server import PoderoState, start

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
