"""aiohttp client of the Aris Brain's local REST API, on an injected session.

At most MAX_IN_FLIGHT requests run at once (the Brain is a small device). The token is sent
as ``Authorization: Bearer`` and never appears in logs or exception texts.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import aiohttp

from ..http import exchange
from ..jsonvalues import reply_json
from ..model import (
    AuthFailed,
    InvalidValue,
    NotFound,
    ProtocolError,
)
from .models import Event, Fcu, Hcu, Health, HeatPump, Tank, Zone

_LOGGER = logging.getLogger(__name__)
MAX_IN_FLIGHT = 3
REQUEST_TIMEOUT = 10.0


class ArisClient:
    """One Brain: ``http://<host>``, one API token."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        host: str,
        token: str,
        *,
        timeout: float = REQUEST_TIMEOUT,
    ) -> None:
        self._session = session
        self.base_url = base_url(host)
        self._token = token
        self._timeout = timeout
        self._in_flight = asyncio.Semaphore(MAX_IN_FLIGHT)
        self.requests = 0
        self.answers: dict[str, Any] = {}  # the last decoded answer by request (diagnostics)

    async def _request(
        self, method: str, path: str, *, body: Mapping[str, Any] | None = None, auth: bool = True
    ) -> Any:
        headers = {"Authorization": f"Bearer {self._token}"} if auth else {}
        url = self.base_url + path
        async with self._in_flight:
            self.requests += 1
            status, payload, _ = await exchange(
                self._session,
                method,
                url,
                shown=f"{method} {path}",
                timeout=self._timeout,
                body=body,
                headers=headers,
            )
        body = _interpret(method, path, status, payload)
        self.answers[f"{method} {path.split('?')[0]}"] = body
        return body

    async def health(self) -> Health:
        """``GET /health`` (no token needed)."""
        return Health.from_json(_object(await self._request("GET", "/health", auth=False)))

    async def zones(self) -> list[Zone]:
        """``GET /api/zones``."""
        return [
            Zone.from_json(raw) for raw in _list(await self._request("GET", "/api/zones"), "zones")
        ]

    async def zone(self, zone_id: str) -> Zone:
        """``GET /api/zones/{id}`` (wrapped in ``zone``)."""
        reply = _object(await self._request("GET", f"/api/zones/{quote(zone_id, safe='')}"))
        return Zone.from_json(_object(reply.get("zone")))

    async def command_zone(self, zone_id: str, command: Mapping[str, Any]) -> None:
        """``POST /api/zones/{id}/command``; the effect is read back with ``zone``."""
        await self._request("POST", f"/api/zones/{quote(zone_id, safe='')}/command", body=command)

    async def hcu(self) -> Hcu:
        """``GET /api/hcu``."""
        return Hcu.from_json(_object(await self._request("GET", "/api/hcu")))

    async def heat_pumps(self) -> list[HeatPump] | None:
        """The assumed list ``GET /api/heatpumps``; None when the Brain does not offer it.

        Not offered: 404, 405, 400 (or 422), 501, or a reply that is no such list (an HTML
        page); the IDs the owner entered serve instead. A fault (other 5xx, a timeout) raises.
        """
        try:
            reply = await self._request("GET", "/api/heatpumps")
            return [HeatPump.from_json(raw) for raw in _list(reply, "heatpumps")]
        except (NotFound, InvalidValue):
            return None
        except HttpStatusError as err:
            if err.status in (405, 501):
                return None
            raise
        except ProtocolError:  # 200, but not a list of heat pumps
            return None

    async def heat_pump(self, hp_id: str) -> HeatPump:
        """``GET /api/heatpumps/{id}``."""
        return HeatPump.from_json(
            _object(await self._request("GET", f"/api/heatpumps/{quote(hp_id, safe='')}"))
        )

    async def fcu(self, fcu_id: str) -> Fcu:
        """``GET /api/fcus/{id}``."""
        return Fcu.from_json(
            _object(await self._request("GET", f"/api/fcus/{quote(fcu_id, safe='')}"))
        )

    async def dhw(self) -> Tank | None:
        """``GET /api/dhw``; None on a system without a hot-water tank."""
        try:
            return Tank.dhw(_object(await self._request("GET", "/api/dhw")))
        except NotFound:
            return None

    async def tes(self) -> Tank | None:
        """``GET /api/tes``; None on a system without a buffer tank."""
        try:
            return Tank.tes(_object(await self._request("GET", "/api/tes")))
        except NotFound:
            return None

    async def events(self, limit: int = 100) -> list[Event]:
        """``GET /api/events`` (newest first, at most ``limit``)."""
        reply = await self._request("GET", f"/api/events?limit={int(limit)}")
        return [Event.from_json(raw) for raw in _list(reply, "events")]


def base_url(host: str) -> str:
    """``http://host`` from a host name, an IP or a URL the user pasted."""
    host = host.strip().rstrip("/")
    if host.startswith(("http://", "https://")):
        return host
    return f"http://{host}"


class HttpStatusError(ProtocolError):
    """An error status the client has no closer meaning for (405, 5xx)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def _interpret(method: str, path: str, status: int, payload: bytes) -> Any:
    where = f"{method} {path.split('?')[0]}"
    if status == 401:
        raise AuthFailed(f"{where}: token refused")
    body = reply_json(where, status, payload)
    message = body.get("error") if isinstance(body, dict) else None
    if status == 404:
        raise NotFound(f"{where}: {message or 'not found'}")
    if status in (400, 422):
        raise InvalidValue("device_refused", message=str(message or f"HTTP {status}"))
    if status >= 400:
        raise HttpStatusError(
            f"{where}: HTTP {status}" + (f" ({message})" if message else ""), status
        )
    return body


def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ProtocolError("an object was expected")
    return value


def _list(value: Any, name: str) -> list[dict[str, Any]]:
    items = _object(value).get(name)
    if not isinstance(items, list):
        raise ProtocolError(f"a list {name!r} was expected")
    return [item for item in items if isinstance(item, dict)]
