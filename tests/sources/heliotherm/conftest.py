"""Fixtures: the pump emulator on a pty and on TCP, and a client connected to it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from custom_components.heliotherm_podero.sources.heliotherm.client import HeliothermClient
from tests.emulators.heliotherm_pump import PumpEmulator


@pytest.fixture(autouse=True)
def _loopback_sockets(socket_enabled: None) -> None:
    """The emulator listens on 127.0.0.1; the HA test plugin blocks sockets by default."""


@pytest.fixture(params=["pty", "tcp"])
async def emulator(request: pytest.FixtureRequest) -> AsyncIterator[tuple[PumpEmulator, str]]:
    """A static-valued pump emulator with every quirk on, over a pty or TCP."""
    pump = PumpEmulator()
    url = pump.start_pty() if request.param == "pty" else await pump.start_tcp()
    yield pump, url
    await pump.stop()


@pytest.fixture
async def client(emulator: tuple[PumpEmulator, str]) -> AsyncIterator[HeliothermClient]:
    """A client of the emulator with short timeouts; the emulator's late replies fit them."""
    heliotherm = HeliothermClient(emulator[1], timeout=0.5)
    heliotherm.late_window = 0.6
    emulator[0].late_delay = heliotherm.timeout + 0.3
    yield heliotherm
    await heliotherm.close()


@pytest.fixture
def pump(emulator: tuple[PumpEmulator, str]) -> PumpEmulator:
    """The emulator behind ``client``."""
    return emulator[0]
