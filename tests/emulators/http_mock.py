"""Serving an aiohttp mock on a local port (shared by the Aris and Podero mocks).

A mock run by hand (``scripts/develop``) takes its knobs over HTTP too: ``POST /_mock/knobs``
with a JSON object sets those fields of its state (a list where the field is a set), e.g.
``curl -X POST 127.0.0.1:8082/_mock/knobs -d '{"hidden_from_list": ["<pump id>"]}'``; and
``POST /_mock/call/<knob>`` calls one of the state's knob methods with the JSON object as its
arguments, e.g. ``curl -X POST 127.0.0.1:8081/_mock/call/add_fault -d '{"device":
"hp_outdoor_1", "code": "E101"}'``.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
from typing import Any

from aiohttp import web

MOCK_PREFIX = "/_mock/"  # the test's own channel: no credentials, never counted
KNOBS_PATH = MOCK_PREFIX + "knobs"


def knob_routes(state: Any) -> list[web.RouteDef]:
    """``POST /_mock/knobs``: set fields of ``state`` (a dataclass) from a JSON object."""

    async def set_knobs(request: web.Request) -> web.Response:
        body = await _body(request)
        if isinstance(body, web.Response):
            return body
        names = {f.name for f in dataclasses.fields(state)}
        if not isinstance(body, dict) or not set(body) <= names:
            return web.json_response({"error": "unknown knobs", "knobs": sorted(names)}, status=400)
        for name, value in body.items():
            current = getattr(state, name)
            setattr(state, name, set(value) if isinstance(current, set) else value)
        return web.json_response({name: str(getattr(state, name)) for name in body})

    return [web.post(KNOBS_PATH, set_knobs), *call_routes(state)]


def call_routes(target: Any) -> list[web.RouteDef]:
    """``POST /_mock/call/<knob>``: call one of ``target.KNOB_METHODS`` with the JSON object."""

    async def call_knob(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        known: tuple[str, ...] = getattr(target, "KNOB_METHODS", ())
        if name not in known:
            return web.json_response({"error": "unknown knob", "knobs": known}, status=400)
        body = await _body(request)
        if isinstance(body, web.Response):
            return body
        if not isinstance(body, dict):
            return _refused(f"{name} takes a JSON object of its arguments")
        method = getattr(target, name)
        try:
            inspect.signature(method).bind(**body)
        except TypeError as err:  # a missing or unknown argument
            return _refused(f"{name}{inspect.signature(method)}: {err}")
        try:
            result = method(**body)
        except (KeyError, IndexError, ValueError) as err:  # an unknown device, a bad value
            return _refused(f"{name}: {type(err).__name__} {err}")
        return web.json_response({"result": result})

    return [web.post(MOCK_PREFIX + "call/{name}", call_knob)]


def _refused(message: str) -> web.Response:
    """A knob request the mock cannot carry out: 400 and why (never a traceback)."""
    return web.json_response({"error": message}, status=400)


async def _body(request: web.Request) -> Any:
    """The request's JSON (an empty body is no arguments), or the 400 answer saying why."""
    text = await request.text()
    if not text.strip():
        return {}
    try:
        return json.loads(text)
    except ValueError as err:
        return _refused(f"not JSON: {err}")


async def serve(app: web.Application, host: str, port: int) -> tuple[web.AppRunner, int]:
    """Serve ``app``; returns the runner (for cleanup) and the bound port (``port`` 0: any)."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    server = site._server
    assert server is not None
    bound = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
    return runner, int(bound)
