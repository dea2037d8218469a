"""One serial link (device path, ``socket://``, ``rfc2217://``) on serialx, read frame by frame."""

from __future__ import annotations

import asyncio
import logging
from typing import cast

import serialx

from ..model import CannotConnect, ChecksumError, ResponseTimeout
from .frame import Frame, FrameParser

_LOGGER = logging.getLogger(__name__)

SUPPORTED_BAUD_RATES = (9600, 19200, 38400, 57600, 115200)
CONNECT_TIMEOUT = 10.0


class _LinkProtocol(asyncio.Protocol):
    """Feeds received bytes to the parser and wakes the reader."""

    def __init__(self, parser: FrameParser) -> None:
        self._parser = parser
        self.data_event = asyncio.Event()
        self.lost = False
        self.bytes_received = 0

    def data_received(self, data: bytes) -> None:
        self.bytes_received += len(data)
        self._parser.feed(data)
        self.data_event.set()

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        self.data_event.set()


class SerialLink:
    """An exclusive, re-openable link. Not locked: the client serialises access."""

    def __init__(self, url: str, baudrate: int, *, xonxoff: bool = False) -> None:
        self.url = url
        self.baudrate = baudrate
        self.xonxoff = xonxoff
        self._parser = FrameParser()
        self._transport: asyncio.Transport | None = None
        self._protocol: _LinkProtocol | None = None
        self.bytes_sent = 0

    @property
    def is_open(self) -> bool:
        """True while the port is open and not lost."""
        return self._protocol is not None and not self._protocol.lost

    @property
    def bytes_received(self) -> int:
        """Bytes received on the current connection."""
        return self._protocol.bytes_received if self._protocol else 0

    async def open(self) -> None:
        """Open the port (no-op when it is open)."""
        if self.is_open:
            return
        await self.close()
        loop = asyncio.get_running_loop()
        parser = self._parser
        parser.clear()
        try:
            async with asyncio.timeout(CONNECT_TIMEOUT):
                transport, protocol = await serialx.create_serial_connection(
                    loop,
                    lambda: _LinkProtocol(parser),
                    self.url,
                    baudrate=self.baudrate,
                    xonxoff=self.xonxoff,
                )
        except (OSError, serialx.SerialException, ValueError, TimeoutError) as err:
            raise CannotConnect(f"cannot open {serialx.redact_uri(self.url)}: {err}") from err
        self._transport = cast(asyncio.Transport, transport)
        self._protocol = cast(_LinkProtocol, protocol)

    async def close(self) -> None:
        """Close the port; safe to call at any time."""
        transport, self._transport, self._protocol = self._transport, None, None
        if transport is not None:
            transport.close()
            # Let the transport's close callbacks run so the device node is released.
            await asyncio.sleep(0)

    def send(self, data: bytes) -> None:
        """Discard anything buffered, then send one request."""
        if self._transport is None or not self.is_open:
            raise CannotConnect("link is not open")
        self._parser.clear()
        self._transport.write(data)
        self.bytes_sent += len(data)

    async def read_frame(self, timeout: float) -> Frame:
        """Wait for the next valid frame; a bad checksum or a lost link is an error."""
        protocol = self._protocol
        if protocol is None:
            raise CannotConnect("link is not open")
        try:
            async with asyncio.timeout(timeout):
                while True:
                    frame = self._parser.next_frame()
                    if self._parser.checksum_errors:
                        raise ChecksumError("reply frame with a wrong checksum discarded")
                    if frame is not None:
                        return frame
                    if protocol.lost:
                        raise CannotConnect("connection lost")
                    protocol.data_event.clear()
                    await protocol.data_event.wait()
        except TimeoutError as err:
            raise ResponseTimeout(f"no complete reply within {timeout:.1f} s") from err
