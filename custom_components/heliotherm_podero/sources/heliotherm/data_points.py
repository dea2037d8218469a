"""Reading and writing the pump's data points (PROTOCOL.md 5.1-5.4): records, fast query, writes.

A write is refused before anything is sent where the point, the value or the pump's own
limits say so, and is confirmed by the value the pump reports back.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from ..model import (
    CommunicationError,
    InvalidValue,
    ProtocolError,
    WriteRejected,
)
from .catalog import (
    CatalogPoint,
    PointType,
    PointValue,
    coerce_value,
    format_value,
    parse_value,
)
from .errors import PointNotFound
from .replies import (
    PointRecord,
    parse_fast_value,
    parse_record,
)
from .session import Session, chunk_command, exactly


class DataPoints(Session):
    """SP and MP points: records, the fast query of measurements, verified writes."""

    async def software_version(self) -> tuple[str, int]:
        """SP 9: NAME is the version string, VAL a build number."""
        record = await self.read_record(PointType.SP, 9)
        return record.name, int(record.value)

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
            texts = await self._transact("MR," + ",".join(map(str, chunk)), exactly(len(chunk)))
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
