"""Config flow for the Aris Brain: every step and error branch, reconfigure and options."""

from __future__ import annotations

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heliotherm_podero.const import DOMAIN
from tests.emulators.aris_server import ArisState
from tests.sources.aris.mock import TOKEN


async def _aris_form(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "aris"}
    )
    assert result["type"] is FlowResultType.FORM and result["step_id"] == "aris"
    return str(result["flow_id"])


async def test_create_entry_with_every_error_first(
    hass: HomeAssistant, aris_host: str, aris: ArisState
) -> None:
    flow_id = await _aris_form(hass)
    configure = hass.config_entries.flow.async_configure
    result = await configure(flow_id, {"host": "127.0.0.1:9", "token": TOKEN})
    assert result["errors"] == {"host": "brain_unreachable"}
    result = await configure(flow_id, {"host": aris_host, "token": "wrong"})
    assert result["errors"] == {"token": "token_refused"}
    aris.malformed = True
    result = await configure(flow_id, {"host": aris_host, "token": TOKEN})
    assert result["errors"] == {"host": "not_aris"}
    aris.malformed = False
    result = await configure(
        flow_id, {"host": aris_host, "token": TOKEN, "heat_pump_ids": "hp_outdoor_1, hp_9"}
    )
    assert result["errors"] == {"heat_pump_ids": "unknown_heat_pump"}
    result = await configure(
        flow_id, {"host": aris_host, "token": TOKEN, "heat_pump_ids": "hp_outdoor_1"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Aris Brain"
    assert TOKEN not in result["title"]
    entry = result["result"]
    assert entry.unique_id == "aris_hcu_main"
    assert entry.options == {"heat_pump_ids": "hp_outdoor_1"}
    await hass.async_block_till_done()
    assert hass.states.get("sensor.heat_pump_hp_outdoor_1_compressor_speed") is not None
    # The same Brain again: aborted.
    flow_id = await _aris_form(hass)
    result = await configure(flow_id, {"host": aris_host, "token": TOKEN})
    assert result["reason"] == "already_configured"


async def test_reconfigure_changes_host_and_token(
    hass: HomeAssistant, aris_loaded: MockConfigEntry, aris_host: str, aris: ArisState
) -> None:
    aris.tokens.add("second")
    result = await aris_loaded.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure_aris"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"host": "127.0.0.1:9", "token": "second"}
    )
    assert result["errors"] == {"host": "brain_unreachable"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"host": f"http://{aris_host}", "token": "second"}
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert aris_loaded.data["token"] == "second"
    assert hass.states.get("climate.living_room") is not None


async def test_options_check_the_heat_pump_ids(
    hass: HomeAssistant, aris_loaded: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(aris_loaded.entry_id)
    assert result["step_id"] == "aris"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"scan_interval": 60, "read_only": True, "heat_pump_ids": "hp_x"}
    )
    assert result["errors"] == {"heat_pump_ids": "unknown_heat_pump"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {"scan_interval": 60, "read_only": True, "heat_pump_ids": "", "fcu_ids": "fcu_x"},
    )
    assert result["errors"] == {"fcu_ids": "unknown_fcu"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {"scan_interval": 60, "read_only": True, "heat_pump_ids": "", "fcu_ids": ""},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    # Read-only: the zone's climate offers no writes; the heat pump is gone with its id.
    state = hass.states.get("climate.living_room")
    assert state is not None and state.attributes["supported_features"] == 0
    assert hass.states.get("sensor.heat_pump_hp_outdoor_1_compressor_speed") is None
    assert hass.states.get("sensor.office_fan_coil_mode") is None


async def test_options_keep_what_was_set_while_the_brain_is_unreachable(
    hass: HomeAssistant, aris_loaded: MockConfigEntry, aris: ArisState
) -> None:
    before = dict(aris_loaded.options)
    result = await hass.config_entries.options.async_init(aris_loaded.entry_id)
    aris.fail_status = 503
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"scan_interval": 60, "read_only": True, "heat_pump_ids": "hp_outdoor_1"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "brain_unreachable"}
    assert dict(aris_loaded.options) == before
