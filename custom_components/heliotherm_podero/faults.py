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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import translation
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .coordinator import HeatPumpCoordinator
from .flows import mode_of
from .sources.capabilities import (
    ActiveFault,
    FaultEntry,
    FaultHistory,
    FaultMark,
    active_faults,
)
from .sources.model import FaultRule, SourceError

_LOGGER = logging.getLogger(__name__)

FAULT_RAISED = "fault_raised"
FAULT_CLEARED = "fault_cleared"
EVENT_TYPES = [FAULT_RAISED, FAULT_CLEARED]
STORAGE_VERSION = 1
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


@dataclass(frozen=True, slots=True)
class FaultEvent:
    """One event to tell a device's event entity."""

    device: str
    event_type: str
    attributes: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Fault:
    """A fault as told: its code and words, when, where from, its place in a history."""

    code: str
    message: str
    time: str  # ISO, in Home Assistant's zone
    source: str
    index: int | None = None  # the entry of a fault history

    def told(self, title: str, when: str | None = None) -> dict[str, Any]:
        """The event's attributes (a clearing tells when it cleared)."""
        told: dict[str, Any] = {
            "code": self.code,
            "message": self.message,
            "title": title,
            "time": when or self.time,
            "source": self.source,
        }
        if self.index is not None:
            told["index"] = self.index
        return told

    @classmethod
    def from_told(cls, data: Mapping[str, Any]) -> Fault | None:
        """A stored fault, or None when it is not one."""
        try:
            index = data.get("index")
            return cls(
                str(data["code"]),
                str(data["message"]),
                str(data["time"]),
                str(data["source"]),
                int(index) if index is not None else None,
            )
        except (KeyError, TypeError, ValueError):
            return None


