"""Reading values out of vendor JSON without trusting its types.

HTTP sources share these: a field that is absent, null or of the wrong type is ``None``
(unknown), never 0 or false; numbers may arrive as numeric strings.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from .model import ProtocolError


def reply_json(where: str, status: int, payload: bytes) -> Any:
    """A reply's JSON, None when empty.

    A success that is not JSON is a protocol error; an error reply that is not JSON is None,
    so its status decides.
    """
    try:
        return json.loads(payload) if payload else None
    except ValueError as err:
        if status < 400:
            raise ProtocolError(f"{where}: reply is not JSON") from err
        return None


def number(raw: Mapping[str, Any], name: str) -> float | None:
    """A number; whole numbers and numeric strings alike, absent or invalid -> None."""
    value = raw.get(name)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def text(raw: Mapping[str, Any], name: str) -> str | None:
    """A string (enum values unchanged, unknown ones too)."""
    value = raw.get(name)
    return value if isinstance(value, str) else None


def flag(raw: Mapping[str, Any], name: str) -> bool | None:
    """A boolean; anything else is unknown."""
    value = raw.get(name)
    return value if isinstance(value, bool) else None


def timestamp(raw: Mapping[str, Any], name: str) -> datetime | None:
    """An ISO date-time, one without a zone taken as UTC (these APIs speak UTC).

    One that does not parse, and the year-1 "never" sentinel, are unknown.
    """
    value = text(raw, name)
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.year <= 1:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


REDACTED = "**REDACTED**"


def redacted(value: Any, keys: frozenset[str]) -> Any:
    """``value`` (decoded JSON) with the values of ``keys`` replaced, at any depth."""
    if isinstance(value, Mapping):
        return {k: REDACTED if k in keys else redacted(v, keys) for k, v in value.items()}
    if isinstance(value, list):
        return [redacted(item, keys) for item in value]
    return value
