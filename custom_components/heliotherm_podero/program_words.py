"""What a time program's slots are called, in Home Assistant's language and the owner's words.

A slot of a two-state program switches something on ("Hot water on"). The levels of a
program with more states (heating, mixing circuits) are not documented by Heliotherm: they
are called "Heating level 1", or what the owner named them in the options, and the event's
description says once that their meaning is not documented. The words come from the
translations (``selector.program_words``), read once per calendar platform setup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from homeassistant.core import HomeAssistant
from homeassistant.helpers import translation

from .const import DOMAIN
from .sources.model import InvalidValue
from .sources.programs import Slot, TimeProgramInfo

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# The pump's own program names, as the translations call them.
KNOWN_PROGRAMS = {
    "Warmwasser": "hot_water_program",
    "Zirkulationspumpe": "circulation_program",
    "Zirkulation": "circulation_program",
    "Heizung": "heating_program",
}
MIXER_PROGRAM = re.compile(r"Mischer\s*(\d+)")
TRAILING_NUMBER = re.compile(r"(\d+)\s*$")

DEFAULT_WORDS = {
    "on": "{program} on",
    "level": "{program} level {number}",
    "named_level": "{program}: {name}",
    "where": "{weekday}, {ordinal} slot of {entries}; this pump holds up to {entries} slots a day",
    "undocumented": "Heliotherm does not document what the levels of this program do.",
    "ordinal": "{number}th",
    "ordinal_1": "1st",
    "ordinal_2": "2nd",
    "ordinal_3": "3rd",
    "hot_water_program": "Hot water",
    "circulation_program": "Circulation",
    "heating_program": "Heating",
    "mixer_program": "Mixer {number}",
    **{day: day.capitalize() for day in WEEKDAYS},
}


def name_of(info: TimeProgramInfo) -> tuple[str | None, dict[str, str]]:
    """The translation key and placeholders of a program's name; None: the pump's own name."""
    if (key := KNOWN_PROGRAMS.get(info.name)) is not None:
        return key, {}
    if match := MIXER_PROGRAM.fullmatch(info.name):
        return "mixer_program", {"number": match.group(1)}
    return None, {}


def level_names(text: str) -> tuple[str, ...]:
    """The owner's names of the levels 1, 2, ... (comma-separated; blanks keep the default)."""
    return tuple(part.strip() for part in text.split(",")) if text.strip() else ()


async def async_load_words(hass: HomeAssistant) -> dict[str, str]:
    """The words in Home Assistant's language (English where a text is missing)."""
    strings = await translation.async_get_translations(
        hass, hass.config.language, "selector", {DOMAIN}
    )
    prefix = f"component.{DOMAIN}.selector.program_words.options."
    return {key: strings.get(prefix + key, default) for key, default in DEFAULT_WORDS.items()}


def _fill(text: str, **values: object) -> str:
    for key, value in values.items():
        text = text.replace("{" + key + "}", str(value))
    return text


@dataclass(frozen=True, slots=True)
class ProgramWords:
    """The words of one program's calendar events."""

    info: TimeProgramInfo
    words: dict[str, str]
    levels: tuple[str, ...] = ()  # the owner's names of levels 1, 2, ...

    @property
    def program(self) -> str:
        """The program as a title names it ("Hot water", "Mixer 1", or the pump's name)."""
        key, placeholders = name_of(self.info)
        if key is None:
            return self.info.name
        return _fill(self.words[key], **placeholders)

    @property
    def switches(self) -> bool:
        """A program that switches something on or off (two states)."""
        return self.info.states == 2

    def summary(self, state: int) -> str:
        """An event's title: what its slot does."""
        if self.switches:
            return _fill(self.words["on"], program=self.program)
        if name := self._level_name(state):
            return _fill(self.words["named_level"], program=self.program, name=name)
        return _fill(self.words["level"], program=self.program, number=state)

    def _level_name(self, state: int) -> str:
        """The owner's name of a level, or nothing."""
        return self.levels[state - 1] if 0 < state <= len(self.levels) else ""

    def description(self, slot: Slot, weekday: int) -> str:
        """Where the slot sits, as a person says it (and, once, what is not documented)."""
        number = slot.entry + 1
        ordinal = self.words.get(f"ordinal_{number}") or _fill(self.words["ordinal"], number=number)
        text = _fill(
            self.words["where"],
            weekday=self.words[WEEKDAYS[weekday]],
            ordinal=ordinal,
            entries=self.info.entries_per_day,
        )
        if not self.switches and not any(self.levels):
            text = f"{text}. {self.words['undocumented']}"
        return text

    def state_of(self, title: str) -> int:
        """The state an event's title names: a title shown for it, a level name, a number.

        A two-state program has one choice: on.
        """
        if self.switches:
            return 1
        wanted = title.strip().casefold()
        for state in range(1, self.info.states):
            names = {self.summary(state), self._level_name(state) or self.summary(state)}
            if wanted in {name.casefold() for name in names}:
                return state
        if (match := TRAILING_NUMBER.search(wanted)) is not None:
            return int(match.group(1))
        raise InvalidValue(
            "invalid_slot_title", title=title, example=self.summary(self.info.states - 1)
        )
