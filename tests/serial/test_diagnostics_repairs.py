"""Diagnostics (snapshot, nothing identifying) and the clock-drift repair."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.heliotherm_podero.const import DOMAIN
from tests.emulators.heliotherm_pump import PumpEmulator


async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: Any,
    loaded_entry: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    result = await get_diagnostics_for_config_entry(hass, hass_client, loaded_entry)
    assert "123456" not in str(result)
    assert "654321" not in str(result)  # the property number
    assert result == snapshot(exclude=props("port", "last_duration_s", "clock_drift_s"))


async def test_clock_drift_issue_and_fix(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    pump: PumpEmulator,
    hass_client: Any,
    issue_registry: ir.IssueRegistry,
) -> None:
    pump.state.clock_offset += timedelta(minutes=12)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    issue_id = f"clock_drift_{config_entry.entry_id}"
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "clock_ahead"
    assert issue.translation_placeholders == {"minutes": "12", "name": "Heliotherm 123456"}

    assert await async_setup_component(hass, "repairs", {})
    client = await hass_client()
    response = await client.post(
        "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": issue_id}
    )
    flow = await response.json()
    assert flow["step_id"] == "confirm"
    assert flow["description_placeholders"] == {"name": "Heliotherm 123456"}
    response = await client.post(f"/api/repairs/issues/fix/{flow['flow_id']}", json={})
    assert (await response.json())["type"] == "create_entry"
    await hass.async_block_till_done()
    assert [r for r in pump.write_requests() if r.startswith("CLK,")]
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_clock_repair_when_entry_is_unloaded(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    pump: PumpEmulator,
    hass_client: Any,
) -> None:
    pump.state.clock_offset += timedelta(minutes=-30)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert await async_setup_component(hass, "repairs", {})
    client = await hass_client()
    issue_id = f"clock_drift_{config_entry.entry_id}"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert (issue.translation_key, issue.translation_placeholders) == (
        "clock_behind",
        {"minutes": "30", "name": "Heliotherm 123456"},
    )
    response = await client.post(
        "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": issue_id}
    )
    flow = await response.json()
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    response = await client.post(f"/api/repairs/issues/fix/{flow['flow_id']}", json={})
    result = await response.json()
    assert result["type"] == "abort", result
    assert result["reason"] == "not_loaded"
    assert pump.write_requests() == []
