"""The Heliotherm parameter catalog (params.csv shipped beside this module) and value codecs."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from ..model import InvalidValue

CATALOG_FILE = Path(__file__).with_name("params.csv")

type PointValue = bool | int | float


class PointType(StrEnum):
    """SP = setting ("Sollwert"), MP = measurement point."""

    SP = "SP"
    MP = "MP"


class DataType(StrEnum):
    """Catalog data types."""

    BOOL = "BOOL"
    INT = "INT"
    FLOAT = "FLOAT"


@dataclass(frozen=True, slots=True)
class CatalogPoint:
    """One row of params.csv."""

    point_type: PointType
    number: int
    name: str
    writable: bool
    data_type: DataType
    minimum: float
    maximum: float
    decimals: int
    in_use: bool
    unit: str | None
    meaning: str
    default_set: bool
    notes: str

    @property
    def key(self) -> str:
        """Stable key, e.g. ``sp_69``."""
        return f"{self.point_type.lower()}_{self.number}"

    @property
    def command(self) -> str:
        """The read command, e.g. ``SP,NR=69``."""
        return f"{self.point_type},NR={self.number}"


class Catalog:
    """All known points keyed by (type, number)."""

    def __init__(self, points: list[CatalogPoint]) -> None:
        self._points = {(p.point_type, p.number): p for p in points}
        self._by_key = {p.key: p for p in points}

    @classmethod
    def from_csv(cls, path: Path) -> Catalog:
        """Load a catalog file."""
        with path.open(encoding="utf-8", newline="") as handle:
            return cls([_row_to_point(row) for row in csv.DictReader(handle)])

    def get(self, point_type: PointType, number: int) -> CatalogPoint | None:
        """Look a point up by type and number."""
        return self._points.get((point_type, number))

    def by_key(self, key: str) -> CatalogPoint | None:
        """Look a point up by key (``sp_69``)."""
        return self._by_key.get(key)

    def find(self, name: str) -> CatalogPoint | None:
        """Look a point up by key (``sp_69``) or by the pump's own name (``HKR Soll_Raum``)."""
        name = name.strip()
        return self.by_key(name.lower()) or next(
            (p for p in self._points.values() if p.name.strip() == name), None
        )

    def __iter__(self) -> Iterator[CatalogPoint]:
        return iter(self._points.values())

    def __len__(self) -> int:
        return len(self._points)


def _row_to_point(row: dict[str, str]) -> CatalogPoint:
    return CatalogPoint(
        point_type=PointType(row["dp_type"]),
        number=int(row["dp_number"]),
        name=row["name"],
        writable=row["access"] == "rw",
        data_type=DataType(row["data_type"]),
        minimum=float(row["min"]),
        maximum=float(row["max"]),
        decimals=int(row["decimals"]),
        in_use=row["in_use"] == "1",
        unit=row["unit"] or None,
        meaning=row["meaning_en"],
        default_set=row["default_set"] == "yes",
        notes=row["notes"],
    )


@cache
def default_catalog() -> Catalog:
    """The catalog shipped with the integration (read once per process)."""
    return Catalog.from_csv(CATALOG_FILE)


def parse_value(text: str, data_type: DataType) -> PointValue:
    """Convert value text as the device prints it; raise ValueError on anything else.

    FLOAT points with BIT=0 print no decimal point (``-5``), so FLOAT accepts integers too.
    """
    text = text.strip()
    if data_type is DataType.BOOL:
        if text not in ("0", "1"):
            raise ValueError(f"not a boolean: {text!r}")
        return text == "1"
    if data_type is DataType.INT:
        return int(text, 10)
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {text!r}")
    return value


def format_value(value: PointValue, data_type: DataType, decimals: int) -> str:
    """Value text for a write, in the device's own format (BIT decimals)."""
    if data_type is DataType.BOOL:
        return "1" if value else "0"
    if data_type is DataType.INT:
        return str(int(value))
    return f"{float(value):.{decimals}f}"


def coerce_value(value: object, data_type: DataType, decimals: int) -> PointValue:
    """Check a value's Python type against the catalog type; refuse before anything is sent."""
    if data_type is DataType.BOOL:
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        raise InvalidValue("wrong_type", expected="boolean", value=value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidValue("wrong_type", expected="number", value=value)
    if not math.isfinite(value):
        raise InvalidValue("wrong_type", expected="number", value=value)
    if data_type is DataType.INT:
        if value != int(value):
            raise InvalidValue("wrong_type", expected="whole number", value=value)
        return int(value)
    step = 10.0**-decimals
    if abs(round(value / step) * step - value) > step / 1000:
        raise InvalidValue("wrong_step", step=f"{step:g}", value=value)
    return round(float(value), decimals)
