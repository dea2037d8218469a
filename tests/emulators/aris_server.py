"""A local Aris Brain: every documented endpoint of ARIS.md with realistic, moving values.

The assumed routes (heat-pump list, HCU list and command, login) answer only with
``assumed_api=True``. Knobs: fail with a status, answer slowly or with broken JSON, revoke a
token, change health, add and clear faults, drop the optional fields.

Run alone: ``python -m tests.emulators.aris_server --port 8081 --token secret``.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

from aiohttp import web

from .http_mock import MOCK_PREFIX, knob_routes, serve

GAP = 2.2
OPTIONAL_HP_FIELDS = (
    "compressorHz",
    "fanRpm",
    "highPressureBar",
    "lowPressureBar",
    "compressorDischargeTempC",
    "compressorSuctionTempC",
    "thermalPowerKw",
    "electricalPowerKw",
    "acVoltageV",
    "acCurrentA",
    "firmwareVersion",
)


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def _zones() -> dict[str, dict[str, Any]]:
    return {
        "living_room": {
            "zoneId": "living_room",
            "friendlyName": "Living room",
            "tempC": 21.4,
            "rhPercent": 45,
            "co2Ppm": 620,
            "mode": "auto",
            "tempHeatSetC": 21.0,
            "tempCoolSetC": 24.0,
            "activeCall": "heat",
            "supportsHeat": True,
            "supportsCool": True,
        },
        "bedroom": {
            "zoneId": "bedroom",
            "friendlyName": "Bedroom",
            "tempC": 19.8,
            "rhPercent": 50,
            "mode": "heat",
            "tempHeatSetC": 19.0,
            "activeCall": "none",
            "supportsHeat": True,
            "supportsCool": False,
        },
    }


@dataclass
class ArisState:
    """Everything the Brain knows, plus the test knobs."""

    KNOB_METHODS: ClassVar[tuple[str, ...]] = ("add_fault", "clear_faults")

    tokens: set[str] = field(default_factory=lambda: {"test-token"})
    assumed_api: bool = False
    fail_status: int | None = None  # every /api request answers this status
    delay: float = 0.0
    malformed: bool = False
    sparse: bool = False  # drop the heat pump's "may be absent" fields
    health_status: str = "ok"
    ready: bool = True
    zones: dict[str, dict[str, Any]] = field(default_factory=_zones)
    hcu: dict[str, Any] = field(
        default_factory=lambda: {
            "hcuId": "hcu_main",
            "sourceType": "heat_pump",
            "mode": "heat",
            "state": "running",
            "supplyTempC": 35.2,
            "returnTempC": 30.1,
            "flowRateLpm": 18.5,
            "thermalPowerKw": 6.2,
            "electricalPowerKw": 1.6,
            "lifetimeThermalKwh": 15234.5,
            "lifetimeElecKwh": 4120.3,
            "copInstant": 3.9,
            "outdoorTempC": 4.5,
            "backupHeaterActive": False,
            "activeFaults": [],
        }
    )
    heat_pumps: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {
            "hp_outdoor_1": {
                "hpId": "hp_outdoor_1",
                "parentHcuId": "hcu_main",
                "compressorSpeedPercent": 62,
                "compressorHz": 58,
                "fanRpm": 640,
                "defrostActive": False,
                "highPressureBar": 24.1,
                "lowPressureBar": 7.9,
                "compressorDischargeTempC": 71.0,
                "compressorSuctionTempC": 2.1,
                "thermalPowerKw": 6.2,
                "electricalPowerKw": 1.5,
                "copInstant": 4.1,
                "acVoltageV": 230,
                "acCurrentA": 6.8,
                "firmwareVersion": "v2.4.1",
                "activeFaults": [],
            }
        }
    )
    fcus: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {
            "fcu_01a9": {
                "fcuId": "fcu_01a9",
                "friendlyName": "Office fan coil",
                "mode": "heat",
                "fanPercent": 40,
                "roomTempC": 21.0,
                "rhPercent": 44,
                "supplyTempC": 34.0,
                "returnTempC": 30.5,
                "activeFaults": [],
                "filterLastChangedTs": "2026-01-10T08:00:00Z",
            }
        }
    )
    dhw: dict[str, Any] | None = field(
        default_factory=lambda: {
            "dhwId": "dhw_main",
            "tempTopC": 52.3,
            "tempBottomC": 38.0,
            "heatingActive": False,
            "recircEnabled": True,
            "stateOfChargePercent": 78,
            "effectiveCapacityLiters": 200,
            "isSanitizing": False,
            "recircPumpActive": True,
        }
    )
    tes: dict[str, Any] | None = field(
        default_factory=lambda: {
            "tesId": "tes_main",
            "mode": "heat",
            "tempTopC": 40.2,
            "tempMidC": 36.0,
            "tempBottomC": 31.5,
            "stateOfChargePercent": 64,
            "chargeActive": True,
            "dischargeActive": False,
        }
    )
    events: list[dict[str, Any]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    commands: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    # A command takes effect only after this many reads of its zone (a slow control loop).
    apply_after_reads: int = 0
    pending: dict[str, tuple[dict[str, Any], int]] = field(default_factory=dict)
    # The assumed heat-pump list answers this instead (status, body): 405, 400, an HTML page.
    heat_pump_list_answer: tuple[int, str] | None = None
    health_fail_status: int | None = None  # /health answers this status
    health_delay: float = 0.0  # /health answers this late (a time-out)
    hidden_zones: set[str] = field(default_factory=set)  # left out of /api/zones, still there

    def tick(self) -> None:
        """Time passes: counters grow, temperatures move a little."""
        running = self.hcu.get("state") == "running"
        if running:
            self.hcu["lifetimeThermalKwh"] = round(self.hcu["lifetimeThermalKwh"] + 0.1, 1)
            self.hcu["lifetimeElecKwh"] = round(self.hcu["lifetimeElecKwh"] + 0.03, 1)
        for zone in self.zones.values():
            target = zone.get("tempHeatSetC", zone["tempC"])
            zone["tempC"] = round(zone["tempC"] + (0.1 if zone["tempC"] < target else -0.1), 1)
        if self.dhw is not None:
            self.dhw["tempTopC"] = round(self.dhw["tempTopC"] - 0.1, 1)

    def add_fault(self, device: str, code: str) -> None:
        """A fault appears on the HCU or a heat pump (and in the event log)."""
        target = self.hcu if device == self.hcu["hcuId"] else self.heat_pumps[device]
        target["activeFaults"].append(code)
        self._event("fault_raised", "warning", device, code)

    def clear_faults(self, device: str) -> None:
        """Every fault of a device clears."""
        target = self.hcu if device == self.hcu["hcuId"] else self.heat_pumps[device]
        for code in target["activeFaults"]:
            self._event("fault_cleared", "info", device, code)
        target["activeFaults"] = []

    def _event(self, kind: str, severity: str, device: str, code: str) -> None:
        self.events.insert(
            0,
            {
                "eventId": f"evt_{len(self.events) + 1}",
                "ts": _now(),
                "type": kind,
                "severity": severity,
                "deviceId": device,
                "code": code,
                "message": f"{code} on {device}",
            },
        )

    def heat_pump_view(self, hp_id: str) -> dict[str, Any]:
        """The heat pump as the Brain reports it: sparse while idle or defrosting."""
        view = copy.deepcopy(self.heat_pumps[hp_id])
        if self.sparse:
            for name in OPTIONAL_HP_FIELDS:
                view.pop(name, None)
        if view.get("defrostActive") or self.hcu.get("state") != "running":
            view.pop("copInstant", None)
        return view

    def hcu_view(self) -> dict[str, Any]:
        """The HCU: COP only while running."""
        view = copy.deepcopy(self.hcu)
        if view.get("state") != "running":
            view.pop("copInstant", None)
        return view


def _error(status: int, message: str, **context: str) -> web.Response:
    return web.json_response({"error": message, **context}, status=status)


def create_app(state: ArisState) -> web.Application:
    """The Brain's web application over ``state``."""

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
        open_path = request.path in ("/health", "/ready") or request.path.startswith("/firmware")
        if not open_path:
            header = request.headers.get("Authorization", "")
            token = header.removeprefix("Bearer ") if header.startswith("Bearer ") else None
            if token not in state.tokens:
                return web.json_response(
                    {"error": "Unauthorized", "message": "Valid authentication required"},
                    status=401,
                )
            if state.fail_status is not None:
                return _error(state.fail_status, "Brain fault")
        if state.malformed and request.path.startswith("/api"):
            return web.Response(text='{"zones": [', content_type="application/json")
        response: web.StreamResponse = await handler(request)
        return response

    routes = web.RouteTableDef()

    @routes.get("/health")
    async def health(request: web.Request) -> web.Response:
        if state.health_delay:
            await asyncio.sleep(state.health_delay)
        if state.health_fail_status is not None:
            return _error(state.health_fail_status, "Service unavailable")
        cloud_ok = state.health_status == "ok"
        mqtt_ok = state.health_status != "unhealthy"
        return web.json_response(
            {
                "status": state.health_status,
                "version": "1.0.0",
                "uptime_seconds": 86400,
                "timestamp": _now(),
                "checks": {
                    "mqtt": {"status": "ok" if mqtt_ok else "error", "connected": mqtt_ok},
                    "cloud": {
                        "status": "ok" if cloud_ok else "error",
                        "state": "connected" if cloud_ok else "disconnected",
                        "connected": cloud_ok,
                    },
                    "memory": {"heap_used_mb": 45, "heap_total_mb": 64, "rss_mb": 120},
                    "state_file": {"status": "ok", "last_modified": _now()},
                },
            }
        )

    @routes.get("/ready")
    async def ready(request: web.Request) -> web.Response:
        return web.json_response({"ready": state.ready}, status=200 if state.ready else 503)

    @routes.get("/firmware/version")
    async def firmware(request: web.Request) -> web.Response:
        return web.json_response({"version": "1.0.0"})

    @routes.get("/api/zones")
    async def zones(request: web.Request) -> web.Response:
        items = [z for zone_id, z in state.zones.items() if zone_id not in state.hidden_zones]
        return web.json_response({"zones": items, "metadata": {"count": len(items)}})

    @routes.get("/api/zones/{zone_id}")
    async def zone(request: web.Request) -> web.Response:
        zone_id = request.match_info["zone_id"]
        if zone_id not in state.zones:
            return _error(404, "Zone not found", zoneId=zone_id)
        if zone_id in state.pending:
            body, reads = state.pending.pop(zone_id)
            if reads > 1:
                state.pending[zone_id] = (body, reads - 1)
            else:
                _apply_command(state.zones[zone_id], body)
        return web.json_response({"zone": state.zones[zone_id]})

    @routes.post("/api/zones/{zone_id}/command")
    async def command(request: web.Request) -> web.Response:
        zone_id = request.match_info["zone_id"]
        if zone_id not in state.zones:
            return _error(404, "Zone not found", zoneId=zone_id)
        try:
            body = await request.json()
        except ValueError:
            return _error(400, "Body is not JSON")
        if not isinstance(body, dict) or not body:
            return _error(400, "Send at least one field")
        zone = state.zones[zone_id]
        if state.apply_after_reads:  # checked now, applied after that many reads
            refusal = _apply_command(copy.deepcopy(zone), body)
            if refusal is None:
                state.pending[zone_id] = (body, state.apply_after_reads)
        else:
            refusal = _apply_command(zone, body)
        if refusal is not None:
            return refusal
        state.commands.append((zone_id, body))
        state._event("setpoint_change", "info", zone_id, "command")
        echo = {
            {"tempHeatSetC": "temp_heat_set_c", "tempCoolSetC": "temp_cool_set_c"}.get(k, k): v
            for k, v in body.items()
        }
        return web.json_response({"success": True, "zoneId": zone_id, "command": echo})

    @routes.get("/api/zones/{zone_id}/history")
    async def history(request: web.Request) -> web.Response:
        zone_id = request.match_info["zone_id"]
        if zone_id not in state.zones:
            return _error(404, "Zone not found", zoneId=zone_id)
        zone = state.zones[zone_id]
        point = {
            "timestamp": _now(),
            "tempC": zone["tempC"],
            "tempHeatSetC": zone.get("tempHeatSetC"),
            "tempCoolSetC": zone.get("tempCoolSetC"),
        }
        return web.json_response(
            {"zoneId": zone_id, "start": _now(), "end": _now(), "points": [point], "count": 1}
        )

    @routes.get("/api/hcu")
    async def hcu(request: web.Request) -> web.Response:
        return web.json_response(state.hcu_view())

    @routes.get("/api/heatpumps/{hp_id}")
    async def heat_pump(request: web.Request) -> web.Response:
        hp_id = request.match_info["hp_id"]
        if hp_id not in state.heat_pumps:
            return _error(404, "Heat pump not found", hpId=hp_id)
        return web.json_response(state.heat_pump_view(hp_id))

    @routes.get("/api/fcus/{fcu_id}")
    async def fcu(request: web.Request) -> web.Response:
        fcu_id = request.match_info["fcu_id"]
        if fcu_id not in state.fcus:
            return _error(404, "FCU not found", fcuId=fcu_id)
        return web.json_response(state.fcus[fcu_id])

    @routes.get("/api/dhw")
    async def dhw(request: web.Request) -> web.Response:
        if state.dhw is None:
            return _error(404, "No DHW tank")
        return web.json_response(state.dhw)

    @routes.get("/api/tes")
    async def tes(request: web.Request) -> web.Response:
        if state.tes is None:
            return _error(404, "No TES tank")
        return web.json_response(state.tes)

    @routes.get("/api/events")
    async def events(request: web.Request) -> web.Response:
        limit = int(request.query.get("limit", "100"))
        offset = int(request.query.get("offset", "0"))
        page = state.events[offset : offset + limit]
        return web.json_response(
            {"events": page, "metadata": {"count": len(page), "limit": limit, "offset": offset}}
        )

    # -- assumed (ARIS.md section 6), only with assumed_api ---------------------------------

    @routes.get("/api/heatpumps")
    async def heat_pumps(request: web.Request) -> web.Response:
        if state.heat_pump_list_answer is not None:
            status, text = state.heat_pump_list_answer
            kind = "text/html" if text.lstrip().startswith("<") else "application/json"
            return web.Response(status=status, text=text, content_type=kind)
        if not state.assumed_api:
            return _error(404, "Not found")
        items = [state.heat_pump_view(hp_id) for hp_id in state.heat_pumps]
        return web.json_response({"heatpumps": items, "metadata": {"count": len(items)}})

    @routes.get("/api/hcus")
    async def hcus(request: web.Request) -> web.Response:
        if not state.assumed_api:
            return _error(404, "Not found")
        return web.json_response({"hcus": [state.hcu_view()], "metadata": {"count": 1}})

    @routes.post("/api/hcu/command")
    async def hcu_command(request: web.Request) -> web.Response:
        if not state.assumed_api:
            return _error(404, "Not found")
        body = await request.json()
        mode = body.get("mode") if isinstance(body, dict) else None
        if mode not in ("heat", "cool", "auto", "off"):
            return _error(400, "Invalid mode", mode=str(mode))
        if mode == "off":
            state.hcu.update(mode="idle", state="standby")
            for pump in state.heat_pumps.values():
                pump["compressorSpeedPercent"] = 0
        else:
            state.hcu.update(mode="cool" if mode == "cool" else "heat", state="running")
        return web.json_response({"success": True, "hcuId": state.hcu["hcuId"], "command": body})

    @routes.post("/api/auth/login")
    async def login(request: web.Request) -> web.Response:
        if not state.assumed_api:
            return _error(404, "Not found")
        token = secrets.token_hex(16)
        state.tokens.add(token)
        return web.json_response({"token": token, "expiresAt": _now()})

    app = web.Application(middlewares=[knobs])
    app.add_routes(routes)
    app.add_routes(knob_routes(state))
    return app


