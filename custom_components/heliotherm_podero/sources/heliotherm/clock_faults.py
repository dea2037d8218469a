"""The pump's clock and its fault list (PROTOCOL.md 5.5-5.6)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from ..capabilities import FaultEntry
from ..model import (
    InvalidValue,
    ProtocolError,
    WriteRejected,
)
from .replies import (
    format_clock_command,
    parse_clock,
    parse_fault,
    parse_sum,
)
from .session import Session, chunk_command, exactly

CLOCK_TOLERANCE_SECONDS = 5


class ClockAndFaults(Session):
    """The clock (read, set and confirmed) and the fault list (its length, entries)."""

    # -- clock --------------------------------------------------------------------------------

    async def get_clock(self) -> datetime:
        """The pump's local date and time (naive)."""
        return parse_clock((await self._transact("CLK"))[0])

    async def set_clock(self, when: datetime) -> datetime:
        """Set the pump's clock (naive local time) and return what it reports."""
        if self.read_only:
            raise InvalidValue("read_only_mode")
        try:
            command = format_clock_command(when)
        except ValueError as err:
            raise InvalidValue("invalid_time", time=when.isoformat()) from err
        reported = parse_clock((await self._transact(command))[0])
        if abs((reported - when.replace(microsecond=0)).total_seconds()) > (
            CLOCK_TOLERANCE_SECONDS
        ):
            raise WriteRejected("clock", when.isoformat(), reported.isoformat())
        return reported

    # -- fault list ---------------------------------------------------------------------------

    async def fault_count(self) -> int:
        """``ALS`` -> number of entries in the fault list."""
        return parse_sum((await self._transact("ALS"))[0])

    async def last_fault(self, expected_index: int | None = None) -> FaultEntry:
        """``ALC`` -> the newest fault entry; its index must be ``expected_index`` if given."""
        entry = parse_fault((await self._transact("ALC"))[0])
        if expected_index is not None and entry.index != expected_index:
            await self._fail_matching()
            raise ProtocolError(f"fault {expected_index} expected, got {entry.index}")
        return entry

    async def faults(self, indices: Iterable[int]) -> list[FaultEntry]:
        """``AR,i,...`` -> the requested entries, in request order (index 0 is the oldest)."""
        wanted = list(indices)
        if any(index < 0 for index in wanted):
            raise InvalidValue("invalid_index", index=min(wanted))
        entries: list[FaultEntry] = []
        for chunk in chunk_command("AR", wanted):
            texts = await self._transact("AR," + ",".join(map(str, chunk)), exactly(len(chunk)))
            for index, text in zip(chunk, texts, strict=True):
                entry = parse_fault(text)
                if entry.index != index:
                    await self._fail_matching()
                    raise ProtocolError(f"fault {index} expected, got {entry.index}")
                entries.append(entry)
        return entries

    async def fault_range(self, start: int = 0, end: int | None = None) -> list[FaultEntry]:
        """Entries ``start`` .. ``end - 1`` (default: to the end of the list)."""
        count = await self.fault_count()
        stop = count if end is None else min(end, count)
        if start < 0 or start > stop:
            raise InvalidValue("invalid_range", start=start, end=stop, count=count)
        return await self.faults(range(start, stop))
