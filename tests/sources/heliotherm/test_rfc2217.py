"""``rfc2217://`` and ``socket://`` through the bridges people run, with our own client.

ser2net (Debian's 4.x) sits in front of the emulator's pty, as it would in front of a USB
adapter; pyserial's PortManager in front of the emulator's TCP port. The pty emulator hears
only bytes sent at its own line speed, so a wrong baud rate set over RFC 2217 is silence.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest

from custom_components.heliotherm_podero.sources.heliotherm import transport
from custom_components.heliotherm_podero.sources.heliotherm.catalog import PointType
from custom_components.heliotherm_podero.sources.heliotherm.client import HeliothermClient
from custom_components.heliotherm_podero.sources.model import (
    CannotConnect,
    CommunicationError,
    ResponseTimeout,
)
from tests.emulators.heliotherm_pump import PumpEmulator
from tests.emulators.rfc2217_bridge import PortManagerBridge, Ser2net, ser2net_missing

MP = PointType.MP
PUMP_BAUD = 19200
# Where ser2net cannot be installed these are skipped; CI installs it and must run them.
needs_ser2net = pytest.mark.skipif(ser2net_missing(), reason="ser2net is not installed")


@pytest.fixture
async def pty_pump() -> AsyncIterator[tuple[PumpEmulator, str]]:
    pump = PumpEmulator()
    pump.line_baudrate = PUMP_BAUD
    device = pump.start_pty()
    yield pump, device
    await pump.stop()


@pytest.fixture
def ser2net(pty_pump: tuple[PumpEmulator, str]) -> Iterator[Ser2net]:
    bridge = Ser2net(pty_pump[1], PUMP_BAUD)
    bridge.start()  # ser2net opens the pty only when a client connects
    yield bridge
    bridge.close()


async def _read_identity(
    url: str, baudrate: int = PUMP_BAUD, timeout: float = 1.0
) -> tuple[int, float | bool | int]:
    client = HeliothermClient(url, baudrate=baudrate, timeout=timeout)
    try:
        await client.login()
        return await client.serial_number(), await client.read_value(MP, 0)
    finally:
        await client.close()


@needs_ser2net
@pytest.mark.parametrize("accepter", ["rfc2217", "raw"])
async def test_reads_the_pump_through_ser2net(
    ser2net: Ser2net, pty_pump: tuple[PumpEmulator, str], accepter: str
) -> None:
    url = ser2net.rfc2217_url if accepter == "rfc2217" else ser2net.raw_url
    assert await _read_identity(url) == (123456, 4.8)
    assert pty_pump[0].garbled_bytes == 0
    assert pty_pump[0].requests[:2] == ["LIN", "RID"]


@needs_ser2net
async def test_a_wrong_baud_rate_over_rfc2217_reaches_the_line(
    ser2net: Ser2net, pty_pump: tuple[PumpEmulator, str]
) -> None:
    """RFC 2217 carries the baud rate to the port: 9600 against a 19200 pump is silence."""
    with pytest.raises(ResponseTimeout):
        await _read_identity(ser2net.rfc2217_url, baudrate=9600, timeout=0.3)
    assert pty_pump[0].garbled_bytes > 0
    assert pty_pump[0].requests == []
    assert await _read_identity(ser2net.rfc2217_url) == (123456, 4.8)  # and right again


@needs_ser2net
async def test_a_raw_bridge_keeps_its_own_baud_rate(ser2net: Ser2net) -> None:
    """socket:// carries no settings: the rate in ser2net.yaml applies, whatever we ask."""
    assert await _read_identity(ser2net.raw_url, baudrate=9600) == (123456, 4.8)


@needs_ser2net
async def test_a_bridge_restart_mid_poll_fails_that_poll_and_recovers(
    ser2net: Ser2net, pty_pump: tuple[PumpEmulator, str]
) -> None:
    pump = pty_pump[0]
    client = HeliothermClient(ser2net.rfc2217_url, baudrate=PUMP_BAUD, timeout=1.0)
    try:
        assert await client.read_value(MP, 0) == 4.8
        pump.turnaround = 0.5  # the next answer comes late: ser2net stops while it waits
        poll = asyncio.create_task(client.read_value(MP, 0))
        await asyncio.sleep(0.15)
        await asyncio.to_thread(ser2net.stop)
        with pytest.raises(CommunicationError):
            await poll
        assert not client.link.is_open
        with pytest.raises(CannotConnect):  # still down: a clear error, nothing hangs
            await client.read_value(MP, 0)
        await asyncio.to_thread(ser2net.start)
        pump.turnaround = 0.0
        assert await client.read_value(MP, 0) == 4.8  # the next poll reconnects by itself
    finally:
        await client.close()


async def test_reads_the_pump_through_pyserials_port_manager() -> None:
    pump = PumpEmulator()
    target = await pump.start_tcp()
    bridge = await asyncio.to_thread(PortManagerBridge, target)
    try:
        assert await _read_identity(bridge.url) == (123456, 4.8)
    finally:
        await asyncio.to_thread(bridge.close)
        await pump.stop()


async def test_a_bridge_that_accepts_but_never_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transport, "CONNECT_TIMEOUT", 0.5)
    held: list[asyncio.StreamWriter] = []  # kept open, never written to

    async def accept(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        for url in (f"rfc2217://127.0.0.1:{port}", f"socket://127.0.0.1:{port}"):
            client = HeliothermClient(url, timeout=0.3)
            with pytest.raises(CommunicationError) as caught:
                await client.login()
            await client.close()
            if url.startswith("rfc2217"):  # the negotiation never ends: said so, not ""
                assert isinstance(caught.value, CannotConnect)
                assert "no connection within 0.5 s" in str(caught.value)
            else:  # a raw socket opens at once; the pump's silence is the error
                assert isinstance(caught.value, ResponseTimeout)
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()
