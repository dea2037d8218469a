"""The pump's time programs as Home Assistant holds them: read, kept fresh, edited.

A coordinator of its own: programs are long (one whole program is about 50 frames), so they
are read when the entry is set up and then on the settings interval, and only those whose
calendar is enabled; a coordinator without listeners does not poll at all. An edit reads the
days it changes, writes what differs and shows what the pump stored; an edit that fails
after something may have been sent reads the program again, so what is shown is the pump's.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .const import DOMAIN
from .coordinator import HeatPumpCoordinator
from .sources.capabilities import DayEdit, TimeProgram, TimeProgramInfo, TimePrograms
from .sources.model import InvalidValue, SourceError

_LOGGER = logging.getLogger(__name__)


def program_key(index: int) -> str:
    """The key a program's writes are counted under (the wear guard)."""
    return f"time_program_{index}"


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
    """The enabled programs of one pump, by index, as last read or written."""

    def __init__(
        self,
        hass: HomeAssistant,
        coordinator: HeatPumpCoordinator,
        source: TimePrograms,
        headers: list[TimeProgramInfo],
        device: str,
    ) -> None:
        super().__init__(
            hass,
            _LOGGER,
            config_entry=coordinator.config_entry,
            name=f"{DOMAIN} {coordinator.config_entry.title} time programs",
            update_interval=timedelta(seconds=coordinator.settings_interval),
        )
        self.main = coordinator
        self.programs = source
        self.headers = headers
        self.device = device  # the pump the programs belong to
        self.wanted: frozenset[int] = frozenset()  # programs whose calendar is enabled
        self._unread = False  # a wanted program could not be read
        self._online = True  # the main coordinator's last poll succeeded

    async def _async_update_data(self) -> dict[int, TimeProgram]:
        """Read the wanted programs; one that cannot be read is unknown until read again.

        A link fault is not an error of its own here: the main coordinator tells of it (once)
        and the calendars are unavailable with everything else; when the main coordinator
        reads again, so does this one (``_async_main_updated``).
        """
        programs = dict(self.data or {})
        for index in sorted(self.wanted):
            try:
                programs[index] = await self.programs.async_time_program(index)
            except SourceError as err:
                _LOGGER.debug("Time programs not read (%s); again once the link is back", err)
                for unread in self.wanted:
                    if unread >= index:
                        programs.pop(unread, None)
                self._unread = True
                break
        else:
            self._unread = False
        return programs

    @callback
    def async_follow_main(self) -> CALLBACK_TYPE:
        """Follow the main coordinator: its link state, and reading again once it is back."""
        return self.main.async_add_listener(self._async_main_updated)

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

    async def async_edit(self, index: int, days: Iterable[int], edit: DayEdit) -> None:
        """Edit some days of a program on the pump; source errors pass through.

        Shown afterwards: the days as the pump stored them, or, when the edit failed after
        it may have written, the program read again (or nothing, while it cannot be read).
        """
        try:
            stored = await self.programs.async_edit_time_program(index, days, edit)
        except InvalidValue:
            raise  # refused before anything was written
        except SourceError:
            self.main.async_note_written([program_key(index)])
            await self._async_reread(index)
            raise
        self.main.async_note_written([program_key(index)])
        program = (self.data or {}).get(index)
        if program is None:  # not shown (a failed refresh): show it as the pump has it now
            await self._async_reread(index)
            return
        new_days = tuple(stored.get(day, entries) for day, entries in enumerate(program.days))
        self.async_show(TimeProgram(info=program.info, days=new_days))

    def async_show(self, program: TimeProgram) -> None:
        """Show a program as the pump reported it (after an edit, or a service's write)."""
        self.async_set_updated_data({**(self.data or {}), program.info.index: program})

    async def _async_reread(self, index: int) -> None:
        programs = dict(self.data or {})
        try:
            programs[index] = await self.programs.async_time_program(index)
        except SourceError as err:
            _LOGGER.debug("Time program %s could not be read again: %s", index, err)
            programs.pop(index, None)  # unknown until read again, once the link is back
            self._unread = True
        self.async_set_updated_data(programs)
