"""One coordinator over a Source: fast cycle for measurements, slower one for settings."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .const import (
    CONF_COUNTERS_INTERVAL,
    CONF_SCAN_INTERVAL,
    CONF_SETTINGS_INTERVAL,
    DEFAULT_COUNTERS_INTERVAL,
    DEFAULT_SETTINGS_INTERVAL,
    DOMAIN,
)
from .descriptions import platform_for
from .devices import async_register_devices, remove_gone_devices
from .sources.model import (
    AuthFailed,
    Snapshot,
    Source,
    SourceError,
    Value,
    WriteRejected,
    WriteUnconfirmed,
)

_LOGGER = logging.getLogger(__name__)

SIDE_EFFECT_ISSUE = "write_side_effect"


class HeatPumpCoordinator(DataUpdateCoordinator[dict[str, Value]]):
    """Polls the enabled points of one source (one or many devices); writes go through here."""

    config_entry: ConfigEntry[Any]

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry[Any], source: Source) -> None:
        default = source.default_scan_interval.total_seconds()
        interval = timedelta(seconds=entry.options.get(CONF_SCAN_INTERVAL, default))
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {entry.title}",
            update_interval=interval,
        )
        self.source = source
        self.settings_interval = float(
            entry.options.get(CONF_SETTINGS_INTERVAL, DEFAULT_SETTINGS_INTERVAL.seconds)
        )
        self.polled_keys: frozenset[str] = frozenset()
        self.extra: dict[str, Any] = {}
        self._write_listeners: list[Callable[[str], None]] = []
        self.counters_interval = float(
            entry.options.get(CONF_COUNTERS_INTERVAL, DEFAULT_COUNTERS_INTERVAL.seconds)
        )
        self._last_settings_poll: float | None = None
        self._last_counters_poll: float | None = None
        # Values shown by a write or a single read, numbered: a poll that was already under
        # way read them before and must not put the old value back.
        self._shown_count = 0
        self._shown_at: dict[str, int] = {}
        self.known_devices: frozenset[str] = frozenset(source.devices)
        self.known_points: frozenset[str] = frozenset(source.points)

    def _keys_due(self) -> frozenset[str]:
        """Measurements every poll, settings and counters each on their own interval."""
        now = time.monotonic()
        points = self.source.points
        keys = {k for k in self.polled_keys if k in points}
        due = {k for k in keys if not points[k].slow}
        if not _within(self._last_settings_poll, now, self.settings_interval):
            self._last_settings_poll = now
            due |= {k for k in keys if points[k].slow and not points[k].counter}
            due |= self.polled_keys - keys  # not offered (yet): asked for with the settings
        if not _within(self._last_counters_poll, now, self.counters_interval):
            self._last_counters_poll = now
            due |= {k for k in keys if points[k].counter}
        return frozenset(due)

    async def _async_update_data(self) -> dict[str, Value]:
        keys = self._keys_due()
        started = self._shown_count
        try:
            snapshot = await self.source.async_fetch(keys)
        except AuthFailed as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="auth_failed"
            ) from err
        except SourceError as err:
            # read everything once the link is back
            self._last_settings_poll = self._last_counters_poll = None
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="communication_error",
                translation_placeholders={"error": str(err)},
            ) from err
        self.extra.update(snapshot.extra)
        vanished = self._follow_devices()
        data = dict(self.data or {})
        data.update(
            (key, value)
            for key, value in snapshot.values.items()
            if self._shown_at.get(key, -1) <= started
        )
        for key in vanished | snapshot.missing:
            data.pop(key, None)
        return data

    def _follow_devices(self) -> frozenset[str]:
        """Poll new points from now on; drop vanished devices; return the vanished points.

        The platforms add entities for new points themselves (they listen to this
        coordinator); Home Assistant removes a device's entities with the device.
        """
        devices = frozenset(self.source.devices)
        points = frozenset(self.source.points)
        new_points = points - self.known_points
        if new_points:
            self.polled_keys |= {
                key for key in new_points if self.source.points[key].enabled_by_default
            }
        if devices - self.known_devices:
            async_register_devices(self.hass, self.config_entry.entry_id, self.source)
        else:
            remove_gone_devices(self.hass, self.config_entry.entry_id, self.source)
        vanished = self.known_points - points
        self.known_devices, self.known_points = devices, points
        return vanished

    async def async_write(self, values: Mapping[str, Value]) -> dict[str, Value]:
        """The write door for points: what the device reported, shown at once.

        Source errors pass through (``errors.translated_errors`` turns them into what the
        owner reads); every write tried is counted by the write listeners.
        """
        write = self.source.async_write(dict(values))
        return (await self.async_run_write(write, written=values)).values

    async def async_read_point(self, key: str) -> Value:
        """Read one point now and show it; source errors pass through."""
        value = await self.source.async_read_point(key)
        self._async_show({key: value})
        return value

    @callback
    def async_add_write_listener(self, listener: Callable[[str], None]) -> CALLBACK_TYPE:
        """Call ``listener`` with the key of every write tried (the wear guard counts them)."""
        self._write_listeners.append(listener)
        return lambda: self._write_listeners.remove(listener)

    @callback
    def async_note_written(self, keys: Iterable[str]) -> None:
        """Tell the write listeners what was written (here, or by a capability's service)."""
        for key in keys:
            for listener in list(self._write_listeners):
                listener(key)

    async def async_run_write(
        self, write: Awaitable[Snapshot], *, written: Iterable[str] = ()
    ) -> Snapshot:
        """Await a write (of points, or a capability's) and keep the data true to the device.

        The snapshot is shown at once. A refused write shows the value the device reported; a
        write whose answer was lost makes the point unknown until the next settings poll reads
        it; refused credentials start reauthentication. Source errors pass through. The
        ``written`` keys are counted by the write listeners whether the write succeeded or not.
        """
        try:
            return await self._async_apply(write)
        finally:
            self.async_note_written(written)

    async def _async_apply(self, write: Awaitable[Snapshot]) -> Snapshot:
        try:
            snapshot = await write
        except WriteRejected as err:
            self._async_show({err.key: err.reported})
            raise
        except WriteUnconfirmed as err:
            data = dict(self.data or {})
            data.pop(err.key, None)
            self._mark_shown((err.key,))
            self._last_settings_poll = None
            self.async_set_updated_data(data)
            raise
        except AuthFailed:
            self.config_entry.async_start_reauth(self.hass)
            raise
        if snapshot.side_effects:
            self._report_side_effects(snapshot.side_effects)
        self._async_show(snapshot.values)
        return snapshot

    def _report_side_effects(self, keys: tuple[str, ...]) -> None:
        """A write changed settings nobody asked to change: one warning and a repair issue."""
        points = self.source.points
        registry = er.async_get(self.hass)
        shown = []
        for key in keys:
            point = points.get(key)
            entity_id = (
                registry.async_get_entity_id(platform_for(point), DOMAIN, point.unique_id)
                if point is not None
                else None
            )
            shown.append(entity_id or key)
        device_key = points[keys[0]].device if keys[0] in points else ""
        device = self.source.devices.get(device_key)
        name = (device.name if device is not None else None) or device_key
        _LOGGER.warning(
            "A write to %s also changed settings nobody asked to change: %s",
            name,
            ", ".join(shown),
        )
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            f"{SIDE_EFFECT_ISSUE}_{self.config_entry.entry_id}_{device_key}",
            is_fixable=True,
            severity=ir.IssueSeverity.WARNING,
            translation_key=SIDE_EFFECT_ISSUE,
            translation_placeholders={"name": name, "settings": ", ".join(shown)},
            data={"entry_id": self.config_entry.entry_id, "kind": SIDE_EFFECT_ISSUE},
        )

    def _async_show(self, values: dict[str, Value]) -> None:
        """Entities show at once what the device reported (a write's whole snapshot)."""
        self._mark_shown(values)
        self.async_set_updated_data({**(self.data or {}), **values})

    def _mark_shown(self, keys: Iterable[str]) -> None:
        self._shown_count += 1
        self._shown_at.update(dict.fromkeys(keys, self._shown_count))


def _within(last: float | None, now: float, interval: float) -> bool:
    return last is not None and now - last < interval
