"""The Aris mode's forms: host and API token, probed by asking the Brain for its HCU."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, override

import aiohttp
from homeassistant.config_entries import ConfigEntry
from homeassistant.helpers import selector
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from ..compat import vol
from ..const import (
    CONF_FCU_IDS,
    CONF_HEAT_PUMP_IDS,
    CONF_HOST,
    CONF_TOKEN,
    DEFAULT_ARIS_HOST,
)
from ..sources.aris.source import ArisSource
from ..sources.factory import ArisProbe, create_aris_source, probe_aris, split_ids
from ..sources.model import AuthFailed, CannotConnect, ResponseTimeout, Source, SourceError
from .base import FieldError, FlowContext, FlowMode, Found, efficiency_fields, secret_selector

IDS = {CONF_HEAT_PUMP_IDS: "unknown_heat_pump", CONF_FCU_IDS: "unknown_fcu"}


class ArisFlow(FlowMode):
    """An Aris Brain on the local network."""

    mode = "aris"
    source_class = ArisSource
    reauthenticates = True
    secret_keys = frozenset({CONF_TOKEN})
    errors = (
        (AuthFailed, CONF_TOKEN, "token_refused"),
        ((CannotConnect, ResponseTimeout), CONF_HOST, "brain_unreachable"),
        (SourceError, CONF_HOST, "not_aris"),
    )

    @override
    def create_source(
        self, data: Mapping[str, Any], options: Mapping[str, Any], session: aiohttp.ClientSession
    ) -> Source:
        return create_aris_source(data, options, session)

    @override
    def setup_schema(self) -> vol.Schema:
        return vol.Schema(
            {
                **self._connection_fields(),
                vol.Optional(CONF_HEAT_PUMP_IDS, default=""): selector.TextSelector(),
            }
        )

    @override
    def setup_suggested(self) -> dict[str, Any]:
        return {CONF_HOST: DEFAULT_ARIS_HOST}

    @override
    def reconfigure_schema(self) -> vol.Schema:
        return vol.Schema(self._connection_fields())

    @override
    def reconfigure_suggested(self, entry: ConfigEntry) -> dict[str, Any]:
        return {CONF_HOST: entry.data[CONF_HOST]}

    @override
    def reauth_schema(self) -> vol.Schema:
        return vol.Schema({vol.Required(CONF_TOKEN): secret_selector()})

    @staticmethod
    def _connection_fields() -> dict[vol.Marker, Any]:
        return {
            vol.Required(CONF_HOST): selector.TextSelector(),
            vol.Required(CONF_TOKEN): secret_selector(),
        }

    @override
    async def async_setup(self, ctx: FlowContext, user_input: dict[str, Any]) -> Found:
        ids = user_input.get(CONF_HEAT_PUMP_IDS, "").strip()
        found = await self._probe(ctx, user_input, {CONF_HEAT_PUMP_IDS: ids})
        return Found(
            found.unique_id,
            found.data,
            title="Aris Brain",
            options={CONF_HEAT_PUMP_IDS: ids},
        )

    @override
    async def async_reauth(self, ctx: FlowContext, user_input: dict[str, Any]) -> Found:
        found = await self._probe(ctx, {**ctx.current.data, **user_input})
        return Found(found.unique_id, {CONF_TOKEN: user_input[CONF_TOKEN]})

    @override
    async def async_reconfigure(self, ctx: FlowContext, user_input: dict[str, Any]) -> Found:
        return await self._probe(ctx, user_input)

    async def _probe(
        self, ctx: FlowContext, user_input: Mapping[str, Any], ids: Mapping[str, str] | None = None
    ) -> Found:
        """The Brain's HCU for host and token; the typed IDs must be known to it."""
        data = {CONF_HOST: user_input[CONF_HOST].strip(), CONF_TOKEN: user_input[CONF_TOKEN]}
        probe = await self.checked(_probe_ids(ctx, data, ids or {}), data)
        return Found(f"aris_{probe.hcu_id}", data)

    @override
    def options_fields(self, options: Mapping[str, Any]) -> dict[vol.Marker, Any]:
        ids: dict[vol.Marker, Any] = {
            vol.Optional(key, default=options.get(key, "")): selector.TextSelector() for key in IDS
        }
        return {**ids, **efficiency_fields(options)}

    @override
    async def async_options(self, ctx: FlowContext, user_input: dict[str, Any]) -> dict[str, Any]:
        ids = {key: " ".join(split_ids(user_input.get(key, ""))) for key in IDS}
        try:
            await _probe_ids(ctx, ctx.current.data, ids)
        except SourceError as err:
            raise FieldError({"base": "brain_unreachable"}) from err
        return {**user_input, **ids}


async def _probe_ids(
    ctx: FlowContext, data: Mapping[str, Any], ids: Mapping[str, str]
) -> ArisProbe:
    """Probe the Brain; a ``FieldError`` at each kind of ID it does not know."""
    probe = await probe_aris(
        async_get_clientsession(ctx.hass),
        data[CONF_HOST],
        data[CONF_TOKEN],
        split_ids(ids.get(CONF_HEAT_PUMP_IDS, "")),
        split_ids(ids.get(CONF_FCU_IDS, "")),
    )
    unknown = {CONF_HEAT_PUMP_IDS: probe.unknown_heat_pumps, CONF_FCU_IDS: probe.unknown_fcus}
    if errors := {key: error for key, error in IDS.items() if unknown[key]}:
        raise FieldError(errors)
    return probe
