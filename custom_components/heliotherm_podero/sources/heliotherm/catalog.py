"""The Heliotherm parameter catalog (params.csv shipped beside this module) and value codecs."""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ..model import InvalidValue

CATALOG_FILE = Path(__file__).with_name("params.csv")

# Writing these starts an action on the controller (initialise, fault reset, start a defrost,
# reset the statistics): the client never writes them, whoever asks.
TRIGGER_KEYS = frozenset({"sp_8", "sp_14", "sp_255", "sp_286"})

# SW 3.x cuts names to 30 characters, older units to 20 (PROTOCOL.md 5.1).
_SHORTEST_TRUNCATED_NAME = 20

_INT_TEXT = re.compile(r"-?[0-9]+")
_FLOAT_TEXT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")

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

    @property
    def is_trigger(self) -> bool:
        """Writing this point starts an action instead of storing a setting."""
        return self.key in TRIGGER_KEYS

    def matches_name(self, device_name: str) -> bool:
        """True when the pump's NAME for this number is this catalog row's name.

        The pump may cut names to 30 or 20 characters and pad them with blanks; on other
        firmware the same number can carry a different name (and meaning).
        """
        ours, theirs = self.name.strip(), device_name.strip()
        if ours == theirs:
            return True
        shorter, longer = sorted((ours, theirs), key=len)
        return len(shorter) >= _SHORTEST_TRUNCATED_NAME and longer.startswith(shorter)


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


# Read at import (Home Assistant imports integrations in an executor), never inside the loop.
_DEFAULT_CATALOG = Catalog.from_csv(CATALOG_FILE)


def default_catalog() -> Catalog:
    """The catalog shipped with the integration."""
    return _DEFAULT_CATALOG


def parse_value(text: str, data_type: DataType) -> PointValue:
    """Convert value text as the device prints it; raise ValueError on anything else.

    Only plain ASCII digits are accepted (Python's int() and float() also take "1_0", "1e5",
    "nan" or superscript digits, none of which a pump sends). FLOAT points with BIT=0 print no
    decimal point (``-5``), so FLOAT accepts integers too.
    """
    text = text.strip()
    if data_type is DataType.BOOL:
        if text not in ("0", "1"):
            raise ValueError(f"not a boolean: {text!r}")
        return text == "1"
    if data_type is DataType.INT:
        if not _INT_TEXT.fullmatch(text):
            raise ValueError(f"not a whole number: {text!r}")
        return int(text, 10)
    if not _FLOAT_TEXT.fullmatch(text):
        raise ValueError(f"not a number: {text!r}")
    return float(text)


def format_value(value: PointValue, data_type: DataType, decimals: int) -> str:
    """Value text for a write, in the device's own format (BIT decimals)."""
    if data_type is DataType.BOOL:
        return "1" if value else "0"
    if data_type is DataType.INT:
        return str(int(value))
    return f"{float(value):.{decimals}f}"


# No setting of any pump comes near this; larger numbers cannot be printed without an exponent.
MAX_MAGNITUDE = 1e9


def coerce_value(value: object, data_type: DataType, decimals: int) -> PointValue:
    """Check a value's Python type against the catalog type; refuse before anything is sent."""
    if data_type is DataType.BOOL:
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        raise InvalidValue("not_a_boolean", value=value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidValue("not_a_number", value=value)
    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        raise InvalidValue("not_a_setting_value", value=value)
    if data_type is DataType.INT:
        if value != int(value):
            raise InvalidValue("not_a_whole_number", value=value)
        return int(value)
    step = 10.0**-decimals
    if abs(round(value / step) * step - value) > step / 1000:
        raise InvalidValue("wrong_step", step=f"{step:g}", value=value)
    return round(float(value), decimals)
