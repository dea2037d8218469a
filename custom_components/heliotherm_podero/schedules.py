"""The pump's time programs as Home Assistant holds them: read when they can have changed.

A program changes only when someone edits it, here or at the pump's display. So a program
is read right after setup, on a slow interval (hourly by default, an option) so that a change
made at the pump shows within it, and when someone looks (the Calendar panel, or
``calendar.get_events``) at a program held for longer than ``FRESH_FOR``. What a command left
in a program (an edit, the set_time_program action) is shown from the coordinator's door: no
second read. Only the programs whose calendar is enabled are read.

Every read takes the link's turn and is kept the moment it arrives, so a refresh that began
before an edit never puts back the program from before it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from datetime import timedelta

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .const import DOMAIN
from .coordinator import HeatPumpCoordinator
from .sources.capabilities import TimePrograms
from .sources.model import SourceError
from .sources.programs import DayEntries, ProgramDays, TimeProgram, TimeProgramInfo

_LOGGER = logging.getLogger(__name__)

# A program held for longer than this is read again when someone looks at its calendar.
FRESH_FOR = timedelta(minutes=2)


def calendar_unique_id(device: str, index: int) -> str:
    """A program's calendar: "<serial number>_time_program_<index>"."""
    return f"{device}_time_program_{index}"


def enabled_programs(
    hass: HomeAssistant, entry: ConfigEntry, device: str, headers: list[TimeProgramInfo]
) -> frozenset[int]:
    """Programs whose calendar is enabled (registry, else by default: those the pump uses)."""
    registry = er.async_get(hass)
    wanted = set()
    for info in headers:
        entity_id = registry.async_get_entity_id(
            "calendar", DOMAIN, calendar_unique_id(device, info.index)
        )
        registered = registry.async_get(entity_id) if entity_id else None
        if (not registered.disabled) if registered is not None else info.in_use:
            wanted.add(info.index)
    return frozenset(wanted)


class ProgramCoordinator(DataUpdateCoordinator[dict[int, TimeProgram]]):
    """The enabled programs of one pump, by index, as last read or changed."""

    def __init__(
        self,
        hass: HomeAssistant,
        coordinator: HeatPumpCoordinator,
        source: TimePrograms,
        headers: list[TimeProgramInfo],
        device: str,
        interval: timedelta,
    ) -> None:
        super().__init__(
            hass,
            _LOGGER,
            config_entry=coordinator.config_entry,
            name=f"{DOMAIN} {coordinator.config_entry.title} time programs",
            update_interval=interval,
        )
        self.main = coordinator
        self.programs = source
        self.headers = headers
        self.device = device  # the pump the programs belong to
        self.wanted: frozenset[int] = frozenset()  # programs whose calendar is enabled
        self._held: dict[int, TimeProgram] = {}
        self._read_at: dict[int, float] = {}  # when each was last heard of (monotonic)
        self._unread = False  # a wanted program could not be read
        self._online = True  # the main coordinator's last poll succeeded

    async def _async_update_data(self) -> dict[int, TimeProgram]:
        """Read the wanted programs; one that cannot be read is unknown until read again.

        A link fault is not an error of its own here: the main coordinator tells of it (once)
        and the calendars are unavailable with everything else; when the main coordinator
        reads again, so does this one (``_async_main_updated``).
        """
        for index in sorted(self.wanted):
            try:
                await self._async_read(index)
            except SourceError as err:
                _LOGGER.debug("Time programs not read (%s); again once the link is back", err)
                for unread in self.wanted:
                    if unread >= index:
                        self._forget(unread)
                self._unread = True
                break
        else:
            self._unread = False
        return dict(self._held)

    async def _async_read(self, index: int, max_age: float | None = None) -> None:
        """Read one program in the link's turn and keep it (unless read within ``max_age``)."""
        async with self.main.turn():
            if max_age is not None and self._age(index) < max_age:
                return  # read meanwhile (another look waited for the same turn)
            program = await self.programs.async_time_program(index)
            self._keep(index, program)

    async def async_fresh(self, index: int) -> None:
        """Someone looks at a program: read it first if it was held longer than FRESH_FOR."""
        if index in self.wanted and self._age(index) >= FRESH_FOR.total_seconds():
            await self._async_read_shown(index, max_age=FRESH_FOR.total_seconds())

    async def _async_read_shown(self, index: int, max_age: float | None = None) -> None:
        """Read one program now and show it; when it cannot be read, what is held stays."""
        try:
            await self._async_read(index, max_age=max_age)
        except SourceError as err:
            _LOGGER.debug("Time program %s not read (%s): shown as held", index, err)
            if index not in self._held:
                self._unread = True  # read with the others once the link is back
            return
        self._show()

    def _show(self) -> None:
        """Show what is held now, leaving the slow refresh's schedule alone."""
        self.data = dict(self._held)
        self.async_update_listeners()

    def _age(self, index: int) -> float:
        read_at = self._read_at.get(index)
        return float("inf") if read_at is None else time.monotonic() - read_at

    def _keep(self, index: int, program: TimeProgram) -> None:
        self._held[index] = program
        self._read_at[index] = time.monotonic()

    def _forget(self, index: int) -> None:
        self._held.pop(index, None)
        self._read_at.pop(index, None)

    @callback
    def async_follow_main(self) -> CALLBACK_TYPE:
        """Follow the main coordinator.

        Its link state, reading again once it is back, and what its door's commands left in
        the programs.
        """
        stop_link = self.main.async_add_listener(self._async_main_updated)
        stop_news = self.main.async_add_program_listener(self._async_program_news)

        @callback
        def _stop() -> None:
            stop_link()
            stop_news()

        return _stop

    @callback
    def _async_main_updated(self) -> None:
        online = self.main.last_update_success
        if online != self._online:
            self._online = online
            self.async_update_listeners()  # the calendars' availability follows the link
        if online and self._unread:
            self._unread = False
            self.main.config_entry.async_create_task(
                self.hass, self.async_request_refresh(), "time programs again"
            )

    @callback
    def _async_program_news(self, index: int, days: Mapping[int, DayEntries] | None) -> None:
        """A command changed a program: show its days as the pump reported them.

        ``None``: the program is unknown until read again (a command failed, and so did
        reading it back).
        """
        if index not in self.wanted:
            return  # no calendar shows it
        held = self._held.get(index)
        info = next((info for info in self.headers if info.index == index), None)
        whole = ProgramDays(index, days, info).whole if days is not None else None
        if days is not None and held is not None:
            self._keep(index, held.with_days(days))
        elif whole is not None:
            self._keep(index, whole)
        else:  # unknown, or never held and only some days known: read it again
            self._forget(index)
            self.main.config_entry.async_create_task(
                self.hass, self._async_read_shown(index), "time program again"
            )
        self._show()
