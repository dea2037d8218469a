"""Asyncio client of the Heliotherm serial protocol (PROTOCOL.md sections 3-7).

One lock guards the line, so exactly one request is ever outstanding. After any link fault the
port is closed; the next call opens it again.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from ..capabilities import FaultEntry
from ..model import (
    CommunicationError,
    InvalidValue,
    ProtocolError,
    ResponseTimeout,
    WriteRejected,
    WriteUnconfirmed,
)
from ..programs import DayEntries, SlotEdit, TimeProgram, TimeProgramEntry, TimeProgramInfo
from .catalog import (
    TRIGGER_KEYS,
    Catalog,
    CatalogPoint,
    PointType,
    PointValue,
    coerce_value,
    default_catalog,
    format_value,
    parse_value,
)
from .errors import DeviceError, PointNotFound
from .frame import MAX_COMMAND_LENGTH, FrameError, encode_request
from .replies import (
    ERROR_PREFIX,
    INVALID_INDEX,
    PointRecord,
    format_clock_command,
    parse_clock,
    parse_fast_value,
    parse_fault,
    parse_record,
    parse_sum,
)
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
from .transport import SerialLink

_LOGGER = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 3.0
CLOCK_TOLERANCE_SECONDS = 5
# After a fault the line is drained before the next request: a reply up to LATE_WINDOW seconds
# late is thrown away, and the line must have been quiet for DRAIN_QUIET seconds.
LATE_WINDOW = 1.0
DRAIN_QUIET = 0.1
DRAIN_LIMIT = 5.0
DAY_SECONDS = 86400.0
# A session lasts as long as its connection; LIN is repeated after this anyway (seconds).
SESSION_REFRESH = 600.0
JOURNAL = 1000  # the last writes remembered by number (what one command wrote)

_POINT_COMMAND = re.compile(r"(SP|MP),NR=(\d+)(,.*)?", re.S)
_SERIAL_REPLY = re.compile(r"RID,\s*([0-9]+)\s*")

# How many frames a request is answered with, given the frames read so far.
type FrameCount = Callable[[list[str]], int]


@dataclass(slots=True)
class LinkStatistics:
    """Counters for diagnostics and the benchmark."""

    round_trips: int = 0
    frames: int = 0
    faults: int = 0
    last_fault: str | None = None
    late_bytes_discarded: int = 0


@dataclass(slots=True)
class WriteLog:
    """When writes were sent, per point: the pump keeps settings in memory that wears out."""

    sent: dict[str, deque[float]] = field(default_factory=dict)
    total: int = 0  # writes sent since the client was made
    recent: deque[tuple[int, str]] = field(default_factory=lambda: deque(maxlen=JOURNAL))

    def record(self, key: str, now: float | None = None) -> None:
        """Count one write to ``key``."""
        self.sent.setdefault(key, deque()).append(time.time() if now is None else now)
        self.recent.append((self.total, key))
        self.total += 1

    def since(self, mark: int) -> frozenset[str]:
        """The keys written since ``total`` was ``mark`` (within the last JOURNAL writes)."""
        return frozenset(key for number, key in self.recent if number >= mark)

    def last_day(self, key: str, now: float | None = None) -> int:
        """Writes to ``key`` within the last 24 hours."""
        stamps = self.sent.get(key)
        if not stamps:
            return 0
        horizon = (time.time() if now is None else now) - DAY_SECONDS
        while stamps and stamps[0] < horizon:
            stamps.popleft()
        return len(stamps)

    def counts(self, now: float | None = None) -> dict[str, int]:
        """Writes per point within the last 24 hours (points with none left out)."""
        return {key: n for key in list(self.sent) if (n := self.last_day(key, now))}


def is_write_command(command: str) -> bool:
    """True for every request that changes something on the pump."""
    match = _POINT_COMMAND.fullmatch(command)
    if match is not None:
        return match.group(3) is not None
    return command.startswith("CLK,") or (command.startswith("PRE,") and ",ST=" in command)


def _one(_: list[str]) -> int:
    return 1


def _exactly(count: int) -> FrameCount:
    return lambda _: count


def chunk_command(prefix: str, items: Sequence[int]) -> list[list[int]]:
    """Split ``items`` so that ``prefix,i1,i2,...`` stays within the command length limit."""
    chunks: list[list[int]] = []
    current: list[int] = []
    length = len(prefix)
    for item in items:
        extra = len(str(item)) + 1
        if current and length + extra > MAX_COMMAND_LENGTH:
            chunks.append(current)
            current, length = [], len(prefix)
        current.append(item)
        length += extra
    if current:
        chunks.append(current)
    return chunks


class HeliothermClient:
    """Talks to one pump over one exclusive link."""

    def __init__(
        self,
        url: str,
        *,
        baudrate: int = 19200,
        timeout: float = DEFAULT_TIMEOUT,
        xonxoff: bool = False,
        read_only: bool = False,
        catalog: Catalog | None = None,
    ) -> None:
        self.link = SerialLink(url, baudrate, xonxoff=xonxoff)
        self.timeout = timeout
        self.late_window = LATE_WINDOW
        self.read_only = read_only
        self.catalog = catalog or default_catalog()
        self.stats = LinkStatistics()
        self.writes = WriteLog()
        # Points whose NAME on this pump is not the catalog's (other firmware): key -> NAME.
        self.name_mismatches: dict[str, str] = {}
        self._programs: list[TimeProgramInfo] | None = None
        self._fault_at: float | None = None
        self._lock = asyncio.Lock()
        self._session: int | None = None  # link.connections at the last login
        self._session_since = 0.0

    # -- link -------------------------------------------------------------------------------

    async def close(self) -> None:
        """Close the port (it reopens on the next call)."""
        async with self._lock:
            await self.link.close()

    async def _transact(self, command: str, count: FrameCount = _one) -> list[str]:
        """Send one request and read its whole answer; any link fault closes the port.

        Every request passes here, so this is where writes are refused for good: nothing that
        changes the pump is sent in read-only mode, and trigger points are never written.
        """
        self._refuse_forbidden(command)
        try:
            request = encode_request(command)
        except FrameError as err:
            raise InvalidValue("invalid_request", request=command[:40]) from err
        async with self._lock:
            await self.link.open()
            loop = asyncio.get_running_loop()
            if self._fault_at is not None:
                self.stats.late_bytes_discarded += await self.link.drain(
                    quiet=DRAIN_QUIET,
                    not_before=self._fault_at + self.late_window,
                    limit=DRAIN_LIMIT,
                )
                self._fault_at = None
            try:
                return await self._exchange(request, count)
            except CommunicationError as err:
                self.stats.faults += 1
                self.stats.last_fault = type(err).__name__
                self._fault_at = loop.time()
                await self.link.close()
                raise
            except DeviceError:
                # An error frame inside a multi-frame answer may leave frames behind.
                self._fault_at = loop.time()
                await self.link.close()
                raise

    def _refuse_forbidden(self, command: str) -> None:
        if not is_write_command(command):
            return
        if self.read_only:
            raise InvalidValue("read_only_mode")
        match = _POINT_COMMAND.fullmatch(command)
        if match is None:
            return
        key = f"{match.group(1).lower()}_{match.group(2)}"
        if key in TRIGGER_KEYS:
            raise InvalidValue("trigger_point", point=key)
        if match.group(1) == "MP":
            raise InvalidValue("read_only_point", point=key)

    async def _exchange(self, request: bytes, count: FrameCount) -> list[str]:
        self.link.send(request)
        self.stats.round_trips += 1
        texts: list[str] = []
        while len(texts) < count(texts):
            frame = await self.link.read_frame(self.timeout)
            self.stats.frames += 1
            if frame.text.startswith(ERROR_PREFIX):
                if frame.text.strip() == INVALID_INDEX:
                    raise PointNotFound(frame.text)
                raise DeviceError(frame.text)
            texts.append(frame.text)
        return texts

    # -- session and identity --------------------------------------------------------------

    async def login(self) -> None:
        """Send ``LIN``; if a modem-mode pump stays silent, send a CONNECT line and retry once."""
        try:
            reply = await self._transact("LIN")
        except ResponseTimeout:
            async with self._lock:
                await self.link.open()
                self.link.send(f"\r\nCONNECT {self.link.baudrate}\r\n".encode("ascii"))
            reply = await self._transact("LIN")
        if not reply[0].startswith("OK"):
            raise ProtocolError(f"login refused: {reply[0][:40]!r}")

    async def ensure_session(self) -> None:
        """Log in once per connection, and again after SESSION_REFRESH as a safety net.

        Whether a session times out is not documented (PROTOCOL.md 4); any fault or error
        reply closes the link, so the next request after one logs in again.
        """
        now = asyncio.get_running_loop().time()
        if (
            self.link.is_open
            and self._session == self.link.connections
            and now - self._session_since < SESSION_REFRESH
        ):
            return
        await self.login()
        self._session, self._session_since = self.link.connections, now

    async def logout(self) -> None:
        """Send ``LOUT``; the pump's answer does not matter."""
        try:
            await self._transact("LOUT")
        except CommunicationError as err:
            _LOGGER.debug("Logout failed: %s", err)

    async def serial_number(self) -> int:
        """``RID`` -> the pump's serial number."""
        text = (await self._transact("RID"))[0]
        match = _SERIAL_REPLY.fullmatch(text)
        if match is None:
            raise ProtocolError(f"serial number reply expected, got {text[:40]!r}")
        return int(match.group(1))

    async def software_version(self) -> tuple[str, int]:
        """SP 9: NAME is the version string, VAL a build number."""
        record = await self.read_record(PointType.SP, 9)
        return record.name, int(record.value)

    # -- data points ------------------------------------------------------------------------

    def catalog_point(self, point_type: PointType, number: int) -> CatalogPoint:
        """The catalog row of a point; unknown points are refused."""
        point = self.catalog.get(point_type, number)
        if point is None:
            raise InvalidValue("unknown_point", point=f"{point_type} {number}")
        return point

    async def read_record(self, point_type: PointType, number: int) -> PointRecord:
        """Read a full record (``SP,NR=n`` / ``MP,NR=n``)."""
        point = self.catalog.get(point_type, number)
        text = (await self._transact(f"{point_type},NR={number}"))[0]
        record = parse_record(text, point_type, number, point.data_type if point else None)
        if point is not None:
            if point.matches_name(record.name):
                self.name_mismatches.pop(point.key, None)
            else:
                self.name_mismatches[point.key] = record.name
        return record

    async def read_value(self, point_type: PointType, number: int) -> PointValue:
        """Read one point's value."""
        return (await self.read_record(point_type, number)).value

    async def probe(
        self, points: Iterable[tuple[PointType, int]]
    ) -> dict[tuple[PointType, int], PointRecord | None]:
        """Read each point's record; None where the pump answers ``ERR,INVALID IDX``."""
        found: dict[tuple[PointType, int], PointRecord | None] = {}
        for point_type, number in points:
            try:
                found[(point_type, number)] = await self.read_record(point_type, number)
            except PointNotFound:
                found[(point_type, number)] = None
        return found

    async def fast_query(self, numbers: Iterable[int]) -> dict[int, PointValue]:
        """Read many MP values with ``MR`` (one ``MA`` frame per number)."""
        wanted = list(dict.fromkeys(numbers))
        values: dict[int, PointValue] = {}
        for chunk in chunk_command("MR", wanted):
            texts = await self._transact("MR," + ",".join(map(str, chunk)), _exactly(len(chunk)))
            for expected, text in zip(chunk, texts, strict=True):
                number, value_text = parse_fast_value(text)
                if number != expected:
                    await self._fail_matching()
                    raise ProtocolError(f"MP {expected} expected in reply, got MP {number}")
                point = self.catalog_point(PointType.MP, number)
                try:
                    values[number] = parse_value(value_text, point.data_type)
                except ValueError as err:
                    raise ProtocolError(f"bad value for MP {number}: {value_text!r}") from err
        return values

    def writable_point(self, point_type: PointType, number: int) -> CatalogPoint:
        """The catalog row of a point this client may write; refused otherwise."""
        if self.read_only:
            raise InvalidValue("read_only_mode")
        point = self.catalog_point(point_type, number)
        if point.is_trigger:
            raise InvalidValue("trigger_point", point=point.key)
        if not point.writable:
            raise InvalidValue("read_only_point", point=point.key)
        return point

    async def write(self, point_type: PointType, number: int, value: object) -> PointValue:
        """Write a setting and return the value the pump reports back.

        Refused before sending: read-only client, unknown, read-only or trigger point, wrong
        type or step, a pump whose NAME for this number is not the catalog's (other firmware),
        a value outside the limits the pump reports now. The value the pump already holds is
        not written again. A lost reply is followed by a re-read of the point. Raises
        WriteRejected when the pump then reports another value.
        """
        point = self.writable_point(point_type, number)
        requested = coerce_value(value, point.data_type, point.decimals)
        record = await self.read_record(point_type, number)
        if not point.matches_name(record.name):
            raise InvalidValue(
                "point_name_mismatch", point=point.key, expected=point.name, reported=record.name
            )
        if not record.writable:
            raise InvalidValue("read_only_point", point=point.key)
        check_limits(point.key, requested, record)
        decimals = record.decimals or point.decimals
        if values_equal(requested, record.value, decimals):
            return record.value
        text = format_value(requested, point.data_type, decimals)
        self.writes.record(point.key)
        try:
            reply = await self._transact(f"{point_type},NR={number},VAL={text}")
            reported = parse_record(reply[0], point_type, number, point.data_type).value
        except CommunicationError as err:
            reported = await self._read_back(
                point.key, err, lambda: self.read_value(point_type, number)
            )
        if not values_equal(requested, reported, decimals):
            raise WriteRejected(point.key, requested, reported)
        return reported

    async def _read_back[T](
        self, key: str, err: CommunicationError, read: Callable[[], Awaitable[T]]
    ) -> T:
        """A write went out but its answer did not come back: ask what the pump holds now."""
        _LOGGER.debug("Reply to the write of %s lost (%s), reading it back", key, err)
        try:
            return await read()
        except CommunicationError as reread_err:
            raise WriteUnconfirmed(key, str(reread_err)) from err

    async def _fail_matching(self) -> None:
        """A reply did not belong to its request: drain the line before the next one."""
        self._fault_at = asyncio.get_running_loop().time()
        await self.close()

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
            texts = await self._transact("AR," + ",".join(map(str, chunk)), _exactly(len(chunk)))
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

    # -- time programs ------------------------------------------------------------------------

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


def check_limits(key: str, value: PointValue, record: PointRecord) -> None:
    """Refuse a value outside the limits the pump reported."""
    if not record.has_limits:
        return
    if not record.minimum <= value <= record.maximum:
        raise InvalidValue(
            "out_of_range", point=key, value=value, min=record.minimum, max=record.maximum
        )


def values_equal(requested: PointValue, reported: PointValue, decimals: int) -> bool:
    """Equal as the device shows them (to ``decimals`` places)."""
    if isinstance(requested, bool) or isinstance(reported, bool):
        return bool(requested) == bool(reported)
    return math.isclose(float(requested), float(reported), abs_tol=0.5 * 10.0**-decimals)
