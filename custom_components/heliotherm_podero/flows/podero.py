"""The Podero mode's forms: partner credentials, organisation and user, probed at the API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, override

import aiohttp
from homeassistant.config_entries import ConfigEntry
from homeassistant.helpers import selector
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from ..compat import vol
from ..const import (
    CONF_BASE_URL,
    CONF_CLIENT_ID,
    CONF_CLIENT_SECRET,
    CONF_ENVIRONMENT,
    CONF_ORG_ID,
    CONF_USER_ID,
    MIN_PODERO_SCAN_INTERVAL_S,
    PODERO_ENVIRONMENTS,
)
from ..sources.factory import (
    PoderoProbe,
    PoderoUnknownUser,
    create_podero_source,
    probe_podero,
)
from ..sources.model import AuthFailed, CommunicationError, ProtocolError, Source, SourceError
from ..sources.podero.source import PoderoSource
from .base import FieldError, FlowContext, FlowMode, Found, secret_selector

CUSTOM = "custom"


def _unreachable_at(data: Mapping[str, Any]) -> str:
    """A custom URL that cannot be reached is that field's fault; otherwise the form's."""
    return CONF_BASE_URL if data.get(CONF_ENVIRONMENT) == CUSTOM else "base"


class PoderoFlow(FlowMode):
    """A user's heat pumps at the Podero Partner API."""

    mode = "podero"
    source_class = PoderoSource
    reauthenticates = True
    min_interval = MIN_PODERO_SCAN_INTERVAL_S
    secret_keys = frozenset({CONF_CLIENT_ID, CONF_CLIENT_SECRET})
    errors = (
        (AuthFailed, CONF_CLIENT_SECRET, "invalid_auth"),
        (PoderoUnknownUser, CONF_USER_ID, "unknown_user"),
        (CommunicationError, _unreachable_at, "cannot_connect"),
        (ProtocolError, _unreachable_at, "invalid_answer"),
        (SourceError, "base", "unknown"),
    )

    @override
    def create_source(
        self, data: Mapping[str, Any], options: Mapping[str, Any], session: aiohttp.ClientSession
    ) -> Source:
        return create_podero_source(data, options, session)

    @override
    def setup_schema(self) -> vol.Schema:
        return vol.Schema(
            {
                **self._connection_fields(),
                vol.Required(CONF_ORG_ID): selector.TextSelector(),
                vol.Required(CONF_USER_ID): selector.TextSelector(),
            }
        )

    @override
    def reconfigure_schema(self) -> vol.Schema:
        return vol.Schema(self._connection_fields())

    @override
    def reconfigure_suggested(self, entry: ConfigEntry) -> dict[str, Any]:
        return {key: value for key, value in entry.data.items() if key != CONF_CLIENT_SECRET}

    @override
    def reauth_schema(self) -> vol.Schema:
        return vol.Schema(self._credential_fields())

    @override
    def reauth_suggested(self, entry: ConfigEntry) -> dict[str, Any]:
        return {CONF_CLIENT_ID: entry.data[CONF_CLIENT_ID]}

    @staticmethod
    def _credential_fields() -> dict[vol.Marker, Any]:
        return {
            vol.Required(CONF_CLIENT_ID): selector.TextSelector(),
            vol.Required(CONF_CLIENT_SECRET): secret_selector(),
        }

    @classmethod
    def _connection_fields(cls) -> dict[vol.Marker, Any]:
        return {
            vol.Required(CONF_ENVIRONMENT, default="production"): selector.SelectSelector(
                selector.SelectSelectorConfig(
                    options=list(PODERO_ENVIRONMENTS),
                    translation_key=CONF_ENVIRONMENT,
                    mode=selector.SelectSelectorMode.LIST,
                )
            ),
            vol.Optional(CONF_BASE_URL): selector.TextSelector(
                selector.TextSelectorConfig(type=selector.TextSelectorType.URL)
            ),
            **cls._credential_fields(),
        }

    @override
    async def async_setup(self, ctx: FlowContext, user_input: dict[str, Any]) -> Found:
        data, probe = await self._probe(ctx, user_input)
        # The name the user gave Podero, never an ID; the owner can rename the entry.
        title = f"Podero ({probe.first_name})" if probe.first_name else "Podero"
        return Found(f"podero_{data[CONF_ORG_ID]}_{data[CONF_USER_ID]}", data, title=title)

    @override
    async def async_reauth(self, ctx: FlowContext, user_input: dict[str, Any]) -> Found:
        changes = {
            CONF_CLIENT_ID: user_input[CONF_CLIENT_ID].strip(),
            CONF_CLIENT_SECRET: user_input[CONF_CLIENT_SECRET],
        }
        await self._probe(ctx, {**ctx.current.data, **changes})
        return Found(None, changes)  # organisation and user stay: the same entry

    @override
    async def async_reconfigure(self, ctx: FlowContext, user_input: dict[str, Any]) -> Found:
        entry = ctx.current.data
        ids = {CONF_ORG_ID: entry[CONF_ORG_ID], CONF_USER_ID: entry[CONF_USER_ID]}
        data, _ = await self._probe(ctx, {**user_input, **ids})
        return Found(None, data)

    async def _probe(
        self, ctx: FlowContext, user_input: Mapping[str, Any]
    ) -> tuple[dict[str, Any], PoderoProbe]:
        """Token, user and heat-pump list for the form's data; the data to store."""
        data = _entry_data(user_input)
        if data[CONF_ENVIRONMENT] == CUSTOM and not data.get(CONF_BASE_URL):
            raise FieldError({CONF_BASE_URL: "url_required"})
        if data[CONF_ENVIRONMENT] != CUSTOM and str(user_input.get(CONF_BASE_URL) or "").strip():
            # A URL typed for another environment would be ignored without a word.
            raise FieldError({CONF_BASE_URL: "url_only_custom"})
        probe = await self.checked(probe_podero(async_get_clientsession(ctx.hass), data), data)
        return data, probe


def _entry_data(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Entry data from the form: trimmed, and a URL only for a custom environment."""
    data: dict[str, Any] = {
        CONF_ENVIRONMENT: user_input.get(CONF_ENVIRONMENT, "production"),
        CONF_CLIENT_ID: str(user_input[CONF_CLIENT_ID]).strip(),
        CONF_CLIENT_SECRET: user_input[CONF_CLIENT_SECRET],
        CONF_ORG_ID: str(user_input[CONF_ORG_ID]).strip(),
        CONF_USER_ID: str(user_input[CONF_USER_ID]).strip(),
    }
    if data[CONF_ENVIRONMENT] == CUSTOM:
        data[CONF_BASE_URL] = str(user_input.get(CONF_BASE_URL, "")).strip().rstrip("/")
    return data
