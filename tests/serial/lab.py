"""The serial mode's lab: the pump emulator on TCP (and, lively, its knobs over HTTP).

Static, its entities read as the snapshots of the test stacks show them: the smoke stage
compares every one of them (``check``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from aiohttp import web

from tests.emulators.heliotherm_pump import PumpEmulator
from tests.emulators.http_mock import call_routes, serve
from tests.labs import HomeAssistantApi, LabDevice, Write, knob

SNAPSHOTS = Path(__file__).parent / "snapshots"
ROOM_SETPOINT = "number.heliotherm_123456_room_setpoint"
CONTROL_OFFSET = 10  # the knobs listen 10 ports above the pump (4011 beside 4001)

type Reading = tuple[str | None, ...]  # state, unit, then COMPARED_ATTRIBUTES
COMPARED_ATTRIBUTES = ("current_temperature", "temperature")  # a climate's, a water heater's


class SerialLab:
    """A pump as over a serial link: 19200 baud and a 60 ms turnaround when lively."""

    develop_port = 4001

    async def start(self, port: int, *, lively: bool) -> LabDevice:
        pump = PumpEmulator()  # static: the smoke stage compares it with the snapshots
        if lively:
            pump = PumpEmulator(baudrate=19200, turnaround=0.06, dynamic=True)
        url = await pump.start_tcp("127.0.0.1", port)
        app = web.Application()
        app.add_routes(call_routes(pump))
        knobs, bound = await serve(app, "127.0.0.1", port + CONTROL_OFFSET if port else 0)
        control = f"127.0.0.1:{bound}"

        async def stop() -> None:
            await knobs.cleanup()
            await pump.stop()

        return LabDevice(
            form={"port": url, "baudrate": "19200"},
            write=Write("number", "set_value", ROOM_SETPOINT, {"value": 21.5}),
            stop=stop,
            raise_fault=knob(control, "add_fault", code=9, message="HD Schalter"),
            clear_fault=knob(control, "clear_fault"),
            about="shown within 30 s; scripts/develop --ser2net adds a second pump behind ser2net",
            check=same_as_the_snapshots,
        )


LAB = SerialLab()


def snapshot_states(release: str) -> dict[str, Reading]:
    """State, unit and temperatures of every serial entity in one release series' snapshots."""
    text = (SNAPSHOTS / release / "test_platforms.ambr").read_text()
    states: dict[str, Reading] = {}
    for block in text.split("# name: ")[1:]:
        name = re.match(r"test_entities\[[^\]]+\]\[([\w.]+)-state\]", block)
        state = re.search(r"^    'state': '(.*)',$", block, re.MULTILINE)
        if name is None or state is None:
            continue
        # 'unit_of_measurement': 'h' (2025.4), <EntityStateAttribute...: 'unit_of_measurement'>: 'h'
        unit = re.search(r"'unit_of_measurement'>?: (?:<[\w.]+: )?'([^']*)'", block)
        found = [re.search(rf"'{a}'>?: ([-\d.]+|None),", block) for a in COMPARED_ATTRIBUTES]
        temperatures = [m.group(1) if m and m.group(1) != "None" else None for m in found]
        states[name.group(1)] = (state.group(1), unit.group(1) if unit else None, *temperatures)
    return states


def _reading(state: dict[str, Any]) -> Reading:
    attributes = state["attributes"]
    temperatures = [attributes.get(a) for a in COMPARED_ATTRIBUTES]
    return (
        state["state"],
        attributes.get("unit_of_measurement"),
        *(None if t is None else str(t) for t in temperatures),
    )


class SnapshotsDisagree(Exception):
    """The live pump's entities read otherwise than the test stacks' snapshots."""


async def same_as_the_snapshots(hass: HomeAssistantApi) -> str:
    """Every serial entity reads as the snapshots of the test stacks (2025.4, 2026.10) show it."""
    releases = sorted(path.name for path in SNAPSHOTS.glob("ha*"))
    older = [snapshot_states(release) for release in releases]
    if len(older) < 2 or any(states != older[0] for states in older):
        raise SnapshotsDisagree(f"the snapshots of {', '.join(releases)} disagree")
    compared, differ = 0, []
    for entity_id in await hass.entities():
        if entity_id not in older[0]:
            continue  # another mode's, or one the snapshot tests do not cover
        live = _reading(await hass.state(entity_id))
        compared += 1
        if live != older[0][entity_id]:
            differ.append(f"{entity_id}: {live} here, {older[0][entity_id]} before")
    if compared < 30 or differ:
        raise SnapshotsDisagree(f"{compared} compared; differing: " + "; ".join(differ))
    return f"{compared} serial entities read as in the snapshots of {', '.join(releases)}"
