"""Build each mode's source from an entry's data, and probe what a form names.

No Home Assistant here: the session is given. Which mode an entry is, and which of these
builds its source, is the mode's declaration (``flows/``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from typing import Any, NamedTuple

import aiohttp

from .aris.client import ArisClient
from .aris.source import ArisSource
from .heliotherm.client import HeliothermClient
from .heliotherm.source import HeliothermSource
from .heliotherm.transport import SUPPORTED_BAUD_RATES
from .model import NotFound
from .podero.client import PRODUCTION_URL, SANDBOX_URL, PoderoClient
from .podero.source import PoderoSource

__all__ = [
    "SUPPORTED_BAUD_RATES",
    "ArisProbe",
    "PoderoProbe",
    "create_aris_source",
    "create_heliotherm_source",
    "create_podero_source",
    "probe_aris",
    "probe_podero",
    "probe_serial_pump",
    "split_ids",
]

PODERO_URLS = {"production": PRODUCTION_URL, "sandbox": SANDBOX_URL}
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


def create_aris_source(
    data: Mapping[str, Any], options: Mapping[str, Any], session: aiohttp.ClientSession
) -> ArisSource:
    """A source for the Brain in ``data``, with the typed IDs and read-only mode of the options."""
    client = ArisClient(session, data["host"], data["token"])
    return ArisSource(
        client,
        heat_pump_ids=split_ids(options.get("heat_pump_ids", data.get("heat_pump_ids", ""))),
        fcu_ids=split_ids(options.get("fcu_ids", "")),
        read_only=bool(options.get("read_only", False)),
    )


def create_podero_source(
    data: Mapping[str, Any], options: Mapping[str, Any], session: aiohttp.ClientSession
) -> PoderoSource:
    """A source for the Podero user in ``data``, honouring the read-only option."""
    return PoderoSource(
        podero_client(session, data), read_only=bool(options.get("read_only", False))
    )


def podero_base_url(data: Mapping[str, Any]) -> str:
    """The API host of an entry: production, sandbox or the custom URL given."""
    environment = data.get("environment", "production")
    return PODERO_URLS.get(environment) or str(data.get("base_url", "")).strip()


def podero_client(session: aiohttp.ClientSession, data: Mapping[str, Any]) -> PoderoClient:
    """A Partner API client for the credentials and ids in ``data``."""
    return PoderoClient(
        session,
        podero_base_url(data),
        client_id=data["client_id"],
        client_secret=data["client_secret"],
        org_id=data["org_id"],
        user_id=data["user_id"],
    )


class PoderoUnknownUser(Exception):
    """The organisation has no such user (404)."""


class PoderoProbe(NamedTuple):
    """What a probe of a Podero user found: the name the user gave, how many pumps."""

    first_name: str | None
    heat_pumps: int


async def probe_podero(session: aiohttp.ClientSession, data: Mapping[str, Any]) -> PoderoProbe:
    """A token, the user, the heat-pump list.

    Raises AuthFailed (credentials or organisation refused), PoderoUnknownUser, and the
    communication errors.
    """
    client = podero_client(session, data)
    try:
        user = await client.user()
    except NotFound as err:
        raise PoderoUnknownUser from err
    first_name = user.get("first_name")
    return PoderoProbe(
        first_name.strip() or None if isinstance(first_name, str) else None,
        len(await client.heat_pumps()),
    )


def split_ids(text: str) -> list[str]:
    """Ids as the user typed them: separated by commas or spaces."""
    return [part for part in text.replace(",", " ").split() if part]


class ArisProbe(NamedTuple):
    """What a probe of a Brain found: its HCU and the entered ids it does not know."""

    hcu_id: str
    unknown_heat_pumps: list[str]
    unknown_fcus: list[str]


async def probe_aris(
    session: aiohttp.ClientSession,
    host: str,
    token: str,
    heat_pump_ids: list[str],
    fcu_ids: list[str] | None = None,
) -> ArisProbe:
    """Health (no token), then the HCU (the token), then every entered id.

    Raises the source errors: CannotConnect / ResponseTimeout, AuthFailed, ProtocolError.
    """
    client = ArisClient(session, host, token)
    await client.health()
    hcu = await client.hcu()
    return ArisProbe(
        hcu.id,
        [i for i in heat_pump_ids if not await _exists(client.heat_pump(i))],
        [i for i in fcu_ids or () if not await _exists(client.fcu(i))],
    )


async def _exists(read: Awaitable[object]) -> bool:
    try:
        await read
    except NotFound:
        return False
    return True


async def probe_serial_pump(port: str, baudrate: int, timeout: float) -> int:
    """Open the port, log in, read the pump's serial number; always release the port."""
    client = HeliothermClient(port, baudrate=baudrate, timeout=timeout, read_only=True)
    try:
        await client.ensure_session()
        return await client.serial_number()  # the version is read at setup: once is enough
    finally:
        await client.close()
