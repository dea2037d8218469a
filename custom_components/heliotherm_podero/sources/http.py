"""One HTTP exchange for the HTTP backends: a timeout, and transport failures as source errors."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, NamedTuple

import aiohttp

from .model import CannotConnect, ResponseTimeout


class Reply(NamedTuple):
    """What came back: the status, the body as sent, and the Retry-After header if any."""

    status: int
    payload: bytes
    retry_after: str | None


async def exchange(
    session: aiohttp.ClientSession,
    method: str,
    url: str,
    *,
    shown: str,
    timeout: float,
    body: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Reply:
    """Send one request and read the whole answer within ``timeout`` seconds.

    ``shown`` names the request in an error (the path, with anything private left out).
    """
    try:
        async with asyncio.timeout(timeout):
            async with session.request(method, url, json=body, headers=headers) as response:
                return Reply(
                    response.status, await response.read(), response.headers.get("Retry-After")
                )
    except TimeoutError as err:
        raise ResponseTimeout(f"{shown}: no answer within {timeout:.0f} s") from err
    except aiohttp.ClientError as err:
        raise CannotConnect(f"{shown}: {type(err).__name__}") from err
