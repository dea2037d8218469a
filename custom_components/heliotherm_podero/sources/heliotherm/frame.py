"""Heliotherm serial framing: request encoding, checksum and a resynchronising reply parser.

PROTOCOL.md sections 2 and 3. The parser is a pure byte-buffer state machine; it never blocks and
knows nothing about transports, so the client, the tests and the benchmark all share it.
"""

from __future__ import annotations

from dataclasses import dataclass

REQUEST_HEADER = bytes((0x02, 0xFD, 0xD0, 0xE0, 0x00, 0x00))
RESPONSE_PREFIX = bytes((0x02, 0xFD, 0xE0, 0xD0))
MAX_COMMAND_LENGTH = 253  # so that LEN = len("~" + command + ";") fits one byte
_PAYLOAD_END = b";\r\n"
_MAX_PAYLOAD = 255

# Flag byte -> how much to subtract from the true payload length before checksumming
# (None: the device sends CHK 00 and the length is not part of any check).
_LENGTH_CORRECTION: dict[int, int | None] = {0x00: 0, 0x01: 1, 0x02: 2, 0x04: None, 0x08: None}
RESPONSE_FLAGS = frozenset(_LENGTH_CORRECTION)


class FrameError(ValueError):
    """A request cannot be encoded."""


def checksum(data: bytes | bytearray) -> int:
    """Return the protocol checksum over ``data`` (PROTOCOL.md 2.3)."""
    chk = 0
    for byte in data:
        chk ^= byte
        chk ^= (byte << 1) & 0xFF
    return chk


def encode_request(command: str) -> bytes:
    """Frame one command: header, LEN, ``~COMMAND;``, CHK."""
    if len(command) > MAX_COMMAND_LENGTH:
        raise FrameError(f"command longer than {MAX_COMMAND_LENGTH} characters")
    if any(ch in command for ch in ";~\r\n"):
        raise FrameError("command contains a reserved character")
    try:
        payload = b"~" + command.encode("ascii") + b";"
    except UnicodeEncodeError as err:
        raise FrameError("command is not ASCII") from err
    frame = REQUEST_HEADER + bytes((len(payload),)) + payload
    return frame + bytes((checksum(frame),))


def decode_text(payload_text: bytes) -> str:
    """Decode reply text: ASCII as the device sends it, latin-1 as a lossless fallback."""
    try:
        return payload_text.decode("ascii")
    except UnicodeDecodeError:
        return payload_text.decode("latin-1")


@dataclass(frozen=True, slots=True)
class Frame:
    """One valid reply frame."""

    flag: int
    text: str


class FrameParser:
    """Collect reply bytes and cut them into validated frames.

    Anything that is not a valid frame is skipped one byte at a time until the next frame start,
    so garbage never turns into a value. Rejected frame candidates are counted in
    ``checksum_errors`` (bad CHK) and ``discarded_bytes`` so the client can fail the request.
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self.checksum_errors = 0
        self.discarded_bytes = 0

    def clear(self) -> None:
        """Forget buffered bytes and error counters (done before each request)."""
        self._buffer.clear()
        self.checksum_errors = 0
        self.discarded_bytes = 0

    @property
    def buffered(self) -> int:
        """Bytes received but not yet consumed."""
        return len(self._buffer)

    def feed(self, data: bytes | bytearray) -> None:
        """Append received bytes."""
        self._buffer.extend(data)

    def next_frame(self) -> Frame | None:
        """Return the next valid frame, or None until more bytes are needed."""
        while True:
            start = self._buffer.find(RESPONSE_PREFIX)
            if start < 0:
                # Keep a possible partial prefix at the end of the buffer.
                keep = len(RESPONSE_PREFIX) - 1
                self._discard(max(0, len(self._buffer) - keep))
                return None
            self._discard(start)
            result = self._try_frame()
            if result is _NEED_MORE:
                return None
            if isinstance(result, Frame):
                return result
            self._discard(1)  # not a frame after all: hunt for the next start

    def _discard(self, count: int) -> None:
        if count:
            del self._buffer[:count]
            self.discarded_bytes += count

    def _try_frame(self) -> Frame | object:
        r"""Validate a frame at the start of the buffer (which holds RESPONSE_PREFIX).

        A candidate is given up as soon as the bytes already there show it cannot be a frame
        (payload not ``~text;\r\n``), so a fake header with a large length byte never makes
        the reader wait for bytes that will not come while a valid reply sits behind it.
        """
        buf = self._buffer
        if len(buf) < 7:
            return _NEED_MORE
        flag = buf[4]
        if flag not in _LENGTH_CORRECTION or buf[5] != 0x00:
            return _INVALID
        length = buf[6]
        if length == 0:
            # Zero-length quirk: the payload runs up to the first CR LF.
            if len(buf) > 7 and buf[7] != _TILDE:
                return _INVALID
            end = buf.find(b"\r\n", 7, 7 + _MAX_PAYLOAD)
            if end < 0:
                if not _body_ok(_without_partial_end(bytes(buf[8 : 7 + _MAX_PAYLOAD]))):
                    return _INVALID
                return _NEED_MORE if len(buf) < 7 + _MAX_PAYLOAD else _INVALID
            length = end + 2 - 7
        if length < _MIN_PAYLOAD or not _partial_payload_ok(bytes(buf[7 : 7 + length]), length):
            return _INVALID
        if len(buf) < 7 + length + 1:
            return _NEED_MORE
        payload = bytes(buf[7 : 7 + length])
        received_chk = buf[7 + length]
        if not self._checksum_ok(flag, length, payload, received_chk):
            self.checksum_errors += 1
            return _INVALID
        del buf[: 7 + length + 1]
        return Frame(flag=flag, text=decode_text(payload[1 : -len(_PAYLOAD_END)]))

    @staticmethod
    def _checksum_ok(flag: int, length: int, payload: bytes, received: int) -> bool:
        correction = _LENGTH_CORRECTION[flag]
        header = RESPONSE_PREFIX + bytes((flag, 0x00))
        if correction is None:
            # Flags 04/08: the device sends 00; also accept a genuine checksum.
            return received == 0 or received == checksum(header + bytes((length,)) + payload)
        covered_length = length - correction
        if covered_length < 0:
            return False
        return received == checksum(header + bytes((covered_length,)) + payload)


_NEED_MORE = object()
_INVALID = object()
_TILDE = ord("~")
_MIN_PAYLOAD = len(b"~" + _PAYLOAD_END)


def _body_ok(body: bytes) -> bool:
    """Reply text is printable: no control byte, no ``;`` (it ends the payload)."""
    return b";" not in body and all(byte >= 0x20 for byte in body)


def _without_partial_end(body: bytes) -> bytes:
    r"""Body bytes without a ``;`` or ``;\r`` that may be the start of the payload's end."""
    for tail in (b";\r", b";"):
        if body.endswith(tail):
            return body[: -len(tail)]
    return body


def _partial_payload_ok(available: bytes, length: int) -> bool:
    """Tell whether ``available``, the first bytes of a ``length``-byte payload, may be one."""
    if available[:1] not in (b"", b"~"):
        return False
    body_end = length - len(_PAYLOAD_END)
    tail = available[body_end:]
    return _body_ok(available[1:body_end]) and _PAYLOAD_END.startswith(tail)
