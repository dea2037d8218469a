"""Config flow: menu, serial step with every error, reconfigure, options."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heliotherm_podero.const import (
    CONF_BAUDRATE,
    CONF_COUNTERS_INTERVAL,
    CONF_ELECTRICITY_METER,
    CONF_EXPERT,
    CONF_MODE,
    CONF_PORT,
    CONF_PROGRAM_FIRST_DAY,
    CONF_PROGRAM_LEVEL_NAMES,
    CONF_PROGRAMS_INTERVAL,
    CONF_READ_ONLY,
    CONF_SCAN_INTERVAL,
    CONF_SEASON_START,
    CONF_SERIAL_NUMBER,
    CONF_SETTINGS_INTERVAL,
    CONF_WRITE_WARNING,
    DOMAIN,
)
from custom_components.heliotherm_podero.flows import FLOW_MODES
from custom_components.heliotherm_podero.flows import serial as serial_flow
from tests.emulators.heliotherm_pump import PumpEmulator
from tests.emulators.rfc2217_bridge import Ser2net, ser2net_missing


@pytest.fixture(autouse=True)
def _short_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serial_flow, "PROBE_TIMEOUT", 0.2)


async def _serial_form(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == list(FLOW_MODES)  # every mode declared, in order
    assert next(iter(FLOW_MODES)) == "serial"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "serial"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "serial"
    return str(result["flow_id"])


async def test_serial_creates_entry(hass: HomeAssistant, pump_url: str) -> None:
    flow_id = await _serial_form(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_PORT: f" {pump_url} ", CONF_BAUDRATE: "19200"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Heliotherm 123456"
    assert result["data"] == {
        CONF_MODE: "serial",
        CONF_PORT: pump_url,
        CONF_BAUDRATE: 19200,
        CONF_SERIAL_NUMBER: 123456,
    }
    assert result["result"].unique_id == "123456"
    await hass.async_block_till_done()


@pytest.mark.parametrize(
    ("setup", "error"),
    [
        ("closed", "cannot_open"),
        ("silent", "no_answer"),
        ("garbled", "protocol_error"),
    ],
)
async def test_serial_errors_then_recovery(
    hass: HomeAssistant, pump: PumpEmulator, pump_url: str, setup: str, error: str
) -> None:
    flow_id = await _serial_form(hass)
    port = pump_url
    if setup == "closed":
        port = "socket://127.0.0.1:9"
    elif setup == "silent":
        pump.inject("silence", 4)
    else:
        original = pump.handle
        pump.handle = lambda command: [("RID,unknown", 0, False)]  # type: ignore[method-assign]
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_PORT: port, CONF_BAUDRATE: "19200"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_PORT: error}
    if setup == "garbled":
        pump.handle = original  # type: ignore[method-assign]
    pump.inject("silence", 0)
    pump._faults.clear()
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_PORT: pump_url, CONF_BAUDRATE: "19200"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


async def test_same_pump_twice_is_refused(
    hass: HomeAssistant, config_entry: MockConfigEntry, pump_url: str, pump: PumpEmulator
) -> None:
    other = await pump.start_tcp()  # the same pump on a second port
    pump_two = other.replace("socket://", "")
    flow_id = await _serial_form(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_PORT: f"socket://{pump_two}", CONF_BAUDRATE: "19200"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_re_adding_a_pump_on_its_port_is_already_configured(
    hass: HomeAssistant, pump_url: str, pump: PumpEmulator
) -> None:
    MockConfigEntry(domain=DOMAIN, unique_id="999", data={CONF_PORT: pump_url}).add_to_hass(hass)
    flow_id = await _serial_form(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_PORT: f" {pump_url}", CONF_BAUDRATE: "19200"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert pump.requests == []  # not probed: the running entry's link is left alone


async def test_usb_path_is_stored_as_by_id_alias(
    hass: HomeAssistant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, socket_enabled: None
) -> None:
    pump = PumpEmulator()
    pty_path = pump.start_pty()
    by_id = tmp_path / "by-id"
    by_id.mkdir()
    (by_id / "usb-FTDI_FT232R_USB_UART_A10K1234-if00-port0").symlink_to(pty_path)
    (by_id / "usb-0-other").symlink_to("/dev/null")
    monkeypatch.setattr(serial_flow, "BY_ID_DIR", str(by_id))
    try:
        flow_id = await _serial_form(hass)
        result = await hass.config_entries.flow.async_configure(
            flow_id, {CONF_PORT: pty_path, CONF_BAUDRATE: "9600"}
        )
        assert result["type"] is FlowResultType.CREATE_ENTRY
        assert result["data"][CONF_PORT] == str(
            by_id / "usb-FTDI_FT232R_USB_UART_A10K1234-if00-port0"
        )
        assert result["data"][CONF_BAUDRATE] == 9600
        await hass.async_block_till_done()
        assert await hass.config_entries.async_unload(result["result"].entry_id)
    finally:
        await pump.stop()


def test_stable_port_leaves_other_ports_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert serial_flow.stable_port("socket://host:4001") == "socket://host:4001"
    monkeypatch.setattr(serial_flow, "BY_ID_DIR", str(tmp_path / "missing"))
    assert serial_flow.stable_port("/dev/ttyUSB0") == "/dev/ttyUSB0"
    monkeypatch.setattr(serial_flow, "BY_ID_DIR", str(tmp_path))
    assert serial_flow.stable_port("/dev/ttyUSB7") == "/dev/ttyUSB7"
    assert serial_flow.stable_port(f"{tmp_path}/x") == f"{tmp_path}/x"


async def _reconfigure(
    hass: HomeAssistant, entry: MockConfigEntry, user_input: dict[str, Any]
) -> dict[str, Any]:
    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure_serial"
    return dict(await hass.config_entries.flow.async_configure(result["flow_id"], user_input))


async def test_reconfigure_changes_port(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, pump: PumpEmulator
) -> None:
    new_url = await pump.start_tcp()  # the same pump behind another bridge port
    result = await _reconfigure(hass, loaded_entry, {CONF_PORT: new_url, CONF_BAUDRATE: "38400"})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert loaded_entry.data[CONF_PORT] == new_url
    assert loaded_entry.data[CONF_BAUDRATE] == 38400


async def test_reconfigure_refuses_another_pump(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, pump: PumpEmulator, pump_url: str
) -> None:
    pump.state.serial_number = 777
    result = await _reconfigure(hass, loaded_entry, {CONF_PORT: pump_url, CONF_BAUDRATE: "19200"})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_device"


async def test_reconfigure_errors(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, pump_url: str
) -> None:
    result = await _reconfigure(
        hass, loaded_entry, {CONF_PORT: "socket://127.0.0.1:9", CONF_BAUDRATE: "19200"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_PORT: "cannot_open"}
    MockConfigEntry(
        domain=DOMAIN, unique_id="5", data={CONF_PORT: "socket://127.0.0.1:1"}
    ).add_to_hass(hass)
    again = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PORT: "socket://127.0.0.1:1", CONF_BAUDRATE: "19200"}
    )
    assert again["errors"] == {CONF_PORT: "cannot_open"}


async def test_reconfigure_port_in_use(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, pump: PumpEmulator
) -> None:
    other = await pump.start_tcp()
    MockConfigEntry(domain=DOMAIN, unique_id="5", data={CONF_PORT: other}).add_to_hass(hass)
    result = await _reconfigure(hass, loaded_entry, {CONF_PORT: other, CONF_BAUDRATE: "19200"})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_PORT: "port_in_use"}


async def test_options_flow(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    result = await hass.config_entries.options.async_init(loaded_entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    options = {
        CONF_SCAN_INTERVAL: 60,
        CONF_SETTINGS_INTERVAL: 600,
        CONF_COUNTERS_INTERVAL: 7200,
        CONF_PROGRAMS_INTERVAL: 1800,
        CONF_READ_ONLY: True,
        CONF_EXPERT: False,
        CONF_WRITE_WARNING: 5,
        CONF_PROGRAM_FIRST_DAY: "sunday",
        CONF_PROGRAM_LEVEL_NAMES: "Normal, Comfort",
        CONF_ELECTRICITY_METER: "sensor.house_heat_pump_meter",
        CONF_SEASON_START: "10",
    }
    result = await hass.config_entries.options.async_configure(result["flow_id"], options)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert loaded_entry.options == options
    runtime = loaded_entry.runtime_data  # reloaded with the new options
    coordinator = runtime.coordinator
    assert coordinator.source.read_only
    assert runtime.wear.limit == 5
    assert coordinator.update_interval is not None
    assert coordinator.update_interval.total_seconds() == 60
    assert (coordinator.settings_interval, coordinator.counters_interval) == (600, 7200)
    assert runtime.programs is not None
    assert runtime.programs.update_interval == timedelta(minutes=30)
    assert (runtime.efficiency.meter, runtime.efficiency.season_start) == (
        "sensor.house_heat_pump_meter",
        10,
    )


@pytest.mark.skipif(ser2net_missing(), reason="ser2net is not installed")
async def test_serial_over_rfc2217_through_ser2net(
    hass: HomeAssistant, socket_enabled: None
) -> None:
    """rfc2217:// to ser2net in front of a 19200 pump: a wrong rate is "no answer", then set up."""
    pump = PumpEmulator()
    pump.line_baudrate = 19200
    bridge = Ser2net(pump.start_pty(), 19200)
    await hass.async_add_executor_job(bridge.start)
    try:
        flow_id = await _serial_form(hass)
        result = await hass.config_entries.flow.async_configure(
            flow_id, {CONF_PORT: bridge.rfc2217_url, CONF_BAUDRATE: "9600"}
        )
        assert result["errors"] == {CONF_PORT: "no_answer"}
        assert pump.garbled_bytes > 0 and pump.requests == []
        result = await hass.config_entries.flow.async_configure(
            flow_id, {CONF_PORT: bridge.rfc2217_url, CONF_BAUDRATE: "19200"}
        )
        assert result["type"] is FlowResultType.CREATE_ENTRY
        assert result["data"][CONF_PORT] == bridge.rfc2217_url
        await hass.async_block_till_done()
        assert hass.states.get("sensor.heliotherm_123456_outdoor_temperature") is not None
    finally:
        for entry in hass.config_entries.async_entries(DOMAIN):
            await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_add_executor_job(bridge.close)
        await pump.stop()
