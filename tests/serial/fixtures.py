"""The serial mode's ``Mode`` for the suite of every mode (its pump: tests/conftest.py)."""

from __future__ import annotations

import pytest
from homeassistant.const import ATTR_ENTITY_ID

from tests.emulators.heliotherm_pump import PumpEmulator
from tests.mode_suite import Mode


@pytest.fixture
def every_mode_serial(request: pytest.FixtureRequest) -> Mode:
    """The pump emulator on TCP and an entry for it."""
    pump: PumpEmulator = request.getfixturevalue("pump")
    port = pump.port or 0

    async def mend() -> None:
        await pump.start_tcp(port=port)

    return Mode(
        name="serial",
        entry=request.getfixturevalue("config_entry"),
        shown=("sensor.heliotherm_123456_outdoor_temperature", "4.8"),
        write=(
            "number",
            "set_value",
            {ATTR_ENTITY_ID: "number.heliotherm_123456_room_setpoint", "value": 21.5},
        ),
        break_link=pump.stop,
        mend_link=mend,
        writes=lambda: len(pump.write_requests()),
        requests=lambda: len(pump.requests),
        secrets=("123456", "654321"),  # serial and property number
        form={"port": "socket://127.0.0.1:9", "baudrate": "19200"},
        probe="custom_components.heliotherm_podero.flows.serial.probe_serial_pump",
    )
