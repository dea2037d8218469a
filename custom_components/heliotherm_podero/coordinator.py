"""One coordinator over a Source: fast cycle for measurements, slower one for settings."""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .const import (
    CONF_SCAN_INTERVAL,
    CONF_SETTINGS_INTERVAL,
    CONF_WRITE_WARNING,
    DEFAULT_SCAN_INTERVAL,
    DEFAULT_SETTINGS_INTERVAL,
    DEFAULT_WRITE_WARNING,
    DOMAIN,
)
from .errors import translate_source_error
from .platform_map import platform_for
from .sources.heliotherm.source import HeliothermSource, PumpIdentity
from .sources.model import SourceError, Value, WriteRejected, WriteUnconfirmed
from .wear import async_check_wear

if TYPE_CHECKING:
    from .away import AwayModeManager

_LOGGER = logging.getLogger(__name__)

type HeatPumpConfigEntry = ConfigEntry[HeatPumpCoordinator]


class HeatPumpCoordinator(DataUpdateCoordinator[dict[str, Value]]):
    """Polls the enabled points of one heat pump; writes go through here too."""

    config_entry: HeatPumpConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: HeatPumpConfigEntry,
        source: HeliothermSource,
        identity: PumpIdentity,
    ) -> None:
        interval = timedelta(
            seconds=entry.options.get(CONF_SCAN_INTERVAL, DEFAULT_SCAN_INTERVAL.seconds)
        )
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {identity.serial_number}",
            update_interval=interval,
        )
        self.source = source
        self.identity = identity
        self.settings_interval = float(
            entry.options.get(CONF_SETTINGS_INTERVAL, DEFAULT_SETTINGS_INTERVAL.seconds)
        )
        self.write_warning_per_day = int(
            entry.options.get(CONF_WRITE_WARNING, DEFAULT_WRITE_WARNING)
        )
        self.worn_keys: set[str] = set()  # settings with an open "written too often" issue
        self.polled_keys: frozenset[str] = frozenset()
        self.extra: dict[str, Any] = {}
        self.away: AwayModeManager | None = None
        self._last_settings_poll: float | None = None

    @property
    def device_id(self) -> str:
        """The pump's serial number: the base of every unique ID."""
        return str(self.identity.serial_number)

    @property
    def device_info(self) -> DeviceInfo:
        """The pump as a Home Assistant device."""
        return DeviceInfo(
            identifiers={(DOMAIN, self.device_id)},
            manufacturer="Heliotherm",
            model="Heat pump (RS-232)",
            name="Heliotherm heat pump",
            serial_number=self.device_id,
            sw_version=f"{self.identity.software_version} ({self.identity.build})",
        )

    def _keys_due(self) -> frozenset[str]:
        now = time.monotonic()
        points = self.source.points
        fast = frozenset(k for k in self.polled_keys if k in points and not points[k].slow)
        if (
            self._last_settings_poll is not None
            and now - self._last_settings_poll < self.settings_interval
        ):
            return fast
        self._last_settings_poll = now
        return self.polled_keys

    async def _async_update_data(self) -> dict[str, Value]:
        keys = self._keys_due()
        try:
            snapshot = await self.source.async_fetch(keys)
        except SourceError as err:
            self._last_settings_poll = None  # read everything once the link is back
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="communication_error",
                translation_placeholders={"error": str(err)},
            ) from err
        self.extra.update(snapshot.extra)
        for key in list(self.worn_keys):
            async_check_wear(self.hass, self, key)
        data = dict(self.data or {})
        data.update(snapshot.values)
        return data

    async def async_write(self, key: str, value: Value, *, any_setting: bool = False) -> Value:
        """Write a point; the entity then shows what the pump reported back."""
        try:
            return await self.async_write_point(key, value, any_setting=any_setting)
        except SourceError as err:
            raise translate_source_error(err) from err

    async def async_read_point(self, key: str) -> Value:
        """Read one point now and show it; source errors pass through."""
        value = await self.source.async_read_point(key)
        self._async_show(key, value)
        return value

    async def async_write_point(
        self, key: str, value: Value, *, any_setting: bool = False
    ) -> Value:
        """Write a point and keep the data true to the pump; source errors pass through.

        A refused write shows the value the pump reported; a write whose answer was lost makes
        the point unknown until the next settings poll reads it.
        """
        try:
            reported = await self.source.async_write(key, value, any_setting=any_setting)
        except WriteRejected as err:
            self._async_show(key, err.reported)
            raise
        except WriteUnconfirmed:
            data = dict(self.data or {})
            data.pop(key, None)
            self._last_settings_poll = None
            self.async_set_updated_data(data)
            raise
        finally:
            async_check_wear(self.hass, self, key)
        self._async_show(key, reported)
        return reported

    def _async_show(self, key: str, value: Value) -> None:
        """Entities show ``value``, the one the pump reported, for ``key`` at once."""
        self.async_set_updated_data({**(self.data or {}), key: value})


def enabled_keys(hass: HomeAssistant, coordinator: HeatPumpCoordinator) -> frozenset[str]:
    """Keys whose entity is enabled (in the registry, or by default when not registered yet).

    Only these are polled. Enabling an entity reloads the entry, which recomputes this.
    """
    registry = er.async_get(hass)
    keys: set[str] = set()
    for point in coordinator.source.points.values():
        unique_id = f"{coordinator.device_id}_{point.key}"
        entity_id = registry.async_get_entity_id(platform_for(point), DOMAIN, unique_id)
        entry = registry.async_get(entity_id) if entity_id else None
        if (entry is not None and not entry.disabled) or (
            entry is None and point.enabled_by_default
        ):
            keys.add(point.key)
    climate = coordinator.source.climate
    if climate is not None:
        keys |= climate.keys
    return frozenset(keys)
