"""``rfc2217://`` on serialx, for the RFC 2217 servers people run (ser2net, pyserial's).

serialx waits for an acknowledgement of SET-MODEMSTATE-MASK and SET-LINESTATE-MASK. RFC 2217
asks for one, but ser2net 4.x and pyserial's PortManager only take the mask and answer with a
NOTIFY-MODEMSTATE, so the connect timed out with an empty reason. This transport waits briefly
for those two acknowledgements and goes on without them; every other command (baud rate, data
size, parity, stop bits, flow control) must still be acknowledged, as serialx demands.
"""

from __future__ import annotations

import asyncio
import logging

_LOGGER = logging.getLogger(__name__)

URL_SCHEME = "rfc2217://"
# How long a server that does acknowledge the masks needs at most (answers come in ms).
MASK_ACK_WAIT = 0.2

try:  # serialx internals: should a release move them, its own RFC 2217 client is used as is
    from serialx.platforms.serial_rfc2217 import RFC2217SerialTransport
    from serialx.platforms.serial_rfc2217.types import (
        Rfc2217Command,
        SetLinestateMaskCmd,
        SetModemstateMaskCmd,
    )
except ImportError:  # pragma: no cover - depends on the installed serialx
    LenientRfc2217Transport: type | None = None
else:

    class _LenientRfc2217Transport(RFC2217SerialTransport):
        """serialx's RFC 2217 transport, not waiting for state-mask acknowledgements."""

        async def _send_and_wait(self, cmd: Rfc2217Command) -> Rfc2217Command:
            if not isinstance(cmd, SetModemstateMaskCmd | SetLinestateMaskCmd):
                return await super()._send_and_wait(cmd)
            try:
                async with asyncio.timeout(MASK_ACK_WAIT):
                    return await super()._send_and_wait(cmd)
            except TimeoutError:
                _LOGGER.debug("No acknowledgement of %s: going on", type(cmd).__name__)
                return cmd

    LenientRfc2217Transport = _LenientRfc2217Transport
