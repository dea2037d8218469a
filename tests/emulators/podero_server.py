"""A local Podero Partner API (PODERO.md section 9): token endpoint, users, buildings, heat pumps.

Tokens expire; PUT is partial and validated (enums, ``minimum <= maximum``, away start before
end) and returns the whole pump; ``is_pause_power_active`` follows ``pause_power_until``;
pumps are soft-deleted and may be added or removed at run time; a pump can carry a pending
``reauthenticate`` action. Knobs: the next answers fail with 429 (Retry-After) or 500, answers
come slowly, credentials are revoked or tokens expire, payloads follow the old, the new or the
union of both field generations. What the vendor's pages permit beyond the happy path has a
knob too: a PUT that applies the write schema's defaults to the fields it was not sent, a PUT
answer without ``actions`` (an older shape), a pause flag kept apart from its time, list items
without an id, pumps the list leaves out (a manufacturer-cloud sync) and details that answer 404.

Run alone: ``python -m tests.emulators.podero_server --port 8082``.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import copy
import json
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from aiohttp import web

from .http_mock import MOCK_PREFIX, knob_routes, serve

PREFIX = "/api/partners/v2.0"
ORG_ID = "0e7d9a52-1111-4000-8000-00000000000a"
USER_ID = "0e7d9a52-2222-4000-8000-0000000000aa"
CLIENT_ID = "podero-test-client"
CLIENT_SECRET = "podero-test-secret-do-not-log"
OPTIMIZATION_LEVELS = ("Low", "Mid", "Max")
PRICE_ZONES = (
    "AT", "AT_HOURLY", "BE", "CH", "EE", "DE_LU", "HU", "IT_CNOR", "IT_CSUD", "IT_NORD",
    "IT_PUN", "IT_SARD", "IT_SICI", "IT_SUD", "PT", "RO", "SE_1", "SE_2", "SE_3", "SE_4", "UK",
)  # fmt: skip
WRITABLE = frozenset(
    {
        "is_pause_power_active", "is_smart_optimization_active", "price_zone", "building_id",
        "pause_power_until", "comment", "is_inverter_forced_mode_enabled", "is_trading_enabled",
        "indoor_target_temperature_offset", "dhw_standard_temperature",
        "is_space_heating_enabled", "is_hot_water_heating_enabled", "is_pool_heating_enabled",
        "is_space_cooling_enabled", "heating_policy_name", "maximum_temperature_limit",
        "minimum_temperature_limit", "minimum_dhw_temperature_limit",
        "is_heating_policy_enabled", "away_mode_start", "away_mode_end", "is_away_mode_enabled",
        "away_mode_minimum_temperature_limit", "optimization_level", "deleted_at",
        "lifecycle_state", "lifecycle_error", "optimization_score",
    }
)  # fmt: skip
NUMBERS = frozenset(
    {
        "indoor_target_temperature_offset", "dhw_standard_temperature",
        "maximum_temperature_limit", "minimum_temperature_limit",
        "minimum_dhw_temperature_limit", "away_mode_minimum_temperature_limit",
        "optimization_score",
    }
)  # fmt: skip
# Fields only the older generation of the docs shows, and only the newer one.
OLD_ONLY = ("operational_mode", "dhw_actual_temperature", "pause_power_active")
NEW_ONLY = (
    "current_mode", "dhw_temperature", "inlet_temperature", "outlet_temperature",
    "indoor_target_temperature", "connection_status", "monitoring_status", "steering_status",
    "is_pause_power_active",
)  # fmt: skip
DETAIL_ONLY = ("action_needed", "deleted_at", "lifecycle_state", "lifecycle_error",
               "optimization_score", "actions")  # fmt: skip


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _parse(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def make_pump(
    number: int, *, manufacturer: str = "Nibe", model: str = "F2120", year: int | None = 2021
) -> dict[str, Any]:
    """A heat pump in the union of both field generations (values invented)."""
    return {
        "id": f"6b0f3c1e-0000-4000-8000-{number:012d}",
        "owner": {
            "id": USER_ID,
            "email": "owner@example.invalid",
            "first_name": "Erika",
            "last_name": "Muster",
            "external_id": None,
        },
        "building": None,
        "created_at": "2025-01-01T00:00:00Z",
        "updated_at": "2025-01-01T00:00:00Z",
        "deleted_at": None,
        "lifecycle_state": "authenticated",
        "lifecycle_error": None,
        "connection_status": "ok",
        "monitoring_status": "ok",
        "steering_status": "ok",
        "device_model": {
            "device_type": {"short_name": "hp_atw", "long_name": "Heat Pump (Air-to-Water)"},
            "manufacturer": manufacturer,
            "model": model,
            "year": year,
            "cloud_service": "6b0f3c1e-0000-4000-8000-0000000000cc",
            "cloud_service_instructions": None,
            "cloud_service_signup_link": None,
        },
        "price_zone": "AT",
        "external_device_id": "",
        "comment": None,
        "optimization_score": 72.5,
        "is_authenticated": True,
        "is_smart_optimization_active": True,
        "optimization_level": "Mid",
        "current_mode": "mid",
        "actual_steering_state": "unknown",
        "pause_power_until": None,
        "is_pause_power_active": False,
        "pause_power_active": False,
        "is_forecasting_enabled": False,
        "is_trading_enabled": False,
        "is_inverter_forced_mode_enabled": False,
        "is_inverter_forced_mode_active": False,
        "inverter_forced_mode_since": "0001-01-01T00:00:00Z",
        "is_heating_policy_enabled": True,
        "heating_policy_name": None,
        "minimum_temperature_limit": 19.5,
        "maximum_temperature_limit": 23.0,
        "minimum_dhw_temperature_limit": 40.0,
        "dhw_standard_temperature": 48.0,
        "is_space_heating_enabled": True,
        "is_hot_water_heating_enabled": True,
        "is_pool_heating_enabled": False,
        "is_space_cooling_enabled": False,
        "is_away_mode_enabled": False,
        "away_mode_start": None,
        "away_mode_end": None,
        "away_mode_minimum_temperature_limit": 16.0,
        "indoor_target_temperature_offset": 0.0,
        "current_power_consumption_w": 1800 + 100 * number,
        "current_state_last_updated_at": "2025-01-01T00:00:00Z",
        "outdoor_temperature": 4.5,
        "indoor_actual_temperature": 21.2,
        "indoor_target_temperature": 21.5,
        "inlet_temperature": 33.0,
        "outlet_temperature": 38.5,
        "dhw_temperature": 47.0,
        "dhw_actual_temperature": 47.0,
        "operational_mode": "Heating",
        "consumption_last_day_kwh": 12.3,
        "consumption_last_week_kwh": 80.1,
        "consumption_last_month_kwh": 320.4,
        "consumption_last_updated_at": "2025-01-01T00:00:00Z",
        "last_monitoring_executed_at": "2025-01-01T00:00:00Z",
        "authorization_url": None,
        "embeddable_url": None,
        "action_needed": False,
        "actions": [],
    }


@dataclass
class PoderoState:
    """The partner account behind the mock, and the knobs tests turn."""

    KNOB_METHODS: ClassVar[tuple[str, ...]] = (
        "require_reauthentication",
        "resolve_actions",
        "set_status",
    )

    clients: dict[str, str] = field(default_factory=lambda: {CLIENT_ID: CLIENT_SECRET})
    org_id: str = ORG_ID
    users: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {
            USER_ID: {
                "id": USER_ID,
                "email": "owner@example.invalid",
                "role": "user",
                "first_name": "Erika",
                "last_name": "Muster",
            }  # fmt: skip
        }
    )
    heat_pumps: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {p["id"]: p for p in (make_pump(1), make_pump(2, model="S1255"))}
    )
    buildings: dict[str, dict[str, Any]] = field(default_factory=dict)
    expires_in: int = 36000
    tokens: dict[str, datetime] = field(default_factory=dict)
    generation: str = "union"  # "old", "new" or "union"
    fail: list[tuple[int, str | None]] = field(default_factory=list)  # next answers: status
    delay: float = 0.0
    requests: list[str] = field(default_factory=list)
    bodies: list[dict[str, Any]] = field(default_factory=list)  # every PUT body, in order
    put_applies_defaults: bool = False  # unsent write fields fall back to the schema defaults
    put_without_actions: bool = False  # the PUT answer carries no ``actions`` (older shape)
    pause_flag_follows_until: bool = True  # False: the flag is kept as written, apart
    extra_list_items: list[Any] = field(default_factory=list)  # e.g. a pump with ``id: null``
    hidden_from_list: set[str] = field(default_factory=set)  # listed not, still there
    detail_not_found: set[str] = field(default_factory=set)  # the detail answers 404
    # The list is read, then held until this is set (a poll that is slow on the wire).
    hold_list: asyncio.Event | None = None
    list_held: bool = False

    # -- knobs ---------------------------------------------------------------------------------

    def expire_tokens(self) -> None:
        """Every issued token is refused from now on."""
        self.tokens.clear()

    def revoke_credentials(self) -> None:
        """The client secret no longer works (and neither do its tokens)."""
        self.clients = {client: "revoked-" + secrets.token_hex(4) for client in self.clients}
        self.expire_tokens()

    def add_pump(self, pump: dict[str, Any]) -> str:
        """A pump added in Podero; returns its id."""
        self.heat_pumps[pump["id"]] = pump
        return str(pump["id"])

    def tick(self) -> None:
        """Time passes: the pumps' power moves, as a real pump's does."""
        for pump in self.heat_pumps.values():
            pump["current_power_consumption_w"] = 1500 + secrets.randbelow(800)
            pump["current_state_last_updated_at"] = _iso(datetime.now(UTC))

    def delete_pump(self, pump_id: str) -> None:
        """Soft-delete a pump."""
        self.heat_pumps[pump_id]["deleted_at"] = _iso(datetime.now(UTC))

    def require_reauthentication(self, pump_id: str) -> str:
        """The manufacturer link lapsed: a pending action; returns its resolution URL."""
        pump = self.heat_pumps[pump_id]
        cue = uuid.uuid4()
        url = f"https://app.podero.example/api/partners/v2.0/cues/{cue}/resolve?secret={secrets.token_hex(8)}"
        pump["is_authenticated"] = False
        pump["actions"] = [
            {
                "code": "reauthenticate",
                "resolution_link": {"url": url, "required_parameters": ["successUrl", "cancelUrl"]},
            }
        ]
        return url

    def set_status(self, pump_id: str, status: str, value: str) -> None:
        """A pump's connection, monitoring or steering status changes ("ok", "error", ...)."""
        self.heat_pumps[pump_id][status] = value

    def resolve_actions(self, pump_id: str) -> None:
        """The owner re-linked the manufacturer account."""
        pump = self.heat_pumps[pump_id]
        pump["is_authenticated"] = True
        pump["actions"] = []

    # -- views ---------------------------------------------------------------------------------

    def view(self, pump: dict[str, Any], *, detail: bool) -> dict[str, Any]:
        """A pump as the list (no actions) or the detail shows it, in the chosen generation."""
        now = datetime.now(UTC)
        out = copy.deepcopy(pump)
        until = _parse(out.get("pause_power_until"))
        if self.pause_flag_follows_until:
            paused = until is not None and until > now
        else:
            paused = bool(out.get("is_pause_power_active"))
        out["is_pause_power_active"] = out["pause_power_active"] = paused
        out["action_needed"] = bool(out.get("actions"))
        if not detail:
            for name in DETAIL_ONLY:
                out.pop(name, None)
        drop = (
            NEW_ONLY if self.generation == "old" else OLD_ONLY if self.generation == "new" else ()
        )
        for name in drop:
            out.pop(name, None)
        if self.generation == "old":
            out["current_power_consumption_w"] = float(out["current_power_consumption_w"])
            out.pop("owner", None)
            out["owner"] = {"id": USER_ID, "email": "owner@example.invalid"}
        return out


