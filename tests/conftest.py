"""Fixtures for the Home Assistant tests: the pump emulator on TCP and a config entry for it."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from unittest.mock import PropertyMock, patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import MAJOR_VERSION, MINOR_VERSION
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceEntry
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from custom_components.heliotherm_podero.const import (
    CONF_BAUDRATE,
    CONF_MODE,
    CONF_PORT,
    CONF_SERIAL_NUMBER,
    DOMAIN,
)
from tests.emulators.heliotherm_pump import SERIAL_NUMBER, PumpEmulator


def _plugins() -> list[str]:
    """Each mode's fixtures (tests/<mode>/fixtures.py: its entry, its ``Mode`` for the suite of
    every mode) and each mock (tests/sources/<name>/mock.py), for every test that asks."""
    tests = Path(__file__).parent
    # The mocks first: a mode's fixtures import its mock, which must be a plugin by then.
    found = [*sorted(tests.glob("sources/*/mock.py")), *sorted(tests.glob("*/fixtures.py"))]
    return [".".join(path.relative_to(tests.parent).with_suffix("").parts) for path in found]


pytest_plugins = _plugins()


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration from custom_components/."""


DEPRECATION_MARK = "Detected that custom integration 'heliotherm_podero'"


class DeprecationGuard(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if DEPRECATION_MARK in message:
            self.messages.append(message)


@pytest.fixture(autouse=True)
def no_deprecation_reports() -> Iterator[None]:
    """Fail any test during which Home Assistant reports a deprecation about this integration.

    Home Assistant's frame helper logs "Detected that custom integration ..." for every
    deprecated use it sees: caught the day a release starts to report it.
    """
    collect = DeprecationGuard()
    root = logging.getLogger()
    root.addHandler(collect)
    try:
        yield
    finally:
        root.removeHandler(collect)
    assert collect.messages == []


@pytest.fixture(autouse=True)
def no_late_window() -> Iterator[None]:
    """No waiting for late replies after a fault in the Home Assistant tests.

    Their clock is frozen (freezer), so a drain that waits for time to pass would wait
    forever; over TCP a late reply goes to the closed connection anyway. The drain itself is
    tested with a running clock in tests/sources.
    """
    with patch("custom_components.heliotherm_podero.sources.heliotherm.session.LATE_WINDOW", 0.0):
        yield


class PerStackSnapshotExtension(HomeAssistantSnapshotExtension):  # type: ignore[misc]
    """Snapshots per Home Assistant release series: registry entries gain fields over time."""

    @classmethod
    def dirname(cls, *, test_location: Any) -> str:
        """``snapshots/ha<major>.<minor>`` beside the test module."""
        base = Path(super().dirname(test_location=test_location))
        return str(base / f"ha{MAJOR_VERSION}.{MINOR_VERSION}")


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots in Home Assistant's format (no timestamps, stable registry entries)."""
    return snapshot.use_extension(PerStackSnapshotExtension)


def pump_device(hass: HomeAssistant, entry_id: str) -> DeviceEntry:
    """The pump's device, found through its config entry (works on every supported release)."""
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry_id)
    assert len(devices) == 1
    return devices[0]


def state_of(hass: HomeAssistant, entity_id: str) -> State:
    """An entity's state, which must exist."""
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state


def device_of(hass: HomeAssistant, entry: MockConfigEntry, key: str) -> DeviceEntry | None:
    """The entry's device with the source's device ``key``, if registered."""
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    return next((d for d in devices if (DOMAIN, key) in d.identifiers), None)


async def add_through_the_flow(
    hass: HomeAssistant, mode: str, form: dict[str, Any]
) -> dict[str, Any]:
    """Add an entry as a user does: the menu, the mode's form; returns the flow's result."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": "user"})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": mode}
    )
    return dict(await hass.config_entries.flow.async_configure(result["flow_id"], form))


async def tick(hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta) -> None:
    """Let ``delta`` pass and everything due in it run."""
    freezer.tick(delta)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


@pytest.fixture
def entity_registry_enabled_by_default() -> Iterator[None]:
    """Create every entity enabled (what Home Assistant core's fixture of that name does)."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        return_value=True,
        new_callable=PropertyMock,
    ):
        yield


@pytest.fixture
async def pump(hass: HomeAssistant, socket_enabled: None) -> AsyncIterator[PumpEmulator]:
    """A static-valued pump on 127.0.0.1 with every quirk on."""
    emulator = PumpEmulator()
    # The pump's clock runs on Home Assistant's local time (the test zone, not the host's).
    emulator.state.clock_offset = dt_util.now().replace(tzinfo=None) - datetime.now()
    await emulator.start_tcp()
    yield emulator
    await emulator.stop()


@pytest.fixture
def pump_url(pump: PumpEmulator) -> str:
    """The emulator's socket:// URL."""
    return f"socket://127.0.0.1:{pump.port}"


@pytest.fixture
def device_id(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> str:
    """The loaded pump's device ID, as the services take it."""
    return pump_device(hass, loaded_entry.entry_id).id


@pytest.fixture
def options() -> dict[str, Any]:
    """Entry options (override in a test module)."""
    return {}


@pytest.fixture
def config_entry(hass: HomeAssistant, pump_url: str, options: dict[str, Any]) -> MockConfigEntry:
    """A serial entry pointing at the emulator."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=f"Heliotherm {SERIAL_NUMBER}",
        unique_id=str(SERIAL_NUMBER),
        data={
            CONF_MODE: "serial",
            CONF_PORT: pump_url,
            CONF_BAUDRATE: 19200,
            CONF_SERIAL_NUMBER: SERIAL_NUMBER,
        },
        options=options,
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
async def loaded_entry(hass: HomeAssistant, config_entry: MockConfigEntry) -> MockConfigEntry:
    """The entry, set up."""
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    return config_entry