def _apply_command(zone: dict[str, Any], body: dict[str, Any]) -> web.Response | None:
    """Validate, then apply; the setpoint that was not sent moves to keep the gap."""
    mode = body.get("mode")
    if mode is not None:
        allowed = {"off"}
        if zone["supportsHeat"]:
            allowed.add("heat")
        if zone["supportsCool"]:
            allowed.add("cool")
        if zone["supportsHeat"] and zone["supportsCool"]:
            allowed.add("auto")
        if mode not in allowed:
            return _error(400, f"Mode {mode} not supported by this zone", field="mode")
    for name in ("tempHeatSetC", "tempCoolSetC"):
        if name in body:
            value = body[name]
            if isinstance(value, bool) or not isinstance(value, int | float):
                return _error(400, f"{name} must be a number", field=name)
            if not 10 <= value <= 30:
                return _error(400, f"{name} must be between 10 and 30", field=name)
    if mode is not None:
        zone["mode"] = mode
    heat, cool = body.get("tempHeatSetC"), body.get("tempCoolSetC")
    if heat is not None and "tempHeatSetC" in zone:
        zone["tempHeatSetC"] = float(heat)
    if cool is not None and "tempCoolSetC" in zone:
        zone["tempCoolSetC"] = float(cool)
    if "tempHeatSetC" in zone and "tempCoolSetC" in zone:
        low, high = zone["tempHeatSetC"], zone["tempCoolSetC"]
        if high - low < GAP:
            if cool is None or heat is not None:  # move cool (also when both conflict)
                zone["tempCoolSetC"] = round(min(low + GAP, 30.0), 1)
                zone["tempHeatSetC"] = round(min(low, zone["tempCoolSetC"] - GAP), 1)
            else:  # only cool was sent: heat moves
                zone["tempHeatSetC"] = round(max(high - GAP, 10.0), 1)
                zone["tempCoolSetC"] = round(max(high, zone["tempHeatSetC"] + GAP), 1)
    return None


async def start(
    state: ArisState, host: str = "127.0.0.1", port: int = 0
) -> tuple[web.AppRunner, int]:
    """Serve ``state``; returns the runner (for cleanup) and the bound port."""
    return await serve(create_app(state), host, port)


async def _serve(port: int, token: str, assumed: bool) -> None:
    state = ArisState(tokens={token}, assumed_api=assumed)
    runner, bound = await start(state, "127.0.0.1", port)
    print(json.dumps({"aris_mock": f"http://127.0.0.1:{bound}", "token": token}), flush=True)
    try:
        while True:
            await asyncio.sleep(10)
            state.tick()
    finally:
        await runner.cleanup()


def main() -> None:
    """Command line: serve a Brain until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default="dev-token")
    parser.add_argument("--assumed-api", action="store_true")
    args = parser.parse_args()
    asyncio.run(_serve(args.port, args.token, args.assumed_api))


if __name__ == "__main__":
    main()
