"""Build the source a config entry describes (no Home Assistant here: the session is given)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aiohttp

from .aris.client import ArisClient, NotFound
from .aris.source import ArisSource
from .heliotherm.client import HeliothermClient
from .heliotherm.source import HeliothermSource, read_identity
from .heliotherm.transport import SUPPORTED_BAUD_RATES
from .model import Source

__all__ = [
    "SUPPORTED_BAUD_RATES",
    "create_source",
    "probe_aris",
    "probe_serial_pump",
    "split_ids",
]

MODE_SERIAL = "serial"
MODE_ARIS = "aris"
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
    if data.get("mode") == MODE_ARIS:
        client = ArisClient(session, data["host"], data["token"])
        return ArisSource(
            client,
            heat_pump_ids=split_ids(options.get("heat_pump_ids", data.get("heat_pump_ids", ""))),
            read_only=bool(options.get("read_only", False)),
        )
    return create_heliotherm_source(data, options)


def split_ids(text: str) -> list[str]:
    """Heat-pump ids as the user typed them: separated by commas or spaces."""
    return [part for part in text.replace(",", " ").split() if part]


async def probe_aris(
    session: aiohttp.ClientSession, host: str, token: str, heat_pump_ids: list[str]
) -> tuple[str, list[str]]:
    """Health (no token), then the HCU (the token); returns the HCU id and unknown pump ids.

    Raises the source errors: CannotConnect / ResponseTimeout, AuthFailed, ProtocolError.
    """
    client = ArisClient(session, host, token)
    await client.health()
    hcu = await client.hcu()
    unknown: list[str] = []
    for hp_id in heat_pump_ids:
        try:
            await client.heat_pump(hp_id)
        except NotFound:
            unknown.append(hp_id)
    return hcu.id, unknown


async def probe_serial_pump(port: str, baudrate: int, timeout: float) -> int:
    """Open the port, log in, read the pump's serial number; always release the port."""
    client = HeliothermClient(port, baudrate=baudrate, timeout=timeout, read_only=True)
    try:
        return (await read_identity(client)).serial_number
    finally:
        await client.close()
