"""Each action's device picker offers only the devices where the action works.

Home Assistant's device selector filters by integration, manufacturer and model. What an
action needs is a capability of a device's source, which no such filter names; so the
filters are worked out from the loaded entries: every device of a source that can do what
the action asks, by its manufacturer and model. They are worked out again when an entry is
set up or unloaded and whenever devices come or go.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.service import async_set_service_schema
from homeassistant.util.yaml import load_yaml_dict

from .const import DOMAIN
from .service_schemas import (
    ATTR_DEVICE_ID,
    SERVICE_CLEAR_AWAY_MODE,
    SERVICE_GET_FAULT_LIST,
    SERVICE_GET_PARAMETERS,
    SERVICE_GET_TIME_PROGRAM,
    SERVICE_LIST_TIME_PROGRAMS,
    SERVICE_PAUSE_POWER,
    SERVICE_RESUME_POWER,
    SERVICE_SET_AWAY_MODE,
    SERVICE_SET_PARAMETER,
    SERVICE_SET_TIME_PROGRAM,
    SERVICE_SYNC_CLOCK,
)
from .sources.capabilities import (
    AwayMode,
    Clock,
    DeviceAwayMode,
    FaultList,
    Parameters,
    PausePower,
    TimePrograms,
)
from .sources.model import Source

# What a device's source must be able to do for each action (any one of them).
NEEDS: dict[str, tuple[type, ...]] = {
    SERVICE_GET_TIME_PROGRAM: (TimePrograms,),
    SERVICE_SET_TIME_PROGRAM: (TimePrograms,),
    SERVICE_LIST_TIME_PROGRAMS: (TimePrograms,),
    SERVICE_SYNC_CLOCK: (Clock,),
    SERVICE_GET_FAULT_LIST: (FaultList,),
    SERVICE_GET_PARAMETERS: (Parameters,),
    SERVICE_SET_PARAMETER: (Parameters,),
    SERVICE_SET_AWAY_MODE: (AwayMode, DeviceAwayMode),
    SERVICE_CLEAR_AWAY_MODE: (AwayMode, DeviceAwayMode),
    SERVICE_PAUSE_POWER: (PausePower,),
    SERVICE_RESUME_POWER: (PausePower,),
}
# A filter no device matches: while no device can do an action, its picker is empty.
NO_DEVICE = {"integration": DOMAIN, "model": "-"}
# Entries whose devices count: set up (or being set up: the update at the end of the setup
# comes before the entry's state says it is loaded).
_SET_UP = (ConfigEntryState.LOADED, ConfigEntryState.SETUP_IN_PROGRESS)
_DESCRIPTIONS = f"{DOMAIN}_action_descriptions"


async def async_start(hass: HomeAssistant) -> None:
    """Read the actions' descriptions once and follow the devices from now on."""
    path = Path(__file__).parent / "services.yaml"
    hass.data[_DESCRIPTIONS] = await hass.async_add_executor_job(load_yaml_dict, str(path))

    @callback
    def _devices_changed(_: Event[Any]) -> None:
        async_update(hass)

    hass.bus.async_listen(dr.EVENT_DEVICE_REGISTRY_UPDATED, _devices_changed)
    async_update(hass)


def device_filters(hass: HomeAssistant, needs: tuple[type, ...]) -> list[dict[str, str]]:
    """The device filters of the devices whose source can do one of ``needs``."""
    filters: list[dict[str, str]] = []
    for entry in hass.config_entries.async_entries(DOMAIN):
        if entry.state not in _SET_UP or not hasattr(entry, "runtime_data"):
            continue
        source: Source = entry.runtime_data.coordinator.source
        if not any(isinstance(source, need) for need in needs):
            continue
        for device in source.devices.values():
            found = {"integration": DOMAIN}
            if device.manufacturer:
                found["manufacturer"] = device.manufacturer
            if device.model:
                found["model"] = device.model
            if len(found) > 1 and found not in filters:
                filters.append(found)
    return filters or [NO_DEVICE]


@callback
def async_update(hass: HomeAssistant) -> None:
    """Set every action's device picker to the devices that can do it now."""
    descriptions: dict[str, Any] | None = hass.data.get(_DESCRIPTIONS)
    if descriptions is None:
        return
    for service, needs in NEEDS.items():
        if not hass.services.has_service(DOMAIN, service):
            continue
        description = copy.deepcopy(descriptions[service])
        picker = description["fields"][ATTR_DEVICE_ID]["selector"]
        picker["device"] = {"filter": device_filters(hass, needs)}
        async_set_service_schema(hass, DOMAIN, service, description)
