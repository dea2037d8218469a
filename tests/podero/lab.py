"""The Podero mode's lab: the Partner API mock with one user and two heat pumps."""

from __future__ import annotations

from tests.emulators.podero_server import (
    CLIENT_ID,
    CLIENT_SECRET,
    ORG_ID,
    USER_ID,
    PoderoState,
    start,
)
from tests.labs import LabDevice, Ticker, Write, knob, stopping

CONNECTION = "connection_status"
TICK = 60.0  # seconds between the lively pumps' moves


class PoderoLab:
    """A Podero partner account; lively, the pumps' power moves every minute."""

    develop_port = 8082

    async def start(self, port: int, *, lively: bool) -> LabDevice:
        state = PoderoState()
        runner, bound = await start(state, "127.0.0.1", port)
        stop = stopping(runner, Ticker(state.tick, TICK) if lively else None)

        pump = next(iter(state.heat_pumps))
        raise_fault, clear_fault = (
            knob(f"127.0.0.1:{bound}", "set_status", pump_id=pump, status=CONNECTION, value=value)
            for value in ("error", "ok")
        )
        return LabDevice(
            form={
                "environment": "custom",
                # A host name: Home Assistant's resolver must look it up.
                "base_url": f"http://localhost:{bound}",
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "org_id": ORG_ID,
                "user_id": USER_ID,
            },
            write=Write(
                "select", "select_option", "select.nibe_f2120_optimisation_level", {"option": "max"}
            ),
            stop=stop,
            raise_fault=raise_fault,
            clear_fault=clear_fault,
            about="the mock's own credentials, no secret; shown within 5 min",
        )


LAB = PoderoLab()
