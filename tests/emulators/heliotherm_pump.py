"""A Heliotherm heat pump that speaks the serial protocol byte for byte, on a pty or on TCP.

Seeded from the replies of a real SW 3.0.14 pump (device-dump-sw3014.txt). It reproduces the
quirks of PROTOCOL.md section 9 and has knobs for timing (baud-rate pacing, device turnaround)
and fault injection (garbage, dropped bytes, corrupted checksums, fragments, silence,
disconnects). Its framing code is written independently of the integration's, on purpose.

Run on its own: ``python -m tests.emulators.heliotherm_pump --tcp 127.0.0.1:4001`` or ``--pty``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import math
import os
import random
import re
import termios
import time
import tty
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import ClassVar

from aiohttp import web

from .http_mock import call_routes, serve

_LOGGER = logging.getLogger(__name__)

DUMP_FILE = Path(__file__).with_name("device-dump-sw3014.txt")
REQUEST_START = b"\x02\xfd\xd0\xe0\x00\x00"
REPLY_START = b"\x02\xfd\xe0\xd0"
SERIAL_NUMBER = 123456
PROPERTY_NUMBER = "654321"  # the dump's SP 3 value is anonymised as XXXXXX
INVALID_IDX = "ERR,INVALID IDX"


def wire_checksum(data: bytes) -> int:
    """Closed form of the protocol checksum: X ^ (X << 1) with X the XOR of all bytes."""
    x = 0
    for byte in data:
        x ^= byte
    return (x ^ (x << 1)) & 0xFF


def frame_reply(text: str, flag: int = 0, *, zero_length: bool = False) -> bytes:
    """Frame a reply as the pump does, including the flag-dependent checksum rules."""
    payload = b"~" + text.encode("latin-1") + b";\r\n"
    header = REPLY_START + bytes((flag, 0))
    if flag in (0x04, 0x08):
        chk = 0
    else:
        covered = len(payload) - {0x00: 0, 0x01: 1, 0x02: 2}[flag]
        chk = wire_checksum(header + bytes((covered,)) + payload)
    return header + bytes((0 if zero_length else len(payload),)) + payload + bytes((chk,))


class Fault(StrEnum):
    """What can go wrong with one reply."""

    GARBAGE = "garbage"  # random bytes before (and after) the reply
    DROP = "drop"  # one byte of the reply is lost
    CORRUPT = "corrupt"  # the checksum byte is wrong
    FRAGMENT = "fragment"  # the reply arrives in small pieces with pauses
    SILENCE = "silence"  # no reply at all
    DISCONNECT = "disconnect"  # the connection drops instead of a reply
    LATE = "late"  # the reply comes ``late_delay`` seconds late (after the client gave up)
    FAKE_HEADER = "fake_header"  # a frame start with a large length byte before the reply
    BAD_THEN_GOOD = "bad_then_good"  # a copy with a wrong checksum, then the valid reply


@dataclass
class Record:
    """One SP/MP record: fields in the device's order."""

    fields: list[tuple[str, str]]

    def get(self, key: str) -> str:
        return next(v for k, v in self.fields if k == key)

    def set(self, key: str, value: str) -> None:
        self.fields = [(k, value if k == key else v) for k, v in self.fields]

    def text(self) -> str:
        return ",".join(f"{k}={v}" for k, v in self.fields)

    def format_value(self, value: float) -> str:
        if self.get("TP") == "1":
            return f"{value:.{int(self.get('BIT'))}f}"
        return str(round(value))


@dataclass
class TimeProgram:
    name: str
    states: int
    entries: list[list[tuple[int, str, str]]]  # [day][entry] = (state, begin, end)
    step: int = 15
    in_use: bool = True  # the header's US flag (a program the installation does not use: 0)

    def header(self, index: int) -> str:
        return (
            f"PRI{index},NAME={self.name},EAD={len(self.entries[0])},NOS={self.states},"
            f"STE={self.step},NOD={len(self.entries)},ACS=0,US={int(self.in_use)}"
        )


