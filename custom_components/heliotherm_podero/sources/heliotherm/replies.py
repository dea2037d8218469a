"""Parse reply texts (already unframed) into typed values. Every parser raises ProtocolError."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from ..capabilities import FaultEntry
from ..model import ProtocolError
from .catalog import DataType, PointType, PointValue, parse_value

ERROR_PREFIX = "ERR,"
INVALID_INDEX = "ERR,INVALID IDX"


@dataclass(frozen=True, slots=True)
class PointRecord:
    """A data point record as the device reports it (PROTOCOL.md 5.1)."""

    point_type: PointType
    number: int
    name: str
    value: PointValue
    minimum: PointValue
    maximum: PointValue
    decimals: int  # BIT: decimals of TP=1 points (0 for INT/BOOL)
    writable: bool  # WR
    in_use: bool  # US

    @property
    def has_limits(self) -> bool:
        """MIN=MAX=0 means "no limits" (read-only counters)."""
        return not (self.minimum == 0 and self.maximum == 0)


def _fields(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for part in text.split(","):
        key, sep, value = part.partition("=")
        if sep and key not in fields:
            fields[key.strip()] = value
    return fields


def parse_record(
    text: str, point_type: PointType, number: int, data_type: DataType | None
) -> PointRecord:
    """Parse an SP/MP record; ``data_type`` from the catalog, else derived from TP."""
    prefix = f"{point_type},NR={number},"
    if not text.startswith(prefix):
        raise ProtocolError(f"reply for {point_type} {number} expected, got {text[:40]!r}")
    fields = _fields(text[len(prefix) :])
    try:
        name = fields["NAME"].strip()
        tp = int(fields.get("TP", "0"))
        bit = int(fields.get("BIT", "0"))
        if data_type is None:
            data_type = DataType.FLOAT if tp == 1 else DataType.INT
        limit_type = DataType.INT if data_type is DataType.BOOL else data_type
        value = parse_value(fields["VAL"], data_type)
        minimum = parse_value(fields["MIN"], limit_type)
        maximum = parse_value(fields["MAX"], limit_type)
        writable = fields.get("WR", "0").strip() == "1"
        in_use = fields.get("US", "1").strip() == "1"
    except (KeyError, ValueError) as err:
        raise ProtocolError(f"malformed record for {point_type} {number}: {err}") from err
    return PointRecord(
        point_type=point_type,
        number=number,
        name=name,
        value=value,
        minimum=minimum,
        maximum=maximum,
        decimals=bit if tp == 1 else 0,
        writable=writable,
        in_use=in_use,
    )


def parse_fast_value(text: str) -> tuple[int, str]:
    """Split ``MA,<n>,<v>,<x>`` into the number and the value text."""
    parts = text.split(",")
    if len(parts) != 4 or parts[0] != "MA":
        raise ProtocolError(f"fast query reply expected, got {text[:40]!r}")
    try:
        return int(parts[1]), parts[2]
    except ValueError as err:
        raise ProtocolError(f"malformed fast query reply {text[:40]!r}") from err


def parse_sum(text: str) -> int:
    """Parse ``SUM=<k>``."""
    match = re.fullmatch(r"SUM=(\d+)", text.strip())
    if match is None:
        raise ProtocolError(f"count reply expected, got {text[:40]!r}")
    return int(match.group(1))


_FAULT = re.compile(
    r"AA,(\d+),(\d+),(\d{1,2})\.(\d{1,2})\.(\d{2})-(\d{1,2}):(\d{1,2}):(\d{1,2}),(.*)", re.S
)


def parse_fault(text: str) -> FaultEntry:
    """Parse ``AA,<idx>,<code>,<DD>.<MM>.<YY>-<hh>:<mm>:<ss>,<message>``."""
    match = _FAULT.fullmatch(text)
    if match is None:
        raise ProtocolError(f"fault entry expected, got {text[:40]!r}")
    idx, code, day, month, year, hour, minute, second, message = match.groups()
    try:
        when = datetime(2000 + int(year), int(month), int(day), int(hour), int(minute), int(second))
    except ValueError as err:
        raise ProtocolError(f"invalid fault time in {text[:40]!r}") from err
    return FaultEntry(index=int(idx), code=int(code), time=when, message=message.strip())


_CLOCK = re.compile(
    r"CLK,DA=(\d{1,2})\.(\d{1,2})\.(\d{2}),TI=(\d{1,2}):(\d{1,2}):(\d{1,2}),WD=([1-7])"
)


def parse_clock(text: str) -> datetime:
    """Parse ``CLK,DA=DD.MM.YY,TI=hh:mm:ss,WD=w`` into a naive local datetime."""
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        raise ProtocolError(f"clock reply expected, got {text[:40]!r}")
    day, month, year, hour, minute, second, _weekday = (int(g) for g in match.groups())
    try:
        return datetime(2000 + year, month, day, hour, minute, second)
    except ValueError as err:
        raise ProtocolError(f"invalid clock value {text[:40]!r}") from err


def format_clock_command(when: datetime) -> str:
    """The command that sets the pump's clock."""
    if not 2000 <= when.year <= 2099:
        raise ValueError("the pump's clock covers 2000-2099")
    return f"CLK,DA={when:%d.%m}.{when.year - 2000:02d},TI={when:%H:%M:%S},WD={when.isoweekday()}"
