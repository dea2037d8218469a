"""One serial link (device path, ``socket://``, ``rfc2217://``) on serialx, read frame by frame."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import cast

import serialx

from ..model import CannotConnect, ResponseTimeout
from .errors import ChecksumError
from .frame import Frame, FrameParser
from .rfc2217 import URL_SCHEME as RFC2217_SCHEME
from .rfc2217 import LenientRfc2217Transport

_LOGGER = logging.getLogger(__name__)

SUPPORTED_BAUD_RATES = (9600, 19200, 38400, 57600, 115200)
CONNECT_TIMEOUT = 10.0
# serialx closes the descriptor in the background; how long a close may take to finish.
CLOSE_TIMEOUT = 2.0
# After a damaged frame, how long a valid one may take to follow before the request fails.
CHECKSUM_GRACE = 0.1


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
        self._transport: serialx.BaseSerialTransport | None = None
        self._protocol: _LinkProtocol | None = None
        self.bytes_sent = 0
        self.connections = 0  # connections opened so far: a new one needs a new login

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
        transport_cls = None
        if self.url.lower().startswith(RFC2217_SCHEME):
            transport_cls = LenientRfc2217Transport  # None: serialx's own
        try:
            async with asyncio.timeout(CONNECT_TIMEOUT):
                transport, protocol = await serialx.create_serial_connection(
                    loop,
                    lambda: _LinkProtocol(parser),
                    self.url,
                    baudrate=self.baudrate,
                    xonxoff=self.xonxoff,
                    transport_cls=transport_cls,
                )
        except TimeoutError as err:
            raise CannotConnect(
                f"cannot open {serialx.redact_uri(self.url)}: no connection within "
                f"{CONNECT_TIMEOUT:g} s"
            ) from err
        except (OSError, serialx.SerialException, ValueError) as err:
            raise CannotConnect(f"cannot open {serialx.redact_uri(self.url)}: {err}") from err
        self._transport = transport
        self._protocol = cast(_LinkProtocol, protocol)
        self.connections += 1

    async def close(self) -> None:
        """Close the port; safe to call at any time."""
        transport, self._transport, self._protocol = self._transport, None, None
        if transport is not None:
            transport.close()
            # Wait until the descriptor is really closed: a reopen before that finds the
            # device node still locked by this very process.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(CLOSE_TIMEOUT):
                    await transport.wait_closed()

    def send(self, data: bytes) -> None:
        """Discard anything buffered, then send one request."""
        if self._transport is None or not self.is_open:
            raise CannotConnect("link is not open")
        self._parser.clear()
        self._transport.write(data)
        self.bytes_sent += len(data)

    async def read_frame(self, timeout: float) -> Frame:
        """Wait for the next valid frame; a lost link is an error.

        A frame with a wrong checksum never yields a value. A valid frame right behind it is
        taken; if none follows within CHECKSUM_GRACE the read fails as a checksum error.
        """
        protocol = self._protocol
        if protocol is None:
            raise CannotConnect("link is not open")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            frame = self._parser.next_frame()
            if frame is not None:
                return frame
            if protocol.lost:
                raise CannotConnect("connection lost")
            damaged = self._parser.checksum_errors > 0
            wait = deadline - loop.time()
            if damaged:
                wait = min(wait, CHECKSUM_GRACE)
            protocol.data_event.clear()
            try:
                async with asyncio.timeout(max(wait, 0.0)):
                    await protocol.data_event.wait()
            except TimeoutError as err:
                if damaged:
                    raise ChecksumError("reply frame with a wrong checksum discarded") from err
                raise ResponseTimeout(f"no complete reply within {timeout:.1f} s") from err

    async def drain(self, *, quiet: float, not_before: float, limit: float) -> int:
        """Discard what arrives until ``not_before`` (loop time) and until the line is quiet.

        Used after a fault: a reply that comes after the client gave up must not be taken for
        the answer to the next request. Once bytes arrive, the line must stay silent for
        ``quiet`` seconds; the whole drain takes at most ``limit`` seconds. Returns the number
        of bytes thrown away.
        """
        protocol = self._protocol
        if protocol is None:
            raise CannotConnect("link is not open")
        loop = asyncio.get_running_loop()
        started = loop.time()
        received_before = protocol.bytes_received
        seen = received_before
        for _ in range(2):  # let bytes already waiting in the OS (a reopened pty) come in
            await asyncio.sleep(0)
        last_byte_at: float | None = None
        while (now := loop.time()) - started < limit:
            if protocol.lost:
                raise CannotConnect("connection lost")
            if protocol.bytes_received != seen:
                seen, last_byte_at = protocol.bytes_received, now
            ready_at = not_before if last_byte_at is None else max(last_byte_at + quiet, not_before)
            if now >= ready_at:
                break
            protocol.data_event.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(min(ready_at, started + limit) - now):
                    await protocol.data_event.wait()
        self._parser.clear()
        discarded = protocol.bytes_received - received_before
        if discarded:
            _LOGGER.debug("Discarded %d late bytes after a fault", discarded)
        return discarded
