"""A source's devices in Home Assistant's device registry: added, linked, and removed when gone."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import translation
from homeassistant.helpers.device_registry import DeviceInfo

from .compat import via_device_kwargs
from .const import DOMAIN
from .sources.capabilities import DynamicDevices
from .sources.model import Device, Source

_MODELS = f"{DOMAIN}_device_models"


async def async_load_models(hass: HomeAssistant) -> None:
    """The device models' words in Home Assistant's language (``selector.device_model``)."""
    strings = await translation.async_get_translations(
        hass, hass.config.language, "selector", {DOMAIN}
    )
    prefix = f"component.{DOMAIN}.selector.device_model.options."
    hass.data[_MODELS] = {
        key[len(prefix) :]: text for key, text in strings.items() if key.startswith(prefix)
    }


def device_info(hass: HomeAssistant, source: Source, device_key: str) -> DeviceInfo:
    """A source's device as its entities name it."""
    fields = _device_fields(hass, source, device_key)
    return DeviceInfo(**fields)  # type: ignore[typeddict-item,no-any-return,unused-ignore]


def _device_fields(hass: HomeAssistant, source: Source, device_key: str) -> dict[str, Any]:
    """The registry's fields of a source's device; only those the source knows."""
    device: Device = source.devices[device_key]
    fields: dict[str, Any] = {"identifiers": {(DOMAIN, device.key)}}
    if device.translation_key is not None:
        fields["translation_key"] = device.translation_key
        if device.name is not None:
            fields["translation_placeholders"] = {"name": device.name}
    else:
        fields["name"] = device.name
    models: dict[str, str] = hass.data.get(_MODELS, {})
    known = {
        "manufacturer": device.manufacturer,
        "model": models.get(device.model_key or "", device.model),
        "serial_number": device.serial_number,
        "sw_version": device.sw_version,
    }
    fields.update((name, value) for name, value in known.items() if value is not None)
    return fields


def _registered(registry: dr.DeviceRegistry, entry_id: str) -> dict[str, dr.DeviceEntry]:
    """The entry's devices by source key (identifiers are unique per entry only)."""
    return {
        key: device
        for device in dr.async_entries_for_config_entry(registry, entry_id)
        for domain, key in device.identifiers
        if domain == DOMAIN
    }


@callback
def async_register_devices(hass: HomeAssistant, entry_id: str, source: Source) -> None:
    """Put every device in the registry, parents first, children linked; drop gone ones.

    Entities then name their device by identifier only; the link to the parent is made
    here once, the way the running Home Assistant release wants it.
    """
    registry = dr.async_get(hass)
    devices = sorted(source.devices.values(), key=lambda d: d.via_device is not None)
    for device in devices:
        link: dict[str, Any] = {}
        if device.via_device is not None:
            parent = _registered(registry, entry_id).get(device.via_device)
            if parent is not None:
                link = via_device_kwargs(parent)
        registry.async_get_or_create(
            config_entry_id=entry_id, **_device_fields(hass, source, device.key), **link
        )
    remove_gone_devices(hass, entry_id, source)


@callback
def remove_gone_devices(hass: HomeAssistant, entry_id: str, source: Source) -> None:
    """Remove the devices the source says are gone for good, with their entities.

    A source whose devices come and go decides (deleted, or missing for a day); for any
    other, a device it no longer offers is gone.
    """
    registry = dr.async_get(hass)
    registered = _registered(registry, entry_id)
    if isinstance(source, DynamicDevices):
        gone = source.devices_gone(registered)
    else:
        gone = frozenset(registered) - frozenset(source.devices)
    for key in gone:
        registry.async_remove_device(registered[key].id)
