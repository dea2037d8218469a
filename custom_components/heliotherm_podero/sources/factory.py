"""Build the source a config entry describes (no Home Assistant here: the session is given)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aiohttp

from .heliotherm.client import HeliothermClient
from .heliotherm.source import HeliothermSource, read_identity
from .heliotherm.transport import SUPPORTED_BAUD_RATES
from .model import Source

__all__ = ["SUPPORTED_BAUD_RATES", "create_source", "probe_serial_pump"]

MODE_SERIAL = "serial"
DEFAULT_BAUDRATE = 19200


def create_heliotherm_source(
    data: Mapping[str, Any], options: Mapping[str, Any]
) -> HeliothermSource:
    """A source for the port in ``data``, honouring the read-only and expert options."""
    client = HeliothermClient(
        data["port"],
        baudrate=int(data.get("baudrate", DEFAULT_BAUDRATE)),
        read_only=bool(options.get("read_only", False)),
    )
    return HeliothermSource(client, expert=bool(options.get("expert", False)))


def create_source(
    data: Mapping[str, Any], options: Mapping[str, Any], session: aiohttp.ClientSession
) -> Source:
    """The source of an entry's mode; HTTP sources use the given session."""
    return create_heliotherm_source(data, options)


async def probe_serial_pump(port: str, baudrate: int, timeout: float) -> int:
    """Open the port, log in, read the pump's serial number; always release the port."""
    client = HeliothermClient(port, baudrate=baudrate, timeout=timeout, read_only=True)
    try:
        return (await read_identity(client)).serial_number
    finally:
        await client.close()
