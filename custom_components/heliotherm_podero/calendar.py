"""Calendars: each time program of the pump as a week of recurring events, editable.

An event is one slot of the program (state other than 0), repeating every week on its day;
its ID says where the slot sits and what it holds, and the calendar remembers each slot it
showed by that ID. Creating, moving or deleting an event is a command (``EditTimeProgram``)
made against the slot as it was shown: what the program cannot hold is refused before
anything is sent, and a slot the pump no longer holds as shown is left alone.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime, timedelta, tzinfo
from typing import Any

from homeassistant.components.calendar import CalendarEntity, CalendarEvent
from homeassistant.components.calendar.const import CalendarEntityFeature
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity
from homeassistant.util import dt as dt_util

from .compat import CALENDAR_INITIAL_COLOR, notify_calendar_views
from .const import (
    CONF_PROGRAM_FIRST_DAY,
    CONF_PROGRAM_LEVEL_NAMES,
    DEFAULT_PROGRAM_FIRST_DAY,
)
from .devices import device_info
from .errors import translated_errors
from .program_words import ProgramWords, async_load_words, level_names, name_of
from .runtime import HeatPumpConfigEntry
from .schedules import ProgramCoordinator, calendar_unique_id
from .sources.commands import EditTimeProgram
from .sources.model import InvalidValue
from .sources.programs import (
    Slot,
    SlotEdit,
    TimeProgram,
    TimeProgramEntry,
    TimeProgramInfo,
    check_slot,
    format_time,
)
from .weekly import FIRST_DAYS, Week, occurrences, rule_for, span_of, weekdays_of

PARALLEL_UPDATES = 1  # one edit of the pump's programs at a time

LOOK_AHEAD = timedelta(days=8)  # the next slot of a program is at most a week away
SHOWN_KEPT = 1000  # slots remembered by event ID (a week of five programs is at most 245)
# Each program's colour in the Calendar panel, where the release lets a calendar propose one.
COLOURS = {
    "hot_water_program": "#e53935",
    "circulation_program": "#8e24aa",
    "heating_program": "#fb8c00",
}
MIXER_COLOURS = ("#43a047", "#1e88e5", "#00897b", "#6d4c41")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One calendar per weekly time program of a pump that has them."""
    programs = entry.runtime_data.programs
    if programs is None:
        return
    words = await async_load_words(hass)
    levels = level_names(entry.options.get(CONF_PROGRAM_LEVEL_NAMES, ""))
    first = FIRST_DAYS[entry.options.get(CONF_PROGRAM_FIRST_DAY, DEFAULT_PROGRAM_FIRST_DAY)]
    async_add_entities(
        ProgramCalendar(programs, ProgramWords(info, words, levels), Week(first))
        for info in programs.headers
        if info.days == 7
    )


def colour_of(info: TimeProgramInfo) -> str | None:
    """A colour of its own for each program the pump names as Heliotherm does."""
    key, placeholders = name_of(info)
    if key == "mixer_program":
        return MIXER_COLOURS[(int(placeholders["number"]) - 1) % len(MIXER_COLOURS)]
    return COLOURS.get(key or "")