@dataclass
class Hold:
    """A request held back before the pump answers it (see ``PumpEmulator.hold``)."""

    pattern: re.Pattern[str]
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    released: asyncio.Event = field(default_factory=asyncio.Event)

    async def until_arrived(self) -> None:
        """Wait (at most 10 s) for the held request to come in."""
        await asyncio.wait_for(self.arrived.wait(), 10)

    def release(self) -> None:
        """Let the pump answer it (as things stand then)."""
        self.released.set()


def _default_programs() -> list[TimeProgram]:
    def program(name: str, states: int, on: tuple[str, str]) -> TimeProgram:
        day = [(1, on[0], on[1])] + [(0, "00:00", "00:00")] * 6
        return TimeProgram(name, states, [list(day) for _ in range(7)])

    return [
        program("Warmwasser", 2, ("06:00", "22:00")),
        program("Zirkulationspumpe", 2, ("06:30", "08:00")),
        program("Heizung", 3, ("05:30", "22:00")),
        program("Mischer 1", 3, ("06:00", "21:30")),
        program("Mischer 2", 3, ("06:00", "21:30")),
    ]


_FAULT_MESSAGES = [
    (65534, "Keine Stoerung"),
    (65286, "Info: Programmupdate 1"),
    (65287, "Info: Programmupdate 2"),
    (65285, "Info: Initialisiert"),
    (9, "HD Schalter"),
    (21, "EQ Motorschutz"),
    (19, "EQ_Spreizung"),
    (20, "EQ_Spreizung"),
]


def _default_faults(count: int = 30) -> list[tuple[int, datetime, str]]:
    start = datetime(2014, 3, 1, 8, 0, 0)
    faults = []
    for index in range(count):
        code, message = _FAULT_MESSAGES[index % len(_FAULT_MESSAGES)]
        faults.append((code, start + timedelta(days=6 * index, minutes=37 * index), message))
    return faults


# A part's current run time (SP) and the output that runs it (MP).
_RUN_TIMES = {154: 22, 157: 23, 163: 24, 166: 25, 169: 29, 174: 30}


def settle_idle(records: dict[tuple[str, int], Record]) -> None:
    """Make the dump's idle pump agree with itself, as a demo and the tests show it.

    The real pump's measurements and settings were read at different moments: its outputs
    are off, yet the current run times read 635 s and more (a charge of hot water that had
    ended). A stopped part here has run for 0 s. The installation used room sensors 3 and 4
    only; this one has a single room unit on the first input, as most have.
    """
    for setting, output in _RUN_TIMES.items():
        if records[("MP", output)].get("VAL") == "0":
            records[("SP", setting)].set("VAL", "0")
    records[("MP", 16)].set("VAL", records[("MP", 18)].get("VAL") or "20.0")
    records[("MP", 16)].set("US", "1")
    for number in (18, 19):
        records[("MP", number)].set("VAL", "20.0")
        records[("MP", number)].set("US", "0")


@dataclass
class PumpState:
    """Everything the pump knows; the protocol handler reads and changes it."""

    records: dict[tuple[str, int], Record]
    programs: list[TimeProgram] = field(default_factory=_default_programs)
    faults: list[tuple[int, datetime, str]] = field(default_factory=_default_faults)
    clock_offset: timedelta = timedelta()
    serial_number: int = SERIAL_NUMBER
    rid_text: str | None = None  # a different RID reply (e.g. garbled digits)

    @classmethod
    def from_dump(cls, path: Path = DUMP_FILE, *, as_recorded: bool = False) -> PumpState:
        """The dump's pump; by default with its few contradictions settled (``settle_idle``).

        ``as_recorded`` keeps every value exactly as the real pump answered.
        """
        records: dict[tuple[str, int], Record] = {}
        for line in path.read_text(encoding="ascii").splitlines():
            match = re.match(r"(SP|MP),NR=(\d+),(.*)", line)
            if not match:
                continue
            fields = [tuple(p.split("=", 1)) for p in match.group(3).split(",")]
            record = Record([(k, v) for k, v in fields])
            if record.get("VAL") == "XXXXXX":
                record.set("VAL", PROPERTY_NUMBER)
            records[(match.group(1), int(match.group(2)))] = record
        if not as_recorded:
            settle_idle(records)
        return cls(records=records)


