"""Build a Heliotherm source from a config entry's data and options (no Home Assistant here)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .heliotherm.client import HeliothermClient
from .heliotherm.source import HeliothermSource

DEFAULT_BAUDRATE = 19200


def create_heliotherm_source(
    data: Mapping[str, Any], options: Mapping[str, Any]
) -> HeliothermSource:
    """A source for the port in ``data``, honouring the read-only and expert options."""
    client = HeliothermClient(
        data["port"],
        baudrate=int(data.get("baudrate", DEFAULT_BAUDRATE)),
        read_only=bool(options.get("read_only", False)),
    )
    return HeliothermSource(client, expert=bool(options.get("expert", False)))