# What the write schema gives a field a body leaves out (PODERO.md 7.4, errata 3 and 4).
WRITE_DEFAULTS: dict[str, Any] = {
    **{name: False for name in WRITABLE if name.startswith("is_")},
    "is_away_mode_enabled": True,
    "price_zone": "AT",
    "optimization_level": "Mid",
}


def _detail(status: int, detail: Any) -> web.Response:
    return web.json_response({"detail": detail}, status=status)


def _invalid(name: str, message: str) -> web.Response:
    return _detail(422, [{"type": "value_error", "loc": ["body", "payload", name], "msg": message}])


def _validate(pump: dict[str, Any], body: dict[str, Any]) -> web.Response | None:
    for name, value in body.items():
        if name not in WRITABLE:
            return _invalid(name, "Field is not writable")
        if name == "optimization_level" and value not in OPTIMIZATION_LEVELS:
            return _invalid(name, "Input should be 'Low', 'Mid' or 'Max'")
        if name == "price_zone" and value not in PRICE_ZONES:
            return _invalid(name, "Input should be a valid price zone")
        if name.startswith("is_") and not isinstance(value, bool):
            return _invalid(name, "Input should be a valid boolean")
        if name in NUMBERS and (isinstance(value, bool) or not isinstance(value, int | float)):
            return _invalid(name, "Input should be a valid number")
        is_time = name in ("pause_power_until", "away_mode_start", "away_mode_end", "deleted_at")
        if is_time and value is not None and _parse(value) is None:
            return _invalid(name, "Input should be a valid datetime")
    merged = {**pump, **body}
    low, high = merged.get("minimum_temperature_limit"), merged.get("maximum_temperature_limit")
    if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
        return _invalid("minimum_temperature_limit", "must not be above maximum_temperature_limit")
    start, end = _parse(merged.get("away_mode_start")), _parse(merged.get("away_mode_end"))
    if start is not None and end is not None and start >= end:
        return _invalid("away_mode_end", "must be after away_mode_start")
    return None