@dataclass(slots=True)
class Told:
    """What was told, stored before it is told: never twice, not after a restart either.

    ``active``: each device's active faults (code -> message); ``history``: where the fault
    history was looked at last; ``raised``: the fault a history raised last, which the fault
    flag going off clears (once).
    """

    active: dict[str, dict[str, str]] = field(default_factory=dict)
    history: FaultMark | None = None
    raised: dict[str, Fault] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """What is stored (the format of earlier versions)."""
        history = self.history
        return {
            "active": {
                device: {code: {"message": message} for code, message in faults.items()}
                for device, faults in self.active.items()
            },
            "history": None
            if history is None
            else {
                "index": history.index,
                **(
                    {"code": history.code, "time": history.time.isoformat()}
                    if history.code is not None and history.time is not None
                    else {}
                ),
            },
            "raised": {device: fault.told("") for device, fault in self.raised.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Told:
        """What was stored; what cannot be read is left out."""
        told = cls()
        for device, faults in (data.get("active") or {}).items():
            told.active[device] = {
                code: str((fault or {}).get("message") or code) for code, fault in faults.items()
            }
        history = data.get("history")
        if isinstance(history, dict) and isinstance(history.get("index"), int):
            stamp = history.get("time")
            told.history = FaultMark(
                history["index"],
                history.get("code"),
                datetime.fromisoformat(stamp) if isinstance(stamp, str) else None,
            )
        for device, raw in (data.get("raised") or {}).items():
            if isinstance(raw, dict) and (fault := Fault.from_told(raw)) is not None:
                told.raised[device] = fault
        return told


class FaultTracker:
    """One entry's faults: what each device reports, compared with what was told."""

    def __init__(
        self, hass: HomeAssistant, entry: ConfigEntry[Any], coordinator: HeatPumpCoordinator
    ) -> None:
        self.hass = hass
        self.entry = entry
        self.coordinator = coordinator
        self.source_name = mode_of(entry.data).source_name
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.faults.{entry.entry_id}"
        )
        self.told = Told()
        self._lock = asyncio.Lock()
        self._listeners: dict[str, Listener] = {}
        self._dirty = False  # what was told changed, not saved yet
        self._verified_at: float | None = None  # when the newest history entry was checked
        self.words = dict(DEFAULT_WORDS)

    async def async_load(self) -> None:
        """Take up what was told before (a restart, a reload), and the words to tell it in."""
        stored = await self._store.async_load()
        if stored is not None:
            self.told = Told.from_dict(stored)
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
            told: list[FaultEvent] = []
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
                await self._store.async_save(self.told.as_dict())  # before telling: never twice
                self._dirty = False
            for event in told:
                if (listener := self._listeners.get(event.device)) is not None:
                    listener(event.event_type, event.attributes)

    def _moved(self, device: str, active: Mapping[str, ActiveFault] | None) -> bool:
        """Whether the device's active faults differ from what was told."""
        return active is not None and set(active) != set(self.told.active.get(device, {}))

    def _event(
        self, device: str, event_type: str, fault: Fault, *, coded: bool, when: str | None = None
    ) -> FaultEvent:
        """The event telling ``fault`` (its title names the code where ``coded``)."""
        title = self._title(event_type, fault.code if coded else None)
        return FaultEvent(device, event_type, fault.told(title, when))

    def _changes(
        self, device: str, active: Mapping[str, ActiveFault], *, raised: bool
    ) -> list[FaultEvent]:
        """Codes that came (raised, where no history tells) and went (cleared)."""
        before = self.told.active.get(device, {})
        now = {code: self._message(fault) for code, fault in active.items()}
        if now == before:
            return []
        self.told.active[device] = now
        self._dirty = True
        seen = dt_util.now().isoformat()
        told = []
        if raised:
            for code in sorted(now.keys() - before.keys()):
                fault = Fault(code, now[code], seen, self.source_name)
                told.append(self._event(device, FAULT_RAISED, fault, coded=False))
        for code in sorted(before.keys() - now.keys()):
            told += self._cleared(device, code, before[code], seen, history=not raised)
        return told

    def _cleared(
        self, device: str, code: str, message: str, seen: str, *, history: bool
    ) -> list[FaultEvent]:
        """What a clearing tells.

        The fault raised last from the history (once), else the code that went; nothing
        where the history raised no fault.
        """
        if not history:
            fault = Fault(code, message, seen, self.source_name)
            return [self._event(device, FAULT_CLEARED, fault, coded=False)]
        last = self.told.raised.pop(device, None)
        if last is None:
            return []  # no fault was raised: none is cleared
        return [self._event(device, FAULT_CLEARED, last, coded=True, when=seen)]

    async def _history_news(self, history: FaultHistory, count: Any) -> list[FaultEvent]:
        """New entries of the fault history, told as raised faults, in order.

        How the list can move is the source's to know (``async_fault_news``); with its
        length unchanged the newest entry is still looked at once per settings interval (a
        full list drops its oldest entry for each new one).
        """
        if not isinstance(count, int) or count < 0:
            return []
        mark = self.told.history
        now = time.monotonic()
        if (
            mark is not None
            and count - 1 == mark.index
            and self._verified_at is not None
            and now - self._verified_at < self.coordinator.settings_interval
        ):
            return []  # nothing new, and looked at recently
        try:
            news = await self.coordinator.async_read(lambda: history.async_fault_news(mark, count))
        except SourceError as err:
            _LOGGER.debug("Fault list not read (%s); again with the next poll", err)
            return []
        self._verified_at = now
        if news.mark != mark:
            self.told.history = news.mark
            self._dirty = True
        if not news.entries:
            return []
        device = self.coordinator.source.points[history.fault_count_key].device
        raised = [self._fault(entry) for entry in news.entries]
        self.told.raised[device] = raised[-1]  # the fault flag going off clears it
        return [self._event(device, FAULT_RAISED, fault, coded=True) for fault in raised]

    def _fault(self, entry: FaultEntry) -> Fault:
        zone = dt_util.get_default_time_zone()  # the pump's clock runs on local time
        return Fault(
            str(entry.code),
            entry.message,
            entry.time.replace(tzinfo=zone).isoformat(),
            self.source_name,
            entry.index,
        )
