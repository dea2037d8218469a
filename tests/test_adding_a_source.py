"""The worked example of ARCHITECTURE.md ("Adding a source") runs as it is written there.

Its code blocks are loaded as the modules their first lines name, its flow is added to the
modes declared, and an Acme pump (a small mock here) is set up through the config flow, shown,
written to, refused and kept read-only, as an owner would use it.
"""

from __future__ import annotations

import re
import sys
import types
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er

from custom_components.heliotherm_podero.const import CONF_READ_ONLY, DOMAIN
from custom_components.heliotherm_podero.flows import FLOW_MODES
from custom_components.heliotherm_podero.sources.commands import WritePoints
from tests.emulators.http_mock import serve

ARCHITECTURE = Path(__file__).parents[1] / "ARCHITECTURE.md"
BLOCK = re.compile(r"```python\n# (custom_components/heliotherm_podero/\S+)\.py\n(.*?)```", re.S)


def example_blocks() -> dict[str, str]:
    """The example's code by module name ("custom_components.heliotherm_podero.flows.acme")."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    section = text[text.index("## Adding a source") :]
    return {path.replace("/", "."): code for path, code in BLOCK.findall(section)}


def load_example(monkeypatch: pytest.MonkeyPatch) -> dict[str, types.ModuleType]:
    """Each block as the module its first line names (its packages made as needed)."""
    modules: dict[str, types.ModuleType] = {}
    for name, code in example_blocks().items():
        package = name.rpartition(".")[0]
        parent = package
        while parent not in sys.modules:  # sources/acme/ is new: an empty package
            holder = types.ModuleType(parent)
            holder.__path__ = []
            monkeypatch.setitem(sys.modules, parent, holder)
            parent = parent.rpartition(".")[0]
        module = types.ModuleType(name)
        module.__package__ = package
        monkeypatch.setitem(sys.modules, name, module)
        exec(compile(code, f"ARCHITECTURE.md ({name})", "exec", dont_inherit=True), vars(module))
        modules[name] = module
    return modules


@dataclass
class AcmePump:
    """What the mock pump holds, and what it was asked."""

    status: dict[str, Any] = field(
        default_factory=lambda: {
            "serial": "A1",
            "flow_c": 35.2,
            "outdoor_c": 4.1,
            "mode": "heat",
            "boost": False,
            "dhw_c": 48.0,
        }
    )
    patches: list[dict[str, Any]] = field(default_factory=list)
    html: bool = False  # answer a web page instead of JSON


@pytest.fixture
async def acme(socket_enabled: None) -> AsyncIterator[tuple[AcmePump, str]]:
    """The mock pump on a free port, and its host."""
    pump = AcmePump()

    async def status(request: web.Request) -> web.Response:
        if pump.html:
            return web.Response(text="<html>router login</html>", content_type="text/html")
        if request.method == "PATCH":
            body = await request.json()
            pump.patches.append(body)
            pump.status.update(body)
        return web.json_response(pump.status)

    app = web.Application()
    app.router.add_route("*", "/api/status", status)
    runner, port = await serve(app, "127.0.0.1", 0)
    yield pump, f"127.0.0.1:{port}"
    await runner.cleanup()


@pytest.fixture
def acme_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """The example's mode, declared as the docs say: its flow in FLOW_MODES."""
    flows = load_example(monkeypatch)["custom_components.heliotherm_podero.flows.acme"]
    monkeypatch.setitem(FLOW_MODES, "acme", flows.AcmeFlow())


def test_the_example_is_two_files_of_about_a_hundred_lines() -> None:
    blocks = example_blocks()
    assert set(blocks) == {
        "custom_components.heliotherm_podero.sources.acme.source",
        "custom_components.heliotherm_podero.flows.acme",
    }
    assert sum(code.count("\n") for code in blocks.values()) < 130


async def _add(hass: HomeAssistant, host: str) -> dict[str, Any]:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    menu: list[str] = result["menu_options"]  # type: ignore[assignment]
    assert menu[-1] == "acme"  # the menu learned the mode
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "acme"}
    )
    assert result["step_id"] == "acme"
    return dict(await hass.config_entries.flow.async_configure(result["flow_id"], {"host": host}))


def _entity(hass: HomeAssistant, field_name: str) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(
        {"boost": "switch", "pump_mode": "select", "hot_water_setpoint": "number"}.get(
            field_name, "sensor"
        ),
        DOMAIN,
        f"A1_pump.{field_name}",
    )
    assert entity_id is not None, field_name
    return entity_id


@pytest.mark.usefixtures("acme_mode")
async def test_the_example_runs_as_written(hass: HomeAssistant, acme: tuple[AcmePump, str]) -> None:
    pump, host = acme
    result = await _add(hass, host)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Acme A1"
    assert result["data"] == {"mode": "acme", "host": host}
    await hass.async_block_till_done()
    state = hass.states.get(_entity(hass, "flow_temperature"))
    assert state is not None and state.state == "35.2"

    boost = _entity(hass, "boost")
    await hass.services.async_call("switch", "turn_on", {"entity_id": boost}, blocking=True)
    await hass.services.async_call(
        "select",
        "select_option",
        {"entity_id": _entity(hass, "pump_mode"), "option": "eco"},
        blocking=True,
    )
    assert pump.patches == [{"boost": True}, {"mode": "eco"}]
    state = hass.states.get(boost)
    assert state is not None and state.state == "on"  # what the pump reported

    entry = hass.config_entries.async_entries(DOMAIN)[0]
    door = entry.runtime_data.coordinator
    for key, value in (("pump.outdoor_temperature", 5.0), ("pump.nothing", 1.0), ("pump.boost", 1)):
        with pytest.raises(ServiceValidationError):  # the source's own check
            await door.async_command(WritePoints({key: value}))
    setpoint = _entity(hass, "hot_water_setpoint")
    with pytest.raises(ServiceValidationError):  # above 60: refused before sending
        await hass.services.async_call(
            "number", "set_value", {"entity_id": setpoint, "value": 70}, blocking=True
        )
    assert len(pump.patches) == 2

    hass.config_entries.async_update_entry(entry, options={CONF_READ_ONLY: True})
    await hass.async_block_till_done()
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call("switch", "turn_off", {"entity_id": boost}, blocking=True)
    assert caught.value.translation_key == "read_only_mode"
    assert len(pump.patches) == 2


@pytest.mark.usefixtures("acme_mode")
async def test_the_examples_form_tells_a_web_page_from_no_answer(
    hass: HomeAssistant, acme: tuple[AcmePump, str]
) -> None:
    pump, host = acme
    pump.html = True
    result = await _add(hass, host)
    assert result["errors"] == {"host": "invalid_answer"}  # the most specific row
    result = await _add(hass, "127.0.0.1:9")
    assert result["errors"] == {"host": "cannot_connect"}
