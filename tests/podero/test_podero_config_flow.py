"""Config flow for Podero: every step and error branch, reauth, reconfigure and options."""

from __future__ import annotations

from importlib.metadata import version

import pytest
from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heliotherm_podero.const import DOMAIN
from custom_components.heliotherm_podero.sources.factory import podero_base_url
from custom_components.heliotherm_podero.sources.podero.client import PRODUCTION_URL, SANDBOX_URL
from tests.emulators.podero_server import (
    CLIENT_ID,
    CLIENT_SECRET,
    ORG_ID,
    USER_ID,
    PoderoState,
)
from tests.podero.fixtures import podero_data


def _form(url: str, **changes: str) -> dict[str, str]:
    """The flow's form for the mock: the entry data without the mode."""
    fields = {key: value for key, value in podero_data(url).items() if key != "mode"}
    return {**fields, **changes}


async def _podero_form(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert "podero" in result["menu_options"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "podero"}
    )
    assert result["type"] is FlowResultType.FORM and result["step_id"] == "podero"
    return str(result["flow_id"])


async def test_create_entry_with_every_error_first(
    hass: HomeAssistant, podero_url: str, podero: PoderoState
) -> None:
    flow_id = await _podero_form(hass)
    configure = hass.config_entries.flow.async_configure
    result = await configure(flow_id, _form(""))
    assert result["errors"] == {"base_url": "url_required"}
    result = await configure(flow_id, _form("http://127.0.0.1:9"))
    assert result["errors"] == {"base_url": "cannot_connect"}
    result = await configure(flow_id, _form(podero_url, client_secret="wrong"))
    assert result["errors"] == {"client_secret": "invalid_auth"}
    result = await configure(flow_id, _form(podero_url, org_id="another-org"))
    assert result["errors"] == {"client_secret": "invalid_auth"}
    result = await configure(flow_id, _form(podero_url, user_id="nobody"))
    assert result["errors"] == {"user_id": "unknown_user"}
    podero.fail.append((200, None))  # a token reply without a token: reached, not understood
    result = await configure(flow_id, _form(podero_url))
    assert result["errors"] == {"base_url": "invalid_answer"}
    podero.fail.append((422, None))  # an answer Podero should never give here
    result = await configure(flow_id, _form(podero_url))
    assert result["errors"] == {"base": "unknown"}
    result = await configure(flow_id, _form(podero_url + "/"))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Podero (Erika)"
    assert CLIENT_SECRET not in result["title"]
    assert result["result"].unique_id == f"podero_{ORG_ID}_{USER_ID}"
    assert result["data"]["base_url"] == podero_url
    await hass.async_block_till_done()
    again = await _podero_form(hass)
    result = await configure(again, _form(podero_url))
    assert result["type"] is FlowResultType.ABORT and result["reason"] == "already_configured"


def test_environments_name_their_hosts() -> None:
    assert podero_base_url({"environment": "production", "base_url": "x"}) == PRODUCTION_URL
    assert podero_base_url({"environment": "sandbox"}) == SANDBOX_URL
    assert podero_base_url({"environment": "custom", "base_url": " http://h:1 "}) == "http://h:1"


async def test_reauth_asks_only_for_credentials(
    hass: HomeAssistant, podero_loaded: MockConfigEntry, podero: PoderoState
) -> None:
    podero.clients = {"new-client": "new-secret"}
    result = await podero_loaded.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_podero"
    configure = hass.config_entries.flow.async_configure
    result = await configure(result["flow_id"], {"client_id": CLIENT_ID, "client_secret": "x"})
    assert result["errors"] == {"client_secret": "invalid_auth"}
    result = await configure(
        result["flow_id"], {"client_id": "new-client", "client_secret": "new-secret"}
    )
    assert result["reason"] == "reauth_successful"
    assert podero_loaded.data["client_secret"] == "new-secret"
    assert podero_loaded.data["user_id"] == USER_ID


async def test_reconfigure_keeps_organisation_and_user(
    hass: HomeAssistant, podero_loaded: MockConfigEntry, podero_url: str
) -> None:
    result = await podero_loaded.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure_podero"
    configure = hass.config_entries.flow.async_configure
    changes = {k: v for k, v in _form(podero_url).items() if k not in ("org_id", "user_id")}
    result = await configure(result["flow_id"], {**changes, "base_url": ""})
    assert result["errors"] == {"base_url": "url_required"}
    result = await configure(result["flow_id"], {**changes, "client_secret": "wrong"})
    assert result["errors"] == {"client_secret": "invalid_auth"}
    result = await configure(result["flow_id"], changes)
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert podero_loaded.data["org_id"] == ORG_ID


async def test_options_poll_gently(hass: HomeAssistant, podero_loaded: MockConfigEntry) -> None:
    assert podero_loaded.runtime_data.coordinator.update_interval.total_seconds() == 300
    result = await hass.config_entries.options.async_init(podero_loaded.entry_id)
    assert result["step_id"] == "podero"
    assert result["data_schema"] is not None
    schema = result["data_schema"].schema
    interval = next(k for k in schema if k == "scan_interval")
    assert interval.default() == 300
    assert schema[interval].config["min"] == 60
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"scan_interval": 600, "read_only": True}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert podero_loaded.runtime_data.coordinator.update_interval.total_seconds() == 600
    with pytest.raises(ServiceValidationError) as caught:  # read-only: refused, not sent
        await hass.services.async_call(
            "switch", "turn_on", {"entity_id": "switch.nibe_f2120_trading"}, blocking=True
        )
    assert caught.value.translation_key == "read_only_mode"


async def test_a_url_is_not_ignored_for_another_environment(
    hass: HomeAssistant, podero_url: str, podero: PoderoState
) -> None:
    flow_id = await _podero_form(hass)
    configure = hass.config_entries.flow.async_configure
    result = await configure(flow_id, _form(podero_url, environment="production"))
    assert result["errors"] == {"base_url": "url_only_custom"}
    assert podero.requests == []  # refused before anything was sent


async def test_the_title_never_shows_an_id(
    hass: HomeAssistant, podero_url: str, podero: PoderoState
) -> None:
    podero.users[USER_ID]["first_name"] = None
    flow_id = await _podero_form(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, _form(podero_url))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Podero"


async def test_a_url_with_a_host_name_is_looked_up(
    hass: HomeAssistant, podero_url: str, podero: PoderoState
) -> None:
    # Through Home Assistant's resolver (aiodns and pycares as a real installation has them).
    if int(version("aiodns").split(".")[0]) >= 4:
        pytest.skip(
            "aiodns 4 waits on another loop than the harness's test loop; the smoke stage looks "
            "a host name up in a real Home Assistant of the newest release instead"
        )
    flow_id = await _podero_form(hass)
    by_name = podero_url.replace("127.0.0.1", "localhost")
    result = await hass.config_entries.flow.async_configure(flow_id, _form(by_name))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"]["base_url"] == by_name
