"""Asyncio client of the Heliotherm serial protocol (PROTOCOL.md sections 3-7).

One lock guards the line, so exactly one request is ever outstanding. After any link fault the
port is closed; the next call opens it again.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from ..model import (
    CommunicationError,
    DeviceError,
    InvalidValue,
    PointNotFound,
    ProtocolError,
    ResponseTimeout,
    WriteRejected,
)
from .catalog import (
    Catalog,
    CatalogPoint,
    PointType,
    PointValue,
    coerce_value,
    default_catalog,
    format_value,
    parse_value,
)
from .frame import MAX_COMMAND_LENGTH, encode_request
from .replies import (
    ERROR_PREFIX,
    INVALID_INDEX,
    FaultEntry,
    PointRecord,
    format_clock_command,
    parse_clock,
    parse_fast_value,
    parse_fault,
    parse_record,
    parse_sum,
)
from .timeprog import (
    TimeProgram,
    TimeProgramEntry,
    TimeProgramInfo,
    entry_address,
    entry_command,
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

# How many frames a request is answered with, given the frames read so far.
type FrameCount = Callable[[list[str]], int]


@dataclass(slots=True)
class LinkStatistics:
    """Counters for diagnostics and the benchmark."""

    round_trips: int = 0
    frames: int = 0
    faults: int = 0
    last_fault: str | None = None


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
        self.read_only = read_only
        self.catalog = catalog or default_catalog()
        self.stats = LinkStatistics()
        self._lock = asyncio.Lock()

    # -- link -------------------------------------------------------------------------------

    async def close(self) -> None:
        """Close the port (it reopens on the next call)."""
        async with self._lock:
            await self.link.close()

    async def _transact(self, command: str, count: FrameCount = _one) -> list[str]:
        """Send one request and read its whole answer; any link fault closes the port."""
        request = encode_request(command)
        async with self._lock:
            await self.link.open()
            try:
                return await self._exchange(request, count)
            except CommunicationError as err:
                self.stats.faults += 1
                self.stats.last_fault = type(err).__name__
                await self.link.close()
                raise
            except DeviceError:
                # An error frame inside a multi-frame answer may leave frames behind.
                await self.link.close()
                raise

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

    async def logout(self) -> None:
        """Send ``LOUT``; the pump's answer does not matter."""
        try:
            await self._transact("LOUT")
        except CommunicationError as err:
            _LOGGER.debug("Logout failed: %s", err)

    async def serial_number(self) -> int:
        """``RID`` -> the pump's serial number."""
        text = (await self._transact("RID"))[0]
        head, _, digits = text.partition(",")
        if head != "RID" or not digits.strip().isdigit():
            raise ProtocolError(f"serial number reply expected, got {text[:40]!r}")
        return int(digits)

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
        return parse_record(text, point_type, number, point.data_type if point else None)

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
            pending = set(chunk)
            for text in texts:
                number, value_text = parse_fast_value(text)
                if number not in pending:
                    await self.close()
                    raise ProtocolError(f"unrequested or repeated MP {number} in reply")
                pending.discard(number)
                point = self.catalog_point(PointType.MP, number)
                try:
                    values[number] = parse_value(value_text, point.data_type)
                except ValueError as err:
                    raise ProtocolError(f"bad value for MP {number}: {value_text!r}") from err
        return values

    async def write(self, point_type: PointType, number: int, value: object) -> PointValue:
        """Write a setting and return the value the pump reports back.

        Refused before sending: read-only client, unknown or read-only point, wrong type,
        value outside the limits the pump reports now. Raises WriteRejected when the echoed
        value differs from the one sent.
        """
        if self.read_only:
            raise InvalidValue("read_only_mode")
        point = self.catalog_point(point_type, number)
        if not point.writable:
            raise InvalidValue("read_only_point", point=point.key)
        requested = coerce_value(value, point.data_type, point.decimals)
        record = await self.read_record(point_type, number)
        if not record.writable:
            raise InvalidValue("read_only_point", point=point.key)
        check_limits(point.key, requested, record)
        text = format_value(requested, point.data_type, record.decimals or point.decimals)
        reply = await self._transact(f"{point_type},NR={number},VAL={text}")
        reported = parse_record(reply[0], point_type, number, point.data_type).value
        if not values_equal(requested, reported, record.decimals or point.decimals):
            raise WriteRejected(point.key, requested, reported)
        return reported

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

    async def last_fault(self) -> FaultEntry:
        """``ALC`` -> the newest fault entry."""
        return parse_fault((await self._transact("ALC"))[0])

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
                    await self.close()
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
        """``PRL`` -> ``SUM=k`` then k program headers."""

        def count(texts: list[str]) -> int:
            return 1 if not texts else 1 + parse_sum(texts[0])

        texts = await self._transact("PRL", count)
        return [parse_info(text, index) for index, text in enumerate(texts[1:])]

    async def time_program_info(self, index: int) -> TimeProgramInfo:
        """``PRI<i>`` -> one program header."""
        return parse_info((await self._transact(f"PRI{index}"))[0], index)

    async def time_program(self, index: int) -> TimeProgram:
        """``PRD<i>`` -> header then NOD x EAD entries."""

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
        info = await self.time_program_info(index)
        validate_address(info, day, entry)
        text = (await self._transact(entry_address(index, day, entry)))[0]
        return parse_entry(text, index, day, entry)

    async def set_time_program_entry(
        self, index: int, day: int, entry: int, value: TimeProgramEntry
    ) -> TimeProgramEntry:
        """Validate and write one entry; return what the pump stored."""
        if self.read_only:
            raise InvalidValue("read_only_mode")
        info = await self.time_program_info(index)
        validate_address(info, day, entry)
        validate_entry(info, value)
        return await self._write_entry(index, day, entry, value)

    async def set_time_program(
        self, index: int, days: dict[int, Sequence[TimeProgramEntry]]
    ) -> TimeProgram:
        """Write whole days of a program after validating every one of them first."""
        if self.read_only:
            raise InvalidValue("read_only_mode")
        info = await self.time_program_info(index)
        for day, entries in days.items():
            validate_address(info, day, 0)
            validate_day(info, entries)
        for day, entries in sorted(days.items()):
            for number, value in enumerate(entries):
                await self._write_entry(index, day, number, value)
        return await self.time_program(index)

    async def _write_entry(
        self, index: int, day: int, entry: int, value: TimeProgramEntry
    ) -> TimeProgramEntry:
        text = (await self._transact(entry_command(index, day, entry, value)))[0]
        stored = parse_entry(text, index, day, entry)
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
