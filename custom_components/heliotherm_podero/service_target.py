"""Find a service call's target once.

The target is the entry's runtime, the source in the capability asked for, and the source's key
of the device named.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, overload

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr

from .const import DOMAIN
from .coordinator import HeatPumpCoordinator
from .runtime import HeatPumpRuntime
from .service_schemas import ATTR_DEVICE_ID
from .sources.model import Source


@dataclass(frozen=True)
class Target[C]:
    """The pump a call names, its entry's runtime and the source in the role asked for."""

    runtime: HeatPumpRuntime
    source: C
    key: str

    @property
    def coordinator(self) -> HeatPumpCoordinator:
        """The coordinator that polls and writes the target."""
        return self.runtime.coordinator


def not_supported() -> ServiceValidationError:
    """The target cannot do what the service asks."""
    return ServiceValidationError(translation_domain=DOMAIN, translation_key="not_supported")


@overload
def resolve(call: ServiceCall) -> Target[Source]: ...
@overload
def resolve[C](call: ServiceCall, capability: type[C]) -> Target[C]: ...
def resolve(call: ServiceCall, capability: type[Any] | None = None) -> Target[Any]:
    """The call's target.

    A translated error for an unknown device, an entry not loaded, or a source without the
    capability.
    """
    device_id: str = call.data[ATTR_DEVICE_ID]
    runtime, key = _find(call.hass, device_id)
    source = runtime.coordinator.source
    if capability is not None and not isinstance(source, capability):
        raise not_supported()
    return Target(runtime, source, key)


def _find(hass: HomeAssistant, device_id: str) -> tuple[HeatPumpRuntime, str]:
    """The runtime of the entry that owns ``device_id`` and the device's key in its source.

    Looked up from the entries' side: a device's own list of entries is deprecated on newer
    Home Assistant releases (a device belongs to one entry there).
    """
    registry = dr.async_get(hass)
    for entry in hass.config_entries.async_entries(DOMAIN):
        for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
            if device.id != device_id:
                continue
            if entry.state is not ConfigEntryState.LOADED:
                raise ServiceValidationError(
                    translation_domain=DOMAIN, translation_key="not_loaded"
                )
            keys = [key for domain, key in device.identifiers if domain == DOMAIN]
            if keys:
                runtime: HeatPumpRuntime = entry.runtime_data
                return runtime, keys[0]
    raise ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="unknown_device",
        translation_placeholders={"device_id": device_id},
    )
