"""Fixtures: the Aris mock on a local port (no Home Assistant)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.emulators.aris_server import ArisState, start

TOKEN = "test-token"


@pytest.fixture
def aris() -> ArisState:
    """The Brain's state and knobs."""
    return ArisState(tokens={TOKEN})


@pytest.fixture
async def aris_host(aris: ArisState, socket_enabled: None) -> AsyncIterator[str]:
    """host:port of the running mock."""
    runner, port = await start(aris)
    yield f"127.0.0.1:{port}"
    await runner.cleanup()
