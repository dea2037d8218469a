"""A TCP proxy between a client and the pump emulator that damages chosen replies.

It behaves like ser2net in front of a shared serial line: one connection to the pump stays
open while clients come and go, so a reply that arrives late reaches whichever client is
connected now. Before a request the caller arms a fault; the proxy applies it to that request's
reply and records what it did, including whether the damaged bytes still pass the protocol's
own checksum (checked here independently of the integration's parser).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Coroutine
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tests.emulators.heliotherm_pump import REPLY_START, wire_checksum

REQUEST_START = b"\x02\xfd\xd0\xe0"
REPLY_QUIET = 0.02  # the emulator answers at once: a reply is complete after this much quiet


class ProxyFault(StrEnum):
    """What the proxy does to one reply."""

    FLIP_ONE = "flip_one"  # one byte changed
    FLIP_TWO = "flip_two"  # two bytes changed (may cancel out in the XOR checksum)
    DROP = "drop"  # one byte lost
    GARBAGE = "garbage"  # noise before the reply
    FAKE_HEADER = "fake_header"  # a frame start with a large length byte before the reply
    BAD_THEN_GOOD = "bad_then_good"  # a damaged copy, then the reply
    LATE = "late"  # the reply arrives after the client's timeout
    SILENCE = "silence"  # the reply is lost
    DISCONNECT = "disconnect"  # the client's connection drops instead of the reply


@dataclass(slots=True)
class Applied:
    """What happened to one reply."""

    fault: ProxyFault
    undetectable: bool = False  # the damaged bytes still hold a checksum-valid, changed frame


def valid_frames(data: bytes) -> list[bytes]:
    """Payloads of every checksum-valid reply frame in ``data`` (independent validator)."""
    frames: list[bytes] = []
    corrections = {0: 0, 1: 1, 2: 2}
    start = data.find(REPLY_START)
    while start >= 0 and start + 7 <= len(data):
        flag, length = data[start + 4], data[start + 6]
        if length == 0:
            end = data.find(b"\r\n", start + 7)
            length = end + 2 - (start + 7) if end >= 0 else -1
        if flag in (0, 1, 2, 4, 8) and length > 0 and start + 7 + length < len(data):
            payload = data[start + 7 : start + 7 + length]
            chk = data[start + 7 + length]
            header = data[start : start + 6]
            if flag in (4, 8):
                ok = chk in (0, wire_checksum(header + bytes((length,)) + payload))
            else:
                ok = chk == wire_checksum(header + bytes((length - corrections[flag],)) + payload)
            if ok and payload.startswith(b"~") and payload.endswith(b";\r\n"):
                frames.append(payload)
        start = data.find(REPLY_START, start + 1)
    return frames


class FaultProxy:
    """Forward requests unchanged; damage the reply of armed requests."""

    def __init__(self, upstream_port: int, *, late_delay: float, seed: int = 7) -> None:
        self.upstream_port = upstream_port
        self.late_delay = late_delay
        self._random = random.Random(seed)
        self._armed: ProxyFault | None = None
        self._current: ProxyFault | None = None
        self.applied: list[Applied] = []
        self._client: asyncio.StreamWriter | None = None
        self._upstream: asyncio.StreamWriter | None = None
        self._server: asyncio.Server | None = None
        self._reply = bytearray()
        self._flush: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = 0

    def arm(self, fault: ProxyFault | None) -> None:
        """Damage the reply to the next request with ``fault`` (None: leave it alone)."""
        self._armed = fault

    async def start(self) -> str:
        """Connect to the pump, listen for clients; returns the client's URL."""
        reader, self._upstream = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        self._spawn(self._pump_to_client(reader))
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return f"socket://127.0.0.1:{self.port}"

    async def stop(self) -> None:
        """Close everything."""
        if self._server is not None:
            self._server.close()
        for writer in (self._client, self._upstream):
            if writer is not None:
                writer.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._client is not None:
            self._client.close()  # one client at a time, like ser2net's kickolduser
        self._client = writer
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        with contextlib.suppress(ConnectionError, OSError):
            while data := await reader.read(4096):
                if REQUEST_START in data:
                    self._current, self._armed = self._armed, None
                assert self._upstream is not None
                self._upstream.write(data)
        if self._client is writer:
            self._client = None

    async def _pump_to_client(self, reader: asyncio.StreamReader) -> None:
        while data := await reader.read(4096):
            if self._current is None:
                self._send(data)
                continue
            self._reply.extend(data)
            if self._flush is not None:
                self._flush.cancel()
            self._flush = asyncio.get_running_loop().call_later(REPLY_QUIET, self._release)

    def _send(self, data: bytes) -> None:
        if self._client is not None and not self._client.is_closing():
            self._client.write(data)

    def _release(self) -> None:
        fault, self._current = self._current, None
        data, self._reply = bytes(self._reply), bytearray()
        assert fault is not None
        applied = Applied(fault)
        self.applied.append(applied)
        if fault is ProxyFault.SILENCE:
            return
        if fault is ProxyFault.DISCONNECT:
            if self._client is not None:
                self._client.close()
            return
        if fault is ProxyFault.LATE:
            asyncio.get_running_loop().call_later(self.late_delay, self._send, data)
            return
        damaged = self._damage(fault, data)
        original = valid_frames(data)
        applied.undetectable = any(f not in original for f in valid_frames(damaged))
        self._send(damaged)

    def _damage(self, fault: ProxyFault, data: bytes) -> bytes:
        rnd = self._random
        if fault is ProxyFault.GARBAGE:
            return bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 20))) + data
        if fault is ProxyFault.FAKE_HEADER:
            fake = REPLY_START + bytes((rnd.choice((0, 1, 2, 4, 8)), 0, rnd.randrange(40, 256)))
            return fake + bytes(rnd.randrange(0x20, 0x7F) for _ in range(rnd.randint(0, 6))) + data
        damaged = bytearray(data)
        if fault is ProxyFault.DROP:
            del damaged[rnd.randrange(len(damaged))]
            return bytes(damaged)
        flips = 1 if fault in (ProxyFault.FLIP_ONE, ProxyFault.BAD_THEN_GOOD) else 2
        for position in rnd.sample(range(len(damaged)), min(flips, len(damaged))):
            damaged[position] ^= rnd.randrange(1, 256)
        if fault is ProxyFault.BAD_THEN_GOOD:
            return bytes(damaged) + data
        return bytes(damaged)
