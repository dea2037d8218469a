"""The Aris mode's lab: the Brain mock with two zones, an HCU, a heat pump and two tanks."""

from __future__ import annotations

from tests.emulators.aris_server import ArisState, start
from tests.labs import LabDevice, Ticker, Write, knob, stopping

TOKEN = "dev-token"
HEAT_PUMP = "hp_outdoor_1"
TICK = 10.0  # seconds between the lively Brain's moves


class ArisLab:
    """A Brain on the local network; lively, its counters grow and temperatures move."""

    develop_port = 8081

    async def start(self, port: int, *, lively: bool) -> LabDevice:
        state = ArisState(tokens={TOKEN})
        runner, bound = await start(state, "127.0.0.1", port)
        stop = stopping(runner, Ticker(state.tick, TICK) if lively else None)

        address = f"127.0.0.1:{bound}"
        return LabDevice(
            form={"host": address, "token": TOKEN, "heat_pump_ids": HEAT_PUMP},
            write=Write(
                "climate",
                "set_temperature",
                "climate.living_room",
                {"target_temp_low": 20.5, "target_temp_high": 24.5},
            ),
            stop=stop,
            raise_fault=knob(address, "add_fault", device=HEAT_PUMP, code="E101"),
            clear_fault=knob(address, "clear_faults", device=HEAT_PUMP),
            about="shown within 30 s",
        )


LAB = ArisLab()
