"""aiohttp client of the Podero Partner API v2.0 on an injected session.

OAuth2 client credentials: the token is cached, renewed shortly before it expires and once
more after a 401; concurrent callers share one renewal. Client secret and tokens never appear
in logs or exception texts. After a 429 or a 5xx the client sends nothing until the back-off
(the server's Retry-After where it gives one) has passed.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

import aiohttp

from ..http import exchange
from ..jsonvalues import reply_json
from ..model import (
    AuthFailed,
    CommunicationError,
    Forbidden,
    InvalidValue,
    NotFound,
    ProtocolError,
)
from .models import PoderoHeatPump

_LOGGER = logging.getLogger(__name__)

PRODUCTION_URL = "https://app.podero.com"
SANDBOX_URL = "https://sandbox-app.podero.com"
API_PREFIX = "/api/partners/v2.0"
TOKEN_PATH = "/oauth2/token/"
REQUEST_TIMEOUT = 30.0
RENEW_MARGIN_S = 300.0  # renew this long before expiry (or at 90 % of a short lifetime)
DEFAULT_BACKOFF_S = 60.0
MAX_BACKOFF_S = 3600.0


class BackingOff(CommunicationError):
    """429 or 5xx: nothing is sent until ``until`` (monotonic seconds)."""

    def __init__(self, message: str, until: float) -> None:
        super().__init__(message)
        self.until = until


class PoderoClient:
    """One partner application (client id and secret) acting for one user of one organisation."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        *,
        client_id: str,
        client_secret: str,
        org_id: str,
        user_id: str,
        timeout: float = REQUEST_TIMEOUT,
        clock: Callable[[], float] = lambda: time.monotonic(),  # looked up per call
    ) -> None:
        self._session = session
        self.base_url = base_url.strip().rstrip("/")
        # Built here: aiohttp deprecates BasicAuth, and its replacement is too new for 2025.4.
        basic = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()
        self._basic = f"Basic {basic}"
        self._user_path = (
            f"{API_PREFIX}/org/{quote(org_id, safe='')}/users/{quote(user_id, safe='')}"
        )
        self._timeout = timeout
        self._clock = clock
        self._token: str | None = None
        self._token_expires = 0.0
        self._token_lock = asyncio.Lock()
        self._blocked_until = 0.0
        self.requests: dict[str, int] = {"token": 0, "list": 0, "detail": 0, "put": 0, "user": 0}
        self.answers: dict[str, Any] = {}  # the last decoded answer by endpoint (diagnostics)
        self._skipped_logged = False

    # -- token -------------------------------------------------------------------------------

    async def _access_token(self, *, refused: str | None = None) -> str:
        """A valid token; a new one when it is about to expire or was just ``refused``."""
        async with self._token_lock:
            stale = self._token is None or self._clock() >= self._token_expires
            if stale or (refused is not None and refused == self._token):
                await self._renew()
            assert self._token is not None
            return self._token

    async def _renew(self) -> None:
        self.requests["token"] += 1
        status, payload, _ = await self._send(
            "POST",
            TOKEN_PATH,
            body={"grant_type": "client_credentials"},
            headers={"Cache-Control": "no-cache", "Authorization": self._basic},
        )
        if status in (400, 401, 403):
            self._token = None
            raise AuthFailed("the client credentials were refused")
        body = self._json_or_raise("POST", TOKEN_PATH, status, payload, None)
        token = body.get("access_token") if isinstance(body, dict) else None
        lifetime = body.get("expires_in") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise ProtocolError("token reply without access_token")
        lifetime_s = float(lifetime) if isinstance(lifetime, int | float) else 3600.0
        self._token = token
        self._token_expires = self._clock() + max(lifetime_s - RENEW_MARGIN_S, lifetime_s * 0.9)

    # -- requests ----------------------------------------------------------------------------

    async def _send(
        self,
        method: str,
        path: str,
        *,
        body: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[int, bytes, str | None]:
        if self._clock() < self._blocked_until:
            raise BackingOff(
                f"{method} {_shown(path)}: backing off for another "
                f"{self._blocked_until - self._clock():.0f} s",
                self._blocked_until,
            )
        return await exchange(
            self._session,
            method,
            self.base_url + path,
            shown=f"{method} {_shown(path)}",
            timeout=self._timeout,
            body=body,
            headers=headers,
        )

    async def _api(self, method: str, path: str, body: Mapping[str, Any] | None = None) -> Any:
        """A bearer call; one renewal and retry after a 401."""
        token = await self._access_token()
        for attempt in (1, 2):
            status, payload, retry_after = await self._send(
                method, path, body=body, headers={"Authorization": f"Bearer {token}"}
            )
            if status == 401 and attempt == 1:
                token = await self._access_token(refused=token)
                continue
            body = self._json_or_raise(method, path, status, payload, retry_after)
            self.answers[f"{method} {path}"] = body
            return body
        raise AssertionError("unreachable")  # pragma: no cover

    def _json_or_raise(
        self, method: str, path: str, status: int, payload: bytes, retry_after: str | None
    ) -> Any:
        where = f"{method} {_shown(path)}"
        if status == 401 or (status == 403 and method == "GET"):
            raise AuthFailed(f"{where}: HTTP {status}")  # a read refused: credentials or org
        if status == 403:  # a write refused to valid credentials: new ones would not help
            message = _detail(reply_json(where, status, payload)) or "not allowed"
            raise Forbidden(f"{where}: HTTP 403 ({message})")
        body = reply_json(where, status, payload)
        if status == 404:
            raise NotFound(f"{where}: not found")
        if status == 409:
            raise InvalidValue("not_possible_now", message=_detail(body) or "HTTP 409")
        if status in (400, 422):
            raise InvalidValue("device_refused", message=_detail(body) or f"HTTP {status}")
        if status == 429 or status >= 500:
            self._blocked_until = self._clock() + _backoff(retry_after)
            raise BackingOff(f"{where}: HTTP {status}", self._blocked_until)
        if status >= 400:
            raise ProtocolError(f"{where}: HTTP {status}")
        return body

    # -- endpoints ---------------------------------------------------------------------------

    async def user(self) -> dict[str, Any]:
        """``GET /org/{org}/users/{user}``: checks organisation and user."""
        self.requests["user"] += 1
        reply = await self._api("GET", self._user_path)
        if not isinstance(reply, dict):
            raise ProtocolError("a user object was expected")
        return reply

    async def heat_pumps(self) -> list[PoderoHeatPump]:
        """Every heat pump of the user, in one request (soft-deleted ones are not listed).

        An item without an id (the schema allows ``id: null``) cannot be addressed: it is
        skipped, said once in the log.
        """
        self.requests["list"] += 1
        reply = await self._api("GET", f"{self._user_path}/heat-pumps")
        if not isinstance(reply, list):
            raise ProtocolError("a list of heat pumps was expected")
        pumps: list[PoderoHeatPump] = []
        skipped = 0
        for item in reply:
            try:
                pumps.append(PoderoHeatPump.from_json(item))
            except ProtocolError:
                skipped += 1
        if skipped and not self._skipped_logged:
            self._skipped_logged = True
            _LOGGER.warning("Podero listed %d heat pump(s) without an id: skipped", skipped)
        return pumps

    async def heat_pump(self, pump_id: str, *, include_deleted: bool = False) -> PoderoHeatPump:
        """One heat pump with its pending ``actions`` (a soft-deleted one too, if asked)."""
        self.requests["detail"] += 1
        query = "?include_deleted=true" if include_deleted else ""
        return PoderoHeatPump.from_json(await self._api("GET", self._pump_path(pump_id) + query))

    async def update_heat_pump(self, pump_id: str, fields: Mapping[str, Any]) -> PoderoHeatPump:
        """A partial PUT; the object it returns is the pump's new state."""
        self.requests["put"] += 1
        return PoderoHeatPump.from_json(await self._api("PUT", self._pump_path(pump_id), fields))

    def _pump_path(self, pump_id: str) -> str:
        return f"{self._user_path}/heat-pumps/{quote(pump_id, safe='')}"


def _shown(path: str) -> str:
    """A path for messages: ids shortened to nothing identifying beyond the endpoint."""
    parts = path.split("?")[0].split("/")
    return "/".join(part if len(part) < 20 else "…" for part in parts)


def _detail(body: Any) -> str | None:
    """The server's message: Django-Ninja ``detail`` as a string or a list of errors."""
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, str):
        return detail
    if isinstance(detail, list):
        messages = []
        for item in detail:
            if isinstance(item, dict):
                where = item.get("loc")
                field = where[-1] if isinstance(where, list) and where else None
                message = str(item.get("msg", ""))
                messages.append(f"{field}: {message}" if field else message)
        return "; ".join(messages) or None
    return None


def _backoff(retry_after: str | None) -> float:
    """Seconds to wait: Retry-After in seconds where given, else a minute; at most an hour."""
    if retry_after is not None:
        try:
            return min(max(float(retry_after), 1.0), MAX_BACKOFF_S)
        except ValueError:
            pass  # an HTTP date: rare, the default wait is close enough
    return DEFAULT_BACKOFF_S