def create_app(state: PoderoState) -> web.Application:
    """The Partner API over ``state``."""

    @web.middleware
    async def knobs(request: web.Request, handler: Any) -> web.StreamResponse:
        if request.path.startswith(
            MOCK_PREFIX
        ):  # the test's own channel: never fails, never counted
            control: web.StreamResponse = await handler(request)
            return control
        state.requests.append(f"{request.method} {request.path}")
        if state.delay:
            await asyncio.sleep(state.delay)
        if state.fail:
            status, retry_after = state.fail.pop(0)
            headers = {"Retry-After": retry_after} if retry_after is not None else {}
            return web.json_response({"detail": "Failure"}, status=status, headers=headers)
        if request.path.startswith(PREFIX):
            header = request.headers.get("Authorization", "")
            token = header.removeprefix("Bearer ")
            expiry = state.tokens.get(token)
            if expiry is None or expiry <= datetime.now(UTC):
                return _detail(401, "Unauthorized")
            if request.match_info.get("org") not in (None, state.org_id):
                return _detail(403, "Not allowed for this organisation")
        response: web.StreamResponse = await handler(request)
        return response

    routes = web.RouteTableDef()

    @routes.post("/oauth2/token/")
    async def token(request: web.Request) -> web.Response:
        header = request.headers.get("Authorization", "")
        try:
            client_id, _, secret = (
                base64.b64decode(header.removeprefix("Basic ")).decode().partition(":")
            )
        except ValueError:
            client_id, secret = "", ""
        if not header.startswith("Basic ") or state.clients.get(client_id) != secret:
            return web.json_response({"error": "invalid_client"}, status=401)
        if request.content_type == "application/json":
            body = await request.json()
        else:
            body = dict(await request.post())
        if body.get("grant_type") != "client_credentials":
            return web.json_response({"error": "unsupported_grant_type"}, status=400)
        issued = secrets.token_urlsafe(22)
        state.tokens[issued] = datetime.now(UTC) + timedelta(seconds=state.expires_in)
        return web.json_response(
            {
                "access_token": issued,
                "expires_in": state.expires_in,
                "token_type": "Bearer",
                "scope": "read write",
            }
        )

    def _user(request: web.Request) -> dict[str, Any]:
        user = state.users.get(request.match_info["user"])
        if user is None:
            raise web.HTTPNotFound(
                text=json.dumps({"detail": "Not Found"}), content_type="application/json"
            )
        return user

    def _pump(request: web.Request, *, include_deleted: bool = False) -> dict[str, Any]:
        _user(request)
        pump = state.heat_pumps.get(request.match_info["pump"])
        hidden = request.match_info["pump"] in state.detail_not_found
        if pump is None or hidden or (pump.get("deleted_at") and not include_deleted):
            raise web.HTTPNotFound(
                text=json.dumps({"detail": "Not Found"}), content_type="application/json"
            )
        return pump

    @routes.get(PREFIX + "/org/{org}/users/{user}")
    async def get_user(request: web.Request) -> web.Response:
        return web.json_response(_user(request))

    @routes.get(PREFIX + "/org/{org}/users/{user}/buildings")
    async def buildings(request: web.Request) -> web.Response:
        _user(request)
        return web.json_response(list(state.buildings.values()))

    @routes.post(PREFIX + "/org/{org}/users/{user}/buildings")
    async def create_building(request: web.Request) -> web.Response:
        _user(request)
        body = await request.json()
        if not isinstance(body.get("name"), str) or not body["name"]:
            return _invalid("name", "Field required")
        building = {"id": str(uuid.uuid4()), **body}
        state.buildings[building["id"]] = building
        return web.json_response(building)

    @routes.get(PREFIX + "/org/{org}/users/{user}/heat-pumps")
    async def list_pumps(request: web.Request) -> web.Response:
        _user(request)
        answer = [
            state.view(pump, detail=False)
            for pump_id, pump in state.heat_pumps.items()
            if not pump.get("deleted_at") and pump_id not in state.hidden_from_list
        ] + state.extra_list_items
        if state.hold_list is not None:
            state.list_held = True
            await state.hold_list.wait()
            state.list_held = False
        return web.json_response(answer)

    @routes.get(PREFIX + "/org/{org}/users/{user}/heat-pumps/{pump}")
    async def get_pump(request: web.Request) -> web.Response:
        include = request.query.get("include_deleted") == "true"
        return web.json_response(state.view(_pump(request, include_deleted=include), detail=True))

    @routes.put(PREFIX + "/org/{org}/users/{user}/heat-pumps/{pump}")
    async def put_pump(request: web.Request) -> web.Response:
        pump = _pump(request)
        try:
            body = await request.json()
        except ValueError:
            return _detail(400, "Invalid JSON")
        if not isinstance(body, dict):
            return _detail(400, "An object is expected")
        state.bodies.append(body)
        refused = _validate(pump, body)
        if refused is not None:
            return refused
        if state.put_applies_defaults:
            pump.update({k: v for k, v in WRITE_DEFAULTS.items() if k not in body and k in pump})
        pump.update(body)
        if "pause_power_until" in body and "is_pause_power_active" not in body:
            pump["is_pause_power_active"] = body["pause_power_until"] is not None
        pump["updated_at"] = _iso(datetime.now(UTC))
        answer = state.view(pump, detail=True)
        if state.put_without_actions:
            answer.pop("actions", None)
        return web.json_response(answer)

    @routes.post(PREFIX + "/org/{org}/users/{user}/heat-pumps")
    async def create_pump(request: web.Request) -> web.Response:
        _user(request)
        pump = make_pump(len(state.heat_pumps) + 1)
        pump["id"] = str(uuid.uuid4())
        pump.update({k: v for k, v in (await request.json()).items() if k in WRITABLE})
        state.heat_pumps[pump["id"]] = pump
        return web.json_response(state.view(pump, detail=True))

    @routes.delete(PREFIX + "/org/{org}/users/{user}/heat-pumps/{pump}")
    async def delete_pump(request: web.Request) -> web.Response:
        state.delete_pump(str(_pump(request)["id"]))
        return web.Response(status=204)

    app = web.Application(middlewares=[knobs])
    app.add_routes(routes)
    app.add_routes(knob_routes(state))
    return app


async def start(
    state: PoderoState, host: str = "127.0.0.1", port: int = 0
) -> tuple[web.AppRunner, int]:
    """Serve ``state``; returns the runner (for cleanup) and the bound port."""
    return await serve(create_app(state), host, port)


async def _serve(port: int) -> None:
    state = PoderoState()
    runner, bound = await start(state, "127.0.0.1", port)
    print(
        json.dumps(
            {
                "podero_mock": f"http://127.0.0.1:{bound}",
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "organisation_id": ORG_ID,
                "user_id": USER_ID,
                "heat_pump_ids": list(state.heat_pumps),
            }
        ),
        flush=True,
    )
    try:
        while True:
            await asyncio.sleep(60)
            state.tick()
    finally:
        await runner.cleanup()


def main() -> None:
    """Command line: serve the Partner API until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8082)
    args = parser.parse_args()
    asyncio.run(_serve(args.port))


if __name__ == "__main__":
    main()
