"""What every source offers the coordinator: point descriptions, snapshots and typed errors.

Nothing here imports Home Assistant; the upper floor maps these types onto entities.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

type Value = bool | int | float | str | datetime | None


class SourceError(Exception):
    """Base class of every error a source raises."""


class CommunicationError(SourceError):
    """The link to the device failed (closed port, timeout, garbled reply)."""


class CannotConnect(CommunicationError):
    """The port or host could not be opened, or the connection was lost."""


class ResponseTimeout(CommunicationError):
    """The device did not answer in time."""


class ProtocolError(CommunicationError):
    """The device answered with something that is not a valid reply."""


class ChecksumError(ProtocolError):
    """A reply frame carried a wrong checksum; its content was discarded."""


class DeviceError(SourceError):
    """The device answered with an error reply (``ERR,...``)."""

    def __init__(self, reply: str) -> None:
        super().__init__(reply)
        self.reply = reply


class PointNotFound(DeviceError):
    """The device does not know this data point or index (``ERR,INVALID IDX``)."""


class AuthFailed(SourceError):
    """Credentials were refused."""


class InvalidValue(SourceError):
    """A value was refused before anything was sent.

    ``reason`` is a stable key (used as a translation key upstream), ``details`` fills its
    placeholders.
    """

    def __init__(self, reason: str, **details: Any) -> None:
        text = ", ".join(f"{key}={value}" for key, value in details.items())
        super().__init__(f"{reason}: {text}" if text else reason)
        self.reason = reason
        self.details = {key: str(value) for key, value in details.items()}


class WriteUnconfirmed(CommunicationError):
    """A write was sent, but neither its reply nor a re-read says what the device holds now."""

    def __init__(self, key: str, cause: str) -> None:
        super().__init__(f"{key}: write sent, but the device's answer was lost ({cause})")
        self.key = key


class WriteRejected(SourceError):
    """The device reported back a value other than the one written."""

    def __init__(self, key: str, requested: Value, reported: Value) -> None:
        super().__init__(f"{key}: wrote {requested!r}, device reports {reported!r}")
        self.key = key
        self.requested = requested
        self.reported = reported


class ValueKind(StrEnum):
    """The type of a point's value."""

    BOOL = "bool"
    INT = "int"
    FLOAT = "float"
    ENUM = "enum"
    TEXT = "text"
    TIMESTAMP = "timestamp"


class Category(StrEnum):
    """How prominently a point is shown."""

    PRIMARY = "primary"
    CONFIG = "config"
    DIAGNOSTIC = "diagnostic"


@dataclass(frozen=True, slots=True, kw_only=True)
class Point:
    """One value a source can read and maybe write, described for the upper floor."""

    key: str
    kind: ValueKind
    translation_key: str | None = None
    name: str | None = None  # used where no translation exists (long-tail points)
    unit: str | None = None
    device_class: str | None = None  # a hint: "temperature", "energy", "pressure", ...
    state_class: str | None = None  # "measurement" / "total_increasing"
    minimum: float | None = None
    maximum: float | None = None
    step: float | None = None
    options: tuple[str, ...] = ()
    writable: bool = False
    enabled_by_default: bool = True
    category: Category = Category.PRIMARY
    slow: bool = False  # polled on the slower settings cycle


@dataclass(frozen=True, slots=True, kw_only=True)
class ClimateSpec:
    """How a source's points form a climate entity (a heating circuit)."""

    key: str
    translation_key: str
    target_key: str
    current_key: str | None
    mode_key: str
    hvac_modes: dict[str, str]  # Home Assistant HVAC mode -> option of mode_key
    presets: dict[str, str]  # preset name -> option of mode_key

    @property
    def keys(self) -> frozenset[str]:
        """Every point the climate entity reads."""
        keys = {self.target_key, self.mode_key}
        if self.current_key:
            keys.add(self.current_key)
        return frozenset(keys)


@dataclass(slots=True)
class Snapshot:
    """Values of one poll, by point key; a missing key means "not read this time"."""

    values: dict[str, Value] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # source specifics, e.g. the clock


class Source(Protocol):
    """What the coordinator needs from a backend."""

    @property
    def points(self) -> Mapping[str, Point]:
        """Every point this source offers."""

    @property
    def climate(self) -> ClimateSpec | None:
        """The heating circuit as a climate entity, if the source has one."""

    async def async_fetch(self, keys: frozenset[str]) -> Snapshot:
        """Read the given points."""

    async def async_write(self, key: str, value: Value) -> Value:
        """Write a point and return the value the device reports back."""

    async def async_close(self) -> None:
        """Release the link."""
