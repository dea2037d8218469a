"""The serial client's link and session (PROTOCOL.md sections 3-4): one request at a time.

One lock guards the line, so exactly one request is ever outstanding. After any link fault the
port is closed; the next call opens it again (draining a late reply first). Every request
passes ``Session._transact``, where anything that would change the pump is refused in
read-only mode and trigger points are never written.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from ..model import (
    CommunicationError,
    InvalidValue,
    ProtocolError,
    ResponseTimeout,
    WriteUnconfirmed,
)
from ..programs import TimeProgramInfo
from .catalog import (
    TRIGGER_KEYS,
    Catalog,
    default_catalog,
)
from .errors import DeviceError, PointNotFound
from .frame import MAX_COMMAND_LENGTH, FrameError, encode_request
from .replies import (
    ERROR_PREFIX,
    INVALID_INDEX,
)
from .transport import SerialLink

_LOGGER = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 3.0
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


def exactly(count: int) -> FrameCount:
    """An answer of ``count`` frames (one per number or index asked for)."""
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


class Session:
    """The link to one pump and the session on it; the other rooms of the client build on it."""

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
