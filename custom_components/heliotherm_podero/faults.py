"""Faults as events: every fault raised and cleared, told once to the device's event entity.

The tracker listens to the coordinator. Where the device keeps a fault history (Heliotherm),
each new entry of it is a raised fault, in order, also entries that came while Home Assistant
was stopped; the device's fault flag going off is the clearing of the fault raised last (a
clearing is told only for a fault that was raised). Elsewhere (Aris, Podero) a fault code
appearing among the device's active faults is raised, one disappearing cleared. What was
told is kept in storage before it is told, so nothing is told twice: not after a restart, a
reload or a link fault. A history that no longer holds the entry told last (cleared,
wrapped) is not replayed: of what it holds, the entries later than the one told last are
raised.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import translation
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import CONF_MODE, DOMAIN, MODE_SERIAL
from .coordinator import HeatPumpCoordinator
from .sources.capabilities import ActiveFault, FaultEntry, FaultHistory, active_faults
from .sources.model import FaultRule, SourceError

_LOGGER = logging.getLogger(__name__)

FAULT_RAISED = "fault_raised"
FAULT_CLEARED = "fault_cleared"
EVENT_TYPES = [FAULT_RAISED, FAULT_CLEARED]
STORAGE_VERSION = 1
SEARCH_WINDOW = 16  # entries looked through for the one seen last, when it moved
# What an event says, in Home Assistant's language (``selector.fault_words`` of the
# translations): its title, and the message of a fault the device gives no words for.
DEFAULT_WORDS = {
    "raised": "Fault",
    "raised_code": "Fault {code}",
    "cleared": "Fault cleared",
    "cleared_code": "Fault {code} cleared",
    "code": "Fault code {code}",
    "connection_status": "Connection: error",
    "monitoring_status": "Monitoring: error",
    "steering_status": "Steering: error",
    "action_needed": "Action needed: link the manufacturer's account again (see Repairs)",
    "flag": "Fault",
}

type Listener = Callable[[str, dict[str, Any]], None]


class FaultTracker:
    """One entry's faults: what each device reports, compared with what was told."""

    def __init__(
        self, hass: HomeAssistant, entry: ConfigEntry[Any], coordinator: HeatPumpCoordinator
    ) -> None:
        self.hass = hass
        self.entry = entry
        self.coordinator = coordinator
        mode = entry.data[CONF_MODE]
        self.source_name = "heliotherm" if mode == MODE_SERIAL else mode
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.faults.{entry.entry_id}"
        )
        self.memory: dict[str, Any] = {"active": {}, "history": None, "raised": {}}
        self._lock = asyncio.Lock()
        self._listeners: dict[str, Listener] = {}
        self._dirty = False  # memory changed, not saved yet
        self._verified_at: float | None = None  # when the newest history entry was checked
        self.words = dict(DEFAULT_WORDS)

    async def async_load(self) -> None:
        """Take up what was told before (a restart, a reload), and the words to tell it in."""
        stored = await self._store.async_load()
        if stored is not None:
            self.memory.update(stored)
        strings = await translation.async_get_translations(
            self.hass, self.hass.config.language, "selector", {DOMAIN}
        )
        prefix = f"component.{DOMAIN}.selector.fault_words.options."
        self.words = {key: strings.get(prefix + key, text) for key, text in DEFAULT_WORDS.items()}

    def _message(self, fault: ActiveFault) -> str:
        """A fault's message: the device's own words, else ours ("Fault code E101")."""
        if fault.message:
            return fault.message
        if fault.rule is FaultRule.CODES:
            return self.words["code"].replace("{code}", fault.code)
        return self.words.get(fault.code, self.words["flag"])

    def _title(self, event_type: str, code: str | None = None) -> str:
        """An event's title ("Fault 21", "Fault cleared"), as a notification heads it."""
        word = "raised" if event_type == FAULT_RAISED else "cleared"
        if code is None:
            return self.words[word]
        return self.words[f"{word}_code"].replace("{code}", code)

    def devices(self) -> list[str]:
        """The devices that can report faults (their event entities)."""
        points = self.coordinator.source.points.values()
        return sorted({point.device for point in points if point.fault is not None})

    @callback
    def async_listen(self, device: str, listener: Listener) -> CALLBACK_TYPE:
        """Tell ``listener`` (an event entity) of ``device``'s faults."""
        self._listeners[device] = listener

        @callback
        def _stop() -> None:
            self._listeners.pop(device, None)

        return _stop

    @callback
    def async_start(self) -> CALLBACK_TYPE:
        """Look at every poll, and once now (what came while Home Assistant was stopped)."""
        self.async_check()
        return self.coordinator.async_add_listener(self.async_check)

    @callback
    def async_check(self) -> None:
        """Compare the last poll with what was told (in a task: a history is read)."""
        if self.coordinator.last_update_success:
            self.entry.async_create_task(self.hass, self._async_check(), "fault events")

    async def _async_check(self) -> None:
        async with self._lock:
            data = self.coordinator.data or {}
            source = self.coordinator.source
            history = source if isinstance(source, FaultHistory) else None
            told: list[tuple[str, str, dict[str, Any]]] = []
            actives = {
                device: active_faults(source.points.values(), device, data)
                for device in self.devices()
            }
            if history is not None:
                count = data.get(history.fault_count_key)
                if any(self._moved(device, active) for device, active in actives.items()):
                    # The fault flag moved (a fast poll): the history is read now, so a
                    # fault is raised before it is cleared, whatever the settings interval.
                    with contextlib.suppress(SourceError):
                        key = history.fault_count_key
                        count = await self.coordinator.async_read_point(key)  # shown too
                        self._verified_at = None
                told += await self._history_news(history, count)
            for device, active in actives.items():
                if active is not None:
                    told += self._changes(device, active, raised=history is None)
            if told or self._dirty:
                await self._store.async_save(self.memory)  # before telling: never twice
                self._dirty = False
            for device, event_type, attributes in told:
                if (listener := self._listeners.get(device)) is not None:
                    listener(event_type, attributes)

    def _moved(self, device: str, active: dict[str, Any] | None) -> bool:
        """Whether the device's active faults differ from what was told."""
        return active is not None and set(active) != set(self.memory["active"].get(device, {}))

    def _changes(
        self, device: str, active: dict[str, Any], *, raised: bool
    ) -> list[tuple[str, str, dict[str, Any]]]:
        """Codes that came (raised, where no history tells) and went (cleared)."""
        before: dict[str, Any] = self.memory["active"].get(device, {})
        now = {code: {"message": self._message(fault)} for code, fault in active.items()}
        if now == before:
            return []
        self.memory["active"][device] = now
        self._dirty = True
        seen = dt_util.now().isoformat()
        told = []
        if raised:
            for code in sorted(now.keys() - before.keys()):
                told.append(
                    (device, FAULT_RAISED, self._attributes(FAULT_RAISED, code, now[code], seen))
                )
        for code in sorted(before.keys() - now.keys()):
            told += self._cleared(device, code, before[code], seen, history=not raised)
        return told

    def _cleared(
        self, device: str, code: str, fault: dict[str, Any], seen: str, *, history: bool
    ) -> list[tuple[str, str, dict[str, Any]]]:
        """What a clearing tells.

        The fault raised last from the history (once), else the code that went; nothing
        where the history raised no fault.
        """
        if not history:
            return [(device, FAULT_CLEARED, self._attributes(FAULT_CLEARED, code, fault, seen))]
        last = self.memory["raised"].pop(device, None)
        if last is None:
            return []  # no fault was raised: none is cleared
        title = self._title(FAULT_CLEARED, last["code"])
        return [(device, FAULT_CLEARED, {**last, "time": seen, "title": title})]

    def _attributes(
        self, event_type: str, code: str, fault: dict[str, Any], seen: str
    ) -> dict[str, Any]:
        return {
            "code": code,
            "message": fault.get("message") or code,
            "title": self._title(event_type),
            "time": seen,
            "source": self.source_name,
        }

    async def _history_news(
        self, history: FaultHistory, count: Any
    ) -> list[tuple[str, str, dict[str, Any]]]:
        """New entries of the fault history, in order; a history not recognised is a new start.

        The entry seen last is looked for where it was; a list that is full drops its oldest
        entry for each new one (a ring), so with the count unchanged the newest entry is
        still looked at once per settings interval, and a moved one is searched for among
        the last ``SEARCH_WINDOW`` entries.
        """
        if not isinstance(count, int) or count < 0:
            return []
        known = self.memory["history"]
        last = known["index"] if known is not None else None
        now = time.monotonic()
        if (
            last is not None
            and count - 1 == last
            and self._verified_at is not None
            and now - self._verified_at < self.coordinator.settings_interval
        ):
            return []  # nothing new, and looked at recently
        try:
            if last is None:
                await self._take_as_start(history, count)  # the first look: its end
                self._verified_at = now
                return []
            if known.get("code") is None:  # the list was empty: all of it is new
                entries = await self._read(history, 0, count)
                return self._raised(history, entries) if entries else []
            entries = await self._read(history, max(0, min(last, count - 1)), count)
            if not entries or last > count - 1 or _remembered(entries[0]) != known:
                entries = await self._read(history, max(0, count - SEARCH_WINDOW), count)
                seen = [i for i, entry in enumerate(entries) if _same(entry, known)]
                if not seen:
                    return self._after_reset(history, entries, known)
                entries = entries[seen[-1] :]
        except SourceError as err:
            _LOGGER.debug("Fault list not read (%s); again with the next poll", err)
            return []
        self._verified_at = now
        if len(entries) == 1:
            if entries[0].index != last:
                self._remember(entries[0])  # moved down the ring
            return []
        return self._raised(history, entries[1:])

    def _after_reset(
        self, history: FaultHistory, entries: list[FaultEntry], known: dict[str, Any]
    ) -> list[tuple[str, str, dict[str, Any]]]:
        """The list no longer holds the entry told last (cleared or wrapped): not replayed.

        Entries later than the one told last came since: those are raised, in order.
        """
        told_last = datetime.fromisoformat(known["time"])
        newer = [entry for entry in entries if entry.time > told_last]
        _LOGGER.info(
            "The fault list was cleared or wrapped; %d newer entries told, none replayed",
            len(newer),
        )
        self._verified_at = time.monotonic()
        if newer:
            return self._raised(history, newer)
        if entries:
            self._remember(entries[-1])
        else:
            self.memory["history"] = {"index": -1}
            self._dirty = True
        return []

    async def _read(self, history: FaultHistory, start: int, end: int) -> list[FaultEntry]:
        """Entries ``start`` .. ``end - 1``, read in the link's turn."""
        return await self.coordinator.async_read(lambda: history.async_fault_range(start, end))

    def _raised(
        self, history: FaultHistory, entries: list[FaultEntry]
    ) -> list[tuple[str, str, dict[str, Any]]]:
        """New entries, told as raised faults in order.

        The last one is remembered: the next look starts there, and the flag going off
        clears it.
        """
        device = self._history_device(history)
        self._remember(entries[-1])
        self.memory["raised"][device] = self._entry_attributes(entries[-1])
        return [
            (device, FAULT_RAISED, {**attributes, "title": self._title(FAULT_RAISED, code)})
            for attributes, code in (
                (self._entry_attributes(entry), str(entry.code)) for entry in entries
            )
        ]

    async def _take_as_start(self, history: FaultHistory, count: int) -> None:
        entries = await self._read(history, count - 1, count) if count else []
        if entries:
            self._remember(entries[-1])
        else:
            self.memory["history"] = {"index": -1}
            self._dirty = True

    def _remember(self, entry: FaultEntry) -> None:
        """The newest entry seen (told or not): where the next look starts."""
        self.memory["history"] = _remembered(entry)
        self._dirty = True

    def _history_device(self, history: FaultHistory) -> str:
        return self.coordinator.source.points[history.fault_count_key].device

    def _entry_attributes(self, entry: FaultEntry) -> dict[str, Any]:
        zone = dt_util.get_default_time_zone()  # the pump's clock runs on local time
        return {
            "code": str(entry.code),
            "message": entry.message,
            "time": entry.time.replace(tzinfo=zone).isoformat(),
            "source": self.source_name,
            "index": entry.index,
        }


def _same(entry: FaultEntry, known: dict[str, Any]) -> bool:
    """The entry seen before (wherever it sits now): same code and time."""
    return entry.code == known.get("code") and entry.time.isoformat() == known.get("time")


def _remembered(entry: FaultEntry) -> dict[str, Any]:
    """What identifies an entry of the history: its index, code and time."""
    return {"index": entry.index, "code": entry.code, "time": entry.time.isoformat()}