class PumpEmulator:
    """The protocol side of the pump plus its transports and knobs."""

    def __init__(
        self,
        state: PumpState | None = None,
        *,
        baudrate: int | None = None,
        turnaround: float = 0.0,
        quirks: bool = True,
        dynamic: bool = False,
        modem_mode: bool = False,
        reject_writes: bool = False,
        seed: int = 1,
    ) -> None:
        self.state = state or PumpState.from_dump()
        self.baudrate = baudrate  # None: no pacing
        self.turnaround = turnaround
        self.quirks = quirks
        self.dynamic = dynamic
        self.modem_mode = modem_mode
        self.reject_writes = reject_writes
        self.requests: list[str] = []
        self.bad_requests = 0
        self.bytes_in = 0
        self.bytes_out = 0
        self._faults: deque[Fault] = deque()
        self._targeted: deque[tuple[re.Pattern[str], Fault]] = deque()
        self._holds: list[Hold] = []
        self.late_delay = 1.3
        # On a pty: the pump's own line speed. Bytes sent at another rate (the tty set to it
        # by whoever opened the other end) are noise to the pump, and it stays silent.
        self.line_baudrate: int | None = None
        self.garbled_bytes = 0
        self._random = random.Random(seed)
        self._started = time.monotonic()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._pty_master: int | None = None
        self._pty_slave: int | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.port: int | None = None

    # -- knobs -------------------------------------------------------------------------------

    def inject(self, fault: Fault | str, count: int = 1) -> None:
        """Apply ``fault`` to the next ``count`` replies."""
        self._faults.extend([Fault(fault)] * count)

    def inject_on(self, pattern: str, fault: Fault | str) -> None:
        """Apply ``fault`` to the reply of the next request matching ``pattern`` (in order)."""
        self._targeted.append((re.compile(pattern), Fault(fault)))

    def hold(self, pattern: str) -> Hold:
        """Hold back the next request matching ``pattern`` until released, then answer it as
        the pump stands at that moment: another client's change can come in between."""
        held = Hold(re.compile(pattern))
        self._holds.append(held)
        return held

    KNOB_METHODS: ClassVar[tuple[str, ...]] = ("add_fault", "clear_fault", "set_value")

    def add_fault(self, code: int, message: str) -> int:
        """A fault: a new entry at the end of the fault list (now, by the pump's clock), and
        the pump in its fault state; returns the entry's index."""
        self.state.faults.append((code, self._now().replace(microsecond=0), message))
        self.set_value("MP", 31, 1)
        return len(self.state.faults) - 1

    def clear_fault(self) -> None:
        """The fault is gone: the pump leaves its fault state (the list keeps the entry)."""
        self.set_value("MP", 31, 0)

    def rename(self, point_type: str, number: int, name: str) -> None:
        """Give a point another NAME, as other firmware does for the same number."""
        self.state.records[(point_type, number)].set("NAME", name)

    @property
    def connections(self) -> int:
        """Open TCP connections."""
        return len(self._writers)

    def write_requests(self) -> list[str]:
        """Every request received that would change something on the pump."""
        return [r for r in self.requests if _is_write(r)]

    def set_value(self, point_type: str, number: int, value: float) -> None:
        """Change a point as if the pump had measured it (a counter moving, say)."""
        record = self.state.records[(point_type.upper(), int(number))]
        record.set("VAL", record.format_value(value))

    # -- protocol -----------------------------------------------------------------------------

    def handle(self, command: str) -> list[tuple[str, int, bool]]:
        """Answer one command: a list of (text, flag, zero_length) frames."""
        self.requests.append(command)
        try:
            return self._dispatch(command)
        except (KeyError, ValueError, IndexError):
            return [self._error()]

    def _error(self) -> tuple[str, int, bool]:
        return (INVALID_IDX, 0x02, True) if self.quirks else (INVALID_IDX, 0, False)

    def _plain(self, text: str) -> tuple[str, int, bool]:
        return (text, 0, False)

    def _dispatch(self, command: str) -> list[tuple[str, int, bool]]:
        if command in ("LIN", "LOUT"):
            return [self._plain("OK")]
        if command == "RID":
            return [self._plain(self.state.rid_text or f"RID,{self.state.serial_number}")]
        if match := re.fullmatch(r"(SP|MP),NR=(\d+)(?:,VAL=(.+))?", command):
            return [self._record(match.group(1), int(match.group(2)), match.group(3))]
        if command.startswith("MR,"):
            return [self._fast(int(n)) for n in command[3:].split(",")]
        if command == "CLK" or command.startswith("CLK,"):
            return [self._clock(command)]
        if command == "ALS":
            return [self._plain(f"SUM={len(self.state.faults)}")]
        if command == "ALC":
            return [self._fault(len(self.state.faults) - 1)]
        if command.startswith("AR,"):
            return self._fault_list([int(n) for n in command[3:].split(",")])
        if command == "PRL":
            programs = self.state.programs
            return [self._plain(f"SUM={len(programs)}")] + [
                self._plain(p.header(i)) for i, p in enumerate(programs)
            ]
        if match := re.fullmatch(r"PRI(\d+)", command):
            index = int(match.group(1))
            return [self._plain(self.state.programs[index].header(index))]
        if match := re.fullmatch(r"PRD(\d+)", command):
            return self._program(int(match.group(1)))
        if command.startswith("PRE,"):
            return [self._entry(command)]
        return [self._error()]

    def _record(self, point_type: str, number: int, write: str | None) -> tuple[str, int, bool]:
        record = self.state.records[(point_type, number)]
        if write is not None:
            self._write(point_type, record, write)
        self._move(point_type, number, record)
        text = f"{point_type},NR={number},{record.text()}"
        flag = 0
        if self.quirks:
            if (point_type, number) == ("MP", 16) or number % 7 == 3:
                flag = 0x04
            elif (point_type, number) == ("SP", 167) or number % 11 == 5:
                flag = 0x08
        return (text, flag, False)

    def _write(self, point_type: str, record: Record, text: str) -> None:
        if point_type != "SP" or record.get("WR") != "1" or self.reject_writes:
            return  # not accepted: the reply shows the unchanged value
        tp, bit = record.get("TP"), int(record.get("BIT"))
        if tp == "1":
            value: float = float(text)
            if round(value, bit) != value:
                return
        else:
            value = int(text)
        low, high = float(record.get("MIN")), float(record.get("MAX"))
        if (low, high) != (0.0, 0.0) and not low <= value <= high:
            return
        record.set("VAL", record.format_value(value))

    def _move(self, point_type: str, number: int, record: Record) -> None:
        """Let measured values drift plausibly over time (only with ``dynamic``)."""
        if not self.dynamic or point_type != "MP" or record.get("TP") != "1":
            return
        if record.get("US") != "1" or record.get("VAL") == "-50.0":
            return
        key = f"_base_{number}"
        base = getattr(self, key, None)
        if base is None:
            base = float(record.get("VAL"))
            setattr(self, key, base)
        elapsed = time.monotonic() - self._started
        value = base + 0.8 * math.sin(elapsed / 90.0 + number)
        if number in (52, 54):  # heat meters only ever grow
            value = base + elapsed / 3600.0
        record.set("VAL", record.format_value(value))

    def _fast(self, number: int) -> tuple[str, int, bool]:
        record = self.state.records[("MP", number)]
        self._move("MP", number, record)
        flag = (0x00, 0x01, 0x02)[number % 3] if self.quirks else 0
        return (f"MA,{number},{record.get('VAL')},{16 + number % 2}", flag, False)

    def _now(self) -> datetime:
        return datetime.now().replace(microsecond=0) + self.state.clock_offset

    def _clock(self, command: str) -> tuple[str, int, bool]:
        if command != "CLK":
            match = re.fullmatch(
                r"CLK,DA=(\d\d)\.(\d\d)\.(\d\d),TI=(\d\d):(\d\d):(\d\d),WD=([1-7])", command
            )
            if match is None:
                raise ValueError(command)
            d, mo, y, h, mi, s, _ = (int(g) for g in match.groups())
            wanted = datetime(2000 + y, mo, d, h, mi, s)
            self.state.clock_offset = wanted - datetime.now().replace(microsecond=0)
        now = self._now()
        return self._plain(
            f"CLK,DA={now:%d.%m}.{now.year - 2000:02d},TI={now:%H:%M:%S},WD={now.isoweekday()}"
        )

    def _fault(self, index: int) -> tuple[str, int, bool]:
        if not 0 <= index < len(self.state.faults):
            raise IndexError(index)
        code, when, message = self.state.faults[index]
        stamp = f"{when:%d.%m}.{when.year - 2000:02d}-{when:%H:%M:%S}"
        return self._plain(f"AA,{index},{code},{stamp},{message}")

    def _fault_list(self, indices: list[int]) -> list[tuple[str, int, bool]]:
        frames = []
        for index in indices:
            try:
                frames.append(self._fault(index))
            except IndexError:
                frames.append(self._error())
                break
        return frames

    def _program(self, index: int) -> list[tuple[str, int, bool]]:
        program = self.state.programs[index]
        frames = [self._plain(program.header(index))]
        for day, entries in enumerate(program.entries):
            for number in range(len(entries)):
                frames.append(self._plain(self._entry_text(index, day, number)))
        return frames

    def _entry_text(self, index: int, day: int, number: int) -> str:
        state, begin, end = self.state.programs[index].entries[day][number]
        return f"PRE,PR={index},DAY={day},EV={number},ST={state},BEG={begin},END={end}"

    def _entry(self, command: str) -> tuple[str, int, bool]:
        match = re.fullmatch(
            r"PRE,PR=(\d+),DAY=(\d+),EV=(\d+)(?:,ST=(\d+),BEG=(\d\d:\d\d),END=(\d\d:\d\d))?",
            command,
        )
        if match is None:
            raise ValueError(command)
        index, day, number = (int(g) for g in match.group(1, 2, 3))
        program = self.state.programs[index]
        program.entries[day][number]
        if match.group(4) is not None:
            state, begin, end = int(match.group(4)), match.group(5), match.group(6)
            minutes = [int(t[:2]) * 60 + int(t[3:]) for t in (begin, end)]
            valid = (
                state < program.states
                and all(m % program.step == 0 and m <= 1440 for m in minutes)
                and minutes[0] <= minutes[1]
            )
            if valid and not self.reject_writes:
                program.entries[day][number] = (state, begin, end)
        return self._plain(self._entry_text(index, day, number))

    # -- byte stream --------------------------------------------------------------------------

    async def _serve_stream(
        self, chunks: Callable[[], Awaitable[bytes]], send: Callable[[bytes], Awaitable[None]]
    ) -> None:
        """Read requests from a byte stream and answer them in order."""
        buffer = bytearray()
        connected = not self.modem_mode
        while True:
            data = await chunks()
            if not data:
                return
            self.bytes_in += len(data)
            buffer.extend(data)
            if not connected:
                match = re.search(rb"CONNECT \d+\r\n", buffer)
                if match is None:
                    buffer = buffer[-64:]
                    continue
                connected = True
                del buffer[: match.end()]
            while (command := self._take_request(buffer)) is not None:
                await self._answer(command, send)

    def _take_request(self, buffer: bytearray) -> str | None:
        while True:
            start = buffer.find(REQUEST_START)
            if start < 0:
                del buffer[: max(0, len(buffer) - len(REQUEST_START) + 1)]
                return None
            del buffer[:start]
            if len(buffer) < 7 or len(buffer) < 8 + buffer[6]:
                return None
            length = buffer[6]
            frame, chk = bytes(buffer[: 7 + length]), buffer[7 + length]
            payload = frame[7:]
            if (
                wire_checksum(frame) != chk
                or not payload.startswith(b"~")
                or not payload.endswith(b";")
            ):
                self.bad_requests += 1
                del buffer[:1]
                continue
            del buffer[: 8 + length]
            return payload[1:-1].decode("ascii", "replace")

    async def _answer(self, command: str, send: Callable[[bytes], Awaitable[None]]) -> None:
        held = next((h for h in self._holds if h.pattern.fullmatch(command)), None)
        if held is not None:
            self._holds.remove(held)
            held.arrived.set()
            await held.released.wait()
        frames = self.handle(command)
        if self.baudrate:
            request_bytes = len(command) + 10
            await asyncio.sleep(request_bytes * 10 / self.baudrate)
        if self.turnaround:
            await asyncio.sleep(self.turnaround)
        encoded = [frame_reply(t, f, zero_length=z) for t, f, z in frames]
        fault = self._next_fault(command)
        if fault is Fault.SILENCE:
            return
        if fault is Fault.LATE:
            await asyncio.sleep(self.late_delay)
        if fault is Fault.DISCONNECT:
            raise ConnectionResetError("injected disconnect")
        if fault is Fault.CORRUPT:
            text, flag, zero_length = frames[0]
            # Flags 04/08 carry no checksum at all: corrupt a frame type that has one.
            first = frame_reply(
                text, 0x00 if flag in (0x04, 0x08) else flag, zero_length=zero_length
            )
            encoded[0] = first[:-1] + bytes((first[-1] ^ 0x55,))
        data = b"".join(encoded)
        if fault is Fault.BAD_THEN_GOOD:
            text, flag, zero_length = frames[0]
            bad = frame_reply(text, 0x00 if flag in (0x04, 0x08) else flag, zero_length=zero_length)
            data = bad[:-1] + bytes((bad[-1] ^ 0x21,)) + data
        elif fault is Fault.FAKE_HEADER:
            noise = bytes(self._random.randrange(0x20, 0x7F) for _ in range(5))
            data = (
                REPLY_START + bytes((0, 0, self._random.randrange(100, 256))) + b"~" + noise + data
            )
        if fault is Fault.DROP:
            position = self._random.randrange(len(data))
            data = data[:position] + data[position + 1 :]
        elif fault is Fault.GARBAGE:
            noise = bytes(self._random.randrange(256) for _ in range(self._random.randint(1, 20)))
            data = noise + data
        await self._send_paced(data, send, fragment=fault is Fault.FRAGMENT)

    def _next_fault(self, command: str) -> Fault | None:
        if self._targeted and self._targeted[0][0].fullmatch(command):
            return self._targeted.popleft()[1]
        return self._faults.popleft() if self._faults else None

    async def _send_paced(
        self, data: bytes, send: Callable[[bytes], Awaitable[None]], *, fragment: bool
    ) -> None:
        loop = asyncio.get_running_loop()
        start = loop.time()
        sent = 0
        while sent < len(data):
            size = self._random.randint(1, 8) if fragment else 64
            piece = data[sent : sent + size]
            if fragment:
                await asyncio.sleep(0.002)
            elif self.baudrate:
                due = start + (sent + len(piece)) * 10 / self.baudrate
                await asyncio.sleep(max(0.0, due - loop.time()))
            await send(piece)
            sent += len(piece)
            self.bytes_out += len(piece)

    # -- TCP ------------------------------------------------------------------------------------

    async def start_tcp(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listen on TCP; returns the ``socket://`` URL."""
        self._server = await asyncio.start_server(self._tcp_client, host, port)
        self.port = self._server.sockets[0].getsockname()[1]
        return f"socket://{host}:{self.port}"

    async def _tcp_client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

        async def send(data: bytes) -> None:
            writer.write(data)
            await writer.drain()

        try:
            await self._serve_stream(lambda: reader.read(4096), send)
        except (ConnectionError, OSError) as err:
            _LOGGER.debug("TCP client gone: %s", err)
        finally:
            self._writers.discard(writer)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def disconnect_clients(self) -> None:
        """Drop every open TCP connection (the server keeps listening)."""
        for writer in list(self._writers):
            writer.close()
        await asyncio.sleep(0)

    async def stop(self) -> None:
        """Stop listening and drop every connection."""
        if self._server is not None:
            self._server.close()
            await self.disconnect_clients()
            await self._server.wait_closed()
            self._server = None
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._close_pty()

    # -- pty ------------------------------------------------------------------------------------

    def start_pty(self) -> str:
        """Open a pty; returns the device path a client opens."""
        master, slave = os.openpty()
        tty.setraw(slave)
        os.set_blocking(master, False)
        self._pty_master, self._pty_slave = master, slave
        loop = asyncio.get_running_loop()
        incoming: asyncio.Queue[bytes] = asyncio.Queue()

        def readable() -> None:
            try:
                data = os.read(master, 4096)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                data = b""  # EIO: no client has the slave open right now
            if data and not self._line_speed_matches():
                self.garbled_bytes += len(data)
            elif data:
                incoming.put_nowait(data)

        async def send(data: bytes) -> None:
            view = memoryview(data)
            while view:
                try:
                    written = os.write(master, view)
                except BlockingIOError:
                    await asyncio.sleep(0.001)
                    continue
                view = view[written:]

        async def serve() -> None:
            while True:
                try:
                    await self._serve_stream(incoming.get, send)
                except ConnectionResetError:
                    continue  # a pty cannot be unplugged: the reply is simply lost

        loop.add_reader(master, readable)
        task = loop.create_task(serve())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return os.ttyname(slave)

    def _line_speed_matches(self) -> bool:
        if self.line_baudrate is None or self._pty_slave is None:
            return True
        speed = termios.tcgetattr(self._pty_slave)[5]  # what the other end set (ospeed)
        return bool(speed == getattr(termios, f"B{self.line_baudrate}"))

    def _close_pty(self) -> None:
        if self._pty_master is not None:
            with contextlib.suppress(Exception):
                asyncio.get_running_loop().remove_reader(self._pty_master)
            for fd in (self._pty_master, self._pty_slave):
                if fd is not None:
                    with contextlib.suppress(OSError):
                        os.close(fd)
            self._pty_master = self._pty_slave = None


def _is_write(command: str) -> bool:
    return (
        ",VAL=" in command
        or (command.startswith("CLK,"))
        or (command.startswith("PRE,") and ",ST=" in command)
    )


async def _main(args: argparse.Namespace) -> None:
    emulator = PumpEmulator(
        baudrate=args.baud or None,
        turnaround=args.turnaround / 1000,
        dynamic=not args.static,
        modem_mode=args.modem,
    )
    emulator.state.serial_number = args.serial_number
    if args.pty:
        emulator.line_baudrate = args.baud or None
        print(f"pty: {emulator.start_pty()}", flush=True)
    if args.tcp:
        host, _, port = args.tcp.rpartition(":")
        print(f"tcp: {await emulator.start_tcp(host or '127.0.0.1', int(port))}", flush=True)
    runner = None
    if args.control:
        # Knobs by hand: curl -X POST 127.0.0.1:<port>/_mock/call/add_fault -d '{"code": 9,
        # "message": "HD Schalter"}'; .../_mock/call/clear_fault -d '{}'
        app = web.Application()
        app.add_routes(call_routes(emulator))
        runner, bound = await serve(app, "127.0.0.1", args.control)
        print(f"control: http://127.0.0.1:{bound}/_mock/call/<knob>", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await emulator.stop()
        if runner is not None:
            await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description="Heliotherm heat pump emulator")
    parser.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP")
    parser.add_argument("--pty", action="store_true", help="open a pty and print its path")
    parser.add_argument("--baud", type=int, default=0, help="pace bytes at this baud rate")
    parser.add_argument("--turnaround", type=float, default=0, help="device delay in ms")
    parser.add_argument("--static", action="store_true", help="values do not move")
    parser.add_argument("--modem", action="store_true", help="wait for a CONNECT line first")
    parser.add_argument("--serial-number", type=int, default=SERIAL_NUMBER, help="a second pump")
    parser.add_argument("--control", type=int, default=0, help="HTTP port for the knobs")
    args = parser.parse_args()
    if not args.tcp and not args.pty:
        parser.error("give --tcp HOST:PORT and/or --pty")
    logging.basicConfig(level=logging.INFO)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_main(args))


if __name__ == "__main__":
    main()
