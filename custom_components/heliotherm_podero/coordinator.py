"""One coordinator over a Source: the polls, and the one door every change goes through.

Polls, program reads and commands take turns on the source's link (``turn``): a command that
needs several requests (read a day, write what differs) holds the turn from its first request
to its last, so no poll and no other command comes between.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
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
from .errors import translate_source_error
from .sources.capabilities import TimePrograms, WriteCounter
from .sources.commands import Command, Outcome, PointChanged
from .sources.model import (
    AuthFailed,
    InvalidValue,
    Source,
    SourceError,
    Value,
    WriteRejected,
    WriteUnconfirmed,
)
from .sources.programs import DayEntries, ProgramChanged

_LOGGER = logging.getLogger(__name__)

SIDE_EFFECT_ISSUE = "write_side_effect"

# Told what a command left in a time program: its days as the device holds them, or None
# when the program is unknown until it is read again (a command failed and so did the read).
type ProgramListener = Callable[[int, Mapping[int, DayEntries] | None], None]


class HeatPumpCoordinator(DataUpdateCoordinator[dict[str, Value]]):
    """Polls the enabled points of one source (one or many devices); writes go through here."""

    config_entry: ConfigEntry[Any]

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry[Any], source: Source) -> None:
        default = source.SCAN_INTERVAL.total_seconds()
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
        self._program_listeners: list[ProgramListener] = []
        self._turn = asyncio.Lock()
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

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """The link's turn: hold it for every request to the source (polls, reads, commands)."""
        async with self._turn:
            yield

    async def _async_update_data(self) -> dict[str, Value]:
        async with self._turn:
            return await self._async_poll()

    async def _async_poll(self) -> dict[str, Value]:
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

    async def async_read[T](self, read: Callable[[], Awaitable[T]]) -> T:
        """Read something from the source now, in the link's turn; source errors pass through."""
        async with self._turn:
            return await read()

    async def async_read_point(self, key: str) -> Value:
        """Read one point now and show it; source errors pass through."""
        async with self._turn:
            value = await self.source.async_read_point(key)
            self._async_show({key: value})
        return value

    async def async_command(self, command: Command) -> Outcome:
        """The one door every change to a device goes through.

        The command runs in the link's turn (all its requests); what the device reported is
        shown at once (points, extras such as the clock, a program's days). A refused write
        shows the value the device reported, a write whose answer was lost makes its point
        unknown until the next settings poll, a program command that failed after it may have
        written reads the program again; refused credentials start reauthentication. What
        the source wrote is told to the write listeners (the wear guard), also when the
        command failed. Source errors come out translated (``errors``), caused by the
        source's own error. In read-only mode every command is refused here, before the
        source is asked (each source refuses too, but none has to remember it).
        """
        if self.source.read_only:
            refused = InvalidValue("read_only_mode")
            raise translate_source_error(refused) from refused
        async with self._turn:
            mark = self.source.write_mark() if isinstance(self.source, WriteCounter) else None
            try:
                outcome = await command.run(self.source)
            except SourceError as err:
                await self._async_failed(command, err)
                raise translate_source_error(err) from err
            finally:
                if mark is not None and isinstance(self.source, WriteCounter):
                    self._tell_written(self.source.written_since(mark))
            self._async_show_outcome(outcome)
        return outcome

    @callback
    def async_add_write_listener(self, listener: Callable[[str], None]) -> CALLBACK_TYPE:
        """Call ``listener`` with every key a command wrote (the wear guard counts them)."""
        self._write_listeners.append(listener)
        return lambda: self._write_listeners.remove(listener)

    @callback
    def async_add_program_listener(self, listener: ProgramListener) -> CALLBACK_TYPE:
        """Tell ``listener`` what every command left in a time program."""
        self._program_listeners.append(listener)
        return lambda: self._program_listeners.remove(listener)

    def _tell_written(self, keys: Iterable[str]) -> None:
        for key in sorted(keys):
            for listener in list(self._write_listeners):
                listener(key)

    def _tell_program(self, index: int, days: Mapping[int, DayEntries] | None) -> None:
        for listener in list(self._program_listeners):
            listener(index, days)

    def _async_show_outcome(self, outcome: Outcome) -> None:
        snapshot = outcome.snapshot
        if snapshot.side_effects:
            self._report_side_effects(snapshot.side_effects)
        if snapshot.extra:
            self.extra.update(snapshot.extra)
        if snapshot.values:
            self._async_show(snapshot.values)
        elif snapshot.extra:
            self.async_update_listeners()
        if outcome.program is not None:
            self._tell_program(outcome.program.program, outcome.program.days)

    async def _async_failed(self, command: Command, err: SourceError) -> None:
        """Keep what is shown true to the device after a failed command."""
        points = self.source.points
        if isinstance(err, WriteRejected | PointChanged) and err.key in points:
            self._async_show({err.key: err.reported})
        elif isinstance(err, WriteUnconfirmed) and err.key in points:
            data = dict(self.data or {})
            data.pop(err.key, None)
            self._mark_shown((err.key,))
            self._last_settings_poll = None
            self.async_set_updated_data(data)
        elif isinstance(err, AuthFailed):
            self.config_entry.async_start_reauth(self.hass)
        elif isinstance(err, ProgramChanged):
            self._tell_program(err.program, err.held)
        if command.program is not None and not isinstance(err, InvalidValue):
            await self._async_reread_program(command.program)

    async def _async_reread_program(self, index: int) -> None:
        """A program command failed after it may have written: show what the pump holds."""
        if not isinstance(self.source, TimePrograms):
            return
        try:
            program = await self.source.async_time_program(index)
        except SourceError as err:
            _LOGGER.debug("Time program %s could not be read again: %s", index, err)
            self._tell_program(index, None)
            return
        self._tell_program(index, dict(enumerate(program.days)))

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