class ProgramCalendar(CoordinatorEntity[ProgramCoordinator], CalendarEntity):
    """One time program of the pump."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: ProgramCoordinator, words: ProgramWords, week: Week) -> None:
        super().__init__(coordinator)
        self.info = info = words.info
        self.week = week
        self.words = words
        if CALENDAR_INITIAL_COLOR:
            self._attr_initial_color = colour_of(info)
        device = coordinator.device
        self._attr_unique_id = calendar_unique_id(device, info.index)
        self._attr_device_info = device_info(coordinator.hass, coordinator.main.source, device)
        self._attr_entity_registry_enabled_default = info.in_use
        key, placeholders = name_of(info)
        if key is not None:
            self._attr_translation_key = key
            self._attr_translation_placeholders = placeholders
        else:
            self._attr_name = info.name
        # Every slot shown, by its event's ID: an edit names the slot as the owner saw it.
        self._shown: OrderedDict[str, Slot] = OrderedDict()
        if not coordinator.main.source.read_only:
            self._attr_supported_features = (
                CalendarEntityFeature.CREATE_EVENT
                | CalendarEntityFeature.UPDATE_EVENT
                | CalendarEntityFeature.DELETE_EVENT
            )

    @property
    def program(self) -> TimeProgram | None:
        """The program as last read or written."""
        return (self.coordinator.data or {}).get(self.info.index)

    @property
    def available(self) -> bool:
        """Unavailable while the link is down or the program is not read."""
        return self.coordinator.main.last_update_success and self.program is not None

    @property
    def _zone(self) -> tzinfo:
        return dt_util.get_default_time_zone()

    @property
    def event(self) -> CalendarEvent | None:
        """The slot running now, else the next one."""
        if (program := self.program) is None:
            return None
        now = dt_util.now()
        for found in occurrences(program, self.week, now, now + LOOK_AHEAD, self._zone):
            return self._event(*found)
        return None

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """Every slot's occurrences in the range (the program read first if held long)."""
        await self.coordinator.async_fresh(self.info.index)
        if (program := self.program) is None:
            return []
        return [
            self._event(*found)
            for found in occurrences(program, self.week, start_date, end_date, self._zone)
        ]

    def _event(self, slot: Slot, start: datetime, end: datetime) -> CalendarEvent:
        uid = _uid(slot)
        self._shown[uid] = slot
        self._shown.move_to_end(uid)
        if len(self._shown) > SHOWN_KEPT:
            self._shown.popitem(last=False)
        weekday = self.week.weekday(slot.day)
        return CalendarEvent(
            start=start,
            end=end,
            summary=self.words.summary(slot.value.state),
            # Where it sits; the calendar dialog also sends a description back when editing
            description=self.words.description(slot, weekday),
            uid=uid,
            recurrence_id=start.strftime("%Y%m%dT%H%M%S"),
            rrule=rule_for(weekday),
        )

    def _slot(self, event: dict[str, Any]) -> tuple[tuple[int, ...], TimeProgramEntry]:
        """The program days and slot an event asks for, checked against the program's rules."""
        weekday, begin, end = span_of(event["dtstart"], event["dtend"], self._zone)
        weekdays = weekdays_of(event.get("rrule"), weekday)
        value = TimeProgramEntry(self.words.state_of(event.get("summary", "")), begin, end)
        check_slot(self.info, value)
        return tuple(self.week.day(day) for day in weekdays), value

    def _shown_slot(
        self, uid: str, recurrence_id: str | None, recurrence_range: str | None
    ) -> Slot:
        """The slot an event showed; one occurrence alone cannot change (every week)."""
        if recurrence_id and recurrence_range != "THISANDFUTURE":
            raise InvalidValue("event_every_week")
        slot = self._shown.get(uid)
        if slot is None:
            raise InvalidValue("event_gone")
        return slot

    async def async_create_event(self, **kwargs: Any) -> None:
        """Add a slot on each day the event repeats on."""
        with translated_errors():
            days, value = self._slot(kwargs)
            await self._edit(SlotEdit(self.info.index, add=days, value=value))

    async def async_update_event(
        self,
        uid: str,
        event: dict[str, Any],
        recurrence_id: str | None = None,
        recurrence_range: str | None = None,
    ) -> None:
        """Move or change a slot (all its weeks)."""
        with translated_errors():
            shown = self._shown_slot(uid, recurrence_id, recurrence_range)
            days, value = self._slot(event)
            await self._edit(SlotEdit(self.info.index, remove=shown, add=days, value=value))

    async def async_delete_event(
        self, uid: str, recurrence_id: str | None = None, recurrence_range: str | None = None
    ) -> None:
        """Remove a slot (all its weeks)."""
        with translated_errors():
            shown = self._shown_slot(uid, recurrence_id, recurrence_range)
            await self._edit(SlotEdit(self.info.index, remove=shown))

    async def _edit(self, edit: SlotEdit) -> None:
        """Check the edit against the program as shown (nothing sent), then make it.

        The coordinator's door runs it in the link's turn: the pump's days are read again
        there, and a slot no longer held as shown leaves everything as the pump has it.
        """
        if (program := self.program) is None:
            raise InvalidValue("program_unknown")
        edit.apply(self.info, dict(enumerate(program.days)))  # refuses what cannot be
        try:
            await self.coordinator.main.async_command(EditTimeProgram(edit))
        finally:  # open calendar views show what the pump holds now, also after a refusal
            notify_calendar_views(self)


def _uid(slot: Slot) -> str:
    """An event's ID: where its slot sits and what it holds ("<day>-<entry>-<state>-<hhmm>-<hhmm>").

    A slot changed at the pump is another event, so an edit of what was shown never lands
    on what the pump holds now.
    """
    value = slot.value
    begin, end = (format_time(minutes).replace(":", "") for minutes in (value.begin, value.end))
    return f"{slot.day}-{slot.entry}-{value.state}-{begin}-{end}"
