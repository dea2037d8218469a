"""The pump's time programs over the link (PROTOCOL.md 5.7): read, edit, write, confirm."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..model import CommunicationError, InvalidValue, WriteRejected
from ..programs import DayEntries, SlotEdit, TimeProgram, TimeProgramEntry, TimeProgramInfo
from .replies import parse_sum
from .session import Session
from .timeprog import (
    entry_address,
    entry_command,
    padded_day,
    parse_entry,
    parse_info,
    validate_address,
    validate_day,
    validate_entry,
)


class TimePrograms(Session):
    """Program headers, whole programs, days entry by entry, and written entries confirmed."""

    async def time_programs(self) -> list[TimeProgramInfo]:
        """``PRL`` -> ``SUM=k`` then k program headers (kept: they do not change)."""

        def count(texts: list[str]) -> int:
            return 1 if not texts else 1 + parse_sum(texts[0])

        texts = await self._transact("PRL", count)
        self._programs = [parse_info(text, index) for index, text in enumerate(texts[1:])]
        return list(self._programs)

    async def _program_index(self, index: int) -> TimeProgramInfo:
        """The header of program ``index`` as ``PRL`` listed it; unknown indices are refused."""
        programs = self._programs if self._programs is not None else await self.time_programs()
        if not 0 <= index < len(programs):
            raise InvalidValue("invalid_program", program=index, programs=len(programs))
        return programs[index]

    async def time_program_info(self, index: int) -> TimeProgramInfo:
        """``PRI<i>`` -> one program header."""
        await self._program_index(index)
        return parse_info((await self._transact(f"PRI{index}"))[0], index)

    async def time_program(self, index: int) -> TimeProgram:
        """``PRD<i>`` -> header then NOD x EAD entries."""
        await self._program_index(index)

        def count(texts: list[str]) -> int:
            if not texts:
                return 1
            info = parse_info(texts[0], index)
            return 1 + info.days * info.entries_per_day

        texts = await self._transact(f"PRD{index}", count)
        info = parse_info(texts[0], index)
        entries = iter(texts[1:])
        days = tuple(
            tuple(
                parse_entry(next(entries), index, day, entry)
                for entry in range(info.entries_per_day)
            )
            for day in range(info.days)
        )
        return TimeProgram(info=info, days=days)

    async def get_time_program_entry(self, index: int, day: int, entry: int) -> TimeProgramEntry:
        """Read one entry."""
        info = await self._program_index(index)
        validate_address(info, day, entry)
        text = (await self._transact(entry_address(index, day, entry)))[0]
        return parse_entry(text, index, day, entry)

    async def set_time_program_entry(
        self, index: int, day: int, entry: int, value: TimeProgramEntry
    ) -> TimeProgramEntry:
        """Validate and write one entry; return what the pump stored."""
        if self.read_only:
            raise InvalidValue("read_only_mode")
        info = await self._program_index(index)
        validate_address(info, day, entry)
        validate_entry(info, value)
        current = await self.get_time_program_entry(index, day, entry)
        if current == value:
            return current
        return await self._write_entry(index, day, entry, value)

    async def time_program_days(
        self, index: int, days: Iterable[int]
    ) -> dict[int, tuple[TimeProgramEntry, ...]]:
        """Some days of a program, read now.

        A day read entry by entry costs EAD short requests, the whole program one request
        with NOD x EAD entries: for up to a third of the days the short requests carry fewer
        bytes (scripts/bench measures both), for more the whole program is cheaper.
        """
        info = await self._program_index(index)
        wanted = sorted(set(days))
        for day in wanted:
            validate_address(info, day, 0)
        if len(wanted) * 3 > info.days:
            program = await self.time_program(index)
            return {day: program.days[day] for day in wanted}
        return {
            day: tuple(
                [
                    await self.get_time_program_entry(index, day, entry)
                    for entry in range(info.entries_per_day)
                ]
            )
            for day in wanted
        }

    async def edit_time_program(self, edit: SlotEdit) -> dict[int, DayEntries]:
        """Read the edit's days now, apply it, write the entries that differ.

        The edit sees what the pump holds at this moment, never a cached copy: a slot that is
        no longer what the owner saw refuses it (``ProgramChanged``) before anything is
        written. Returns the days as the pump stored them.
        """
        if self.read_only:
            raise InvalidValue("read_only_mode")
        info = await self._program_index(edit.program)
        current = await self.time_program_days(edit.program, edit.days)
        wanted = edit.apply(info, current)
        stored = {day: list(entries) for day, entries in current.items()}
        await self._write_days(
            edit.program, stored, {day: padded_day(info, e) for day, e in wanted.items()}
        )
        return {day: tuple(entries) for day, entries in stored.items()}

    async def set_time_program(
        self, index: int, days: Sequence[tuple[int, Sequence[TimeProgramEntry]]]
    ) -> TimeProgram:
        """Write whole days of a program after validating every one of them first.

        Entries the pump already holds are not written again; the result is the program as
        the pump reports it.
        """
        if self.read_only:
            raise InvalidValue("read_only_mode")
        info = await self._program_index(index)
        seen: set[int] = set()
        for day, entries in days:
            if day in seen:
                raise InvalidValue("duplicate_day", day=day)
            seen.add(day)
            validate_address(info, day, 0)
            validate_day(info, entries)
        program = await self.time_program(index)
        stored = {day: list(entries) for day, entries in enumerate(program.days)}
        # Fewer entries than slots: the rest of the day is empty, not left as it was.
        await self._write_days(
            index, stored, {day: padded_day(info, entries) for day, entries in days}
        )
        return TimeProgram(
            info=program.info, days=tuple(tuple(stored[day]) for day in range(len(program.days)))
        )

    async def _write_days(
        self,
        index: int,
        stored: dict[int, list[TimeProgramEntry]],
        days: Mapping[int, Sequence[TimeProgramEntry]],
    ) -> None:
        """Write the entries of ``days`` that differ from ``stored`` (just read), day by day.

        ``stored`` follows each write with what the pump echoed.
        """
        for day in sorted(days):
            for number, value in enumerate(days[day]):
                if stored[day][number] != value:
                    stored[day][number] = await self._write_entry(index, day, number, value)

    async def _write_entry(
        self, index: int, day: int, entry: int, value: TimeProgramEntry
    ) -> TimeProgramEntry:
        self.writes.record(f"time_program_{index}")
        command = entry_command(index, day, entry, value)
        try:
            stored = parse_entry((await self._transact(command))[0], index, day, entry)
        except CommunicationError as err:
            stored = await self._read_back(
                f"time_program_{index}", err, lambda: self.get_time_program_entry(index, day, entry)
            )
        if stored != value:
            raise WriteRejected(f"time_program_{index}_{day}_{entry}", str(value), str(stored))
        return stored
