"""What every source offers the coordinator: point descriptions, snapshots and typed errors.

Nothing here imports Home Assistant; the upper floor maps these types onto entities.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, ClassVar, Protocol

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


class AuthFailed(SourceError):
    """Credentials were refused."""


class NotFound(SourceError):
    """The service does not know this path, user or device (HTTP 404)."""


class Forbidden(SourceError):
    """The service understood the credentials but does not allow this request (HTTP 403)."""


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
class Device:
    """One device of a source: a heat pump, an HCU, a zone, a tank.

    ``key`` is stable and unique within the integration; unique IDs of the device's entities
    are built from it. ``via_device`` is the key of the device this one hangs under. With a
    ``translation_key`` the translated name may hold ``{name}`` ("Heat pump {name}").
    """

    key: str
    name: str | None = None
    translation_key: str | None = None
    manufacturer: str | None = None
    model: str | None = None
    model_key: str | None = None  # the model's words in the owner's language, where known
    serial_number: str | None = None
    sw_version: str | None = None
    via_device: str | None = None


class FaultRule(StrEnum):
    """How a point tells of active faults (the fault events read it).

    ``CODES``: a text of the active codes, comma-separated, "none" while there are none;
    ``ERROR``: a status whose value "error" is a fault, named by the point;
    ``FLAG``: true while a fault (named by the point) is active.
    """

    CODES = "codes"
    ERROR = "error"
    FLAG = "flag"


@dataclass(frozen=True, slots=True, kw_only=True)
class Point:
    """One value a source can read and maybe write, described for the upper floor.

    ``key`` is unique within the source (the coordinator's data is keyed by it); ``device`` is
    the key of the device the point belongs to.
    """

    key: str
    kind: ValueKind
    device: str = ""
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
    counter: bool = False  # slow and slower still: operating hours and switching counters
    precision: int | None = None  # decimals shown, where the step does not say it
    fault: FaultRule | None = None  # tells of the device's active faults

    @property
    def unique_id(self) -> str:
        """The entity's unique ID: device key and point key."""
        return f"{self.device}_{self.key}"


@dataclass(frozen=True, slots=True, kw_only=True)
class ClimateSpec:
    """What every climate reads: its device, its mode point, the room and what it does now.

    Each kind of climate is a spec of its own (a heating circuit, a zone, a comfort band),
    in the device's own words; the upper floor shows each kind by a class of its own.
    """

    key: str
    device: str
    translation_key: str | None  # None: the entity takes the device's name
    mode_key: str
    current_key: str | None = None
    humidity_key: str | None = None
    action_key: str | None = None

    @property
    def keys(self) -> frozenset[str]:
        """Every point the climate reads (every ``*_key`` it names but its translation key)."""
        named = (
            getattr(self, f.name)
            for f in fields(self)
            if f.name.endswith("_key") and f.name != "translation_key"
        )
        return frozenset(key for key in named if key)

    @property
    def unique_id(self) -> str:
        """The climate entity's unique ID."""
        return f"{self.device}_{self.key}"


@dataclass(frozen=True, slots=True, kw_only=True)
class CircuitSpec(ClimateSpec):
    """A heating circuit steered by the pump's operating mode, with one room setpoint.

    The mode point's options are the pump's operating modes; ``action_key`` is the pump's
    activity (heating, hot water, cooling, defrost, idle, off).
    """

    target_key: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ZoneSpec(ClimateSpec):
    """A zone with modes of its own and a heating and/or cooling setpoint, kept a gap apart.

    ``modes`` are the zone's modes in its own words ("off", "heat", "cool", "auto");
    ``action_key`` says what it does (heating, cooling, idle, defrost).
    """

    modes: tuple[str, ...]
    heat_target_key: str | None = None
    cool_target_key: str | None = None
    min_gap: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class ComfortSpec(ClimateSpec):
    """A pump kept within a comfort band by its cloud.

    ``mode_key`` is whether space heating is in use (a setting of the installation, never
    steered from here). The band (``minimum_key``, ``maximum_key``) applies while
    ``band_key`` is on; its upper end only while ``cooling_key`` is on (a pump that only
    heats has no upper handle). The indoor target (``target_key``) is shown where the cloud
    reports one.
    """

    target_key: str | None = None
    minimum_key: str | None = None
    maximum_key: str | None = None
    band_key: str | None = None
    cooling_key: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class WaterHeaterSpec:
    """How a source's points form a water heater (a hot-water tank).

    The state says what the tank does now: off while ``mode_key`` holds one of
    ``off_options``, else charging or idle as the bool ``charging_key`` says.
    """

    key: str
    device: str
    translation_key: str
    current_key: str  # the tank temperature
    target_key: str  # the setpoint, with the limits the device reports
    charging_key: str
    mode_key: str | None = None
    off_options: tuple[str, ...] = ()

    @property
    def keys(self) -> frozenset[str]:
        """Every point the water heater reads."""
        keys = {self.current_key, self.target_key, self.charging_key, self.mode_key}
        return frozenset(key for key in keys if key)

    @property
    def unique_id(self) -> str:
        """The water heater's unique ID."""
        return f"{self.device}_{self.key}"


@dataclass(frozen=True, slots=True, kw_only=True)
class ModeMeters:
    """The heat and electricity a device counts for one mode ("heating", "hot_water")."""

    mode: str
    heat_key: str
    electricity_key: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EfficiencySpec:
    """A device that counts the heat it gives: what its COP over a period is made of.

    The heat counters are summed, and so are its own electricity counters where it has them
    in use (else an owner's meter divides). ``modes`` are the modes it counts apart.
    Counters are kWh and only grow (total_increasing).
    """

    device: str
    heat_keys: tuple[str, ...]
    electricity_keys: tuple[str, ...] = ()
    meters_in_use: bool = True  # its electricity counters count (fitted and used)
    modes: tuple[ModeMeters, ...] = ()

    @property
    def keys(self) -> frozenset[str]:
        """Every counter the figures read."""
        keys = {*self.heat_keys, *self.electricity_keys}
        for mode in self.modes:
            keys |= {mode.heat_key, mode.electricity_key}
        return frozenset(keys)


@dataclass(slots=True)
class Snapshot:
    """Values of one poll or one write, by point key; a missing key means "not read"."""

    values: dict[str, Value] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # source specifics, e.g. the clock
    # Points of devices that did not answer this time: shown unavailable, kept as entities.
    missing: set[str] = field(default_factory=set)
    # Settings a write changed although nobody asked (the server's defaults): point keys.
    side_effects: tuple[str, ...] = ()


def as_number(value: object) -> float | None:
    """A number as a float; anything else (an on/off value too) is None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def same_value(requested: Value, reported: Value) -> bool:
    """Whether a device reported back what was written (a number to within 0.05)."""
    if isinstance(requested, bool) or isinstance(reported, bool):
        return requested is reported
    if isinstance(requested, int | float) and isinstance(reported, int | float):
        return abs(float(requested) - float(reported)) < 0.05
    return requested == reported


def confirmed(requested: Mapping[str, Value], snapshot: Snapshot) -> Snapshot:
    """A write's answer, when it shows every value written; otherwise ``WriteRejected``."""
    for key, value in requested.items():
        reported = snapshot.values.get(key)
        if not same_value(value, reported):
            raise WriteRejected(key, value, reported)
    return snapshot


def check_write(
    point: Point | None, key: str, value: Value, *, options: Sequence[str] | None = None
) -> Value:
    """The value, if the point may be set to it; otherwise InvalidValue before anything is sent.

    The point must be offered as writable; a choice must be one of ``options`` (by default the
    point's own), an on/off setting takes a bool, a number must lie within the point's limits.
    """
    if point is None or not point.writable:
        raise InvalidValue("read_only_point", point=key)
    allowed = point.options if options is None else tuple(options)
    if point.kind is ValueKind.ENUM or allowed:
        if not isinstance(value, str) or value not in allowed:
            raise InvalidValue("invalid_option", value=value, options=", ".join(allowed))
        return value
    if point.kind is ValueKind.BOOL:
        if not isinstance(value, bool):
            raise InvalidValue("not_a_number", value=value)
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidValue("not_a_number", value=value)
    low, high = point.minimum, point.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        raise InvalidValue("out_of_range", value=value, point=key, min=low, max=high)
    return value


def with_reported_option(point: Point, value: Value) -> Point:
    """An enum point, with a value it reports but does not list added: shown, not refused."""
    if point.kind is ValueKind.ENUM and isinstance(value, str) and value not in point.options:
        return replace(point, options=(*point.options, value))
    return point


class Source(Protocol):
    """What the coordinator needs from a backend; extras are capabilities (capabilities.py)."""

    # How often to poll unless the owner chose otherwise (the mode's flow proposes it too).
    SCAN_INTERVAL: ClassVar[timedelta]

    @property
    def read_only(self) -> bool:
        """True when the source refuses every write."""

    @property
    def devices(self) -> Mapping[str, Device]:
        """Every device, by key; may change between polls."""

    @property
    def points(self) -> Mapping[str, Point]:
        """Every point, by key; may change between polls."""

    @property
    def climates(self) -> Sequence[ClimateSpec]:
        """Heating circuits and zones as climate entities."""

    @property
    def water_heaters(self) -> Sequence[WaterHeaterSpec]:
        """Hot-water tanks with a setpoint, as water heater entities."""

    @property
    def efficiency(self) -> Sequence[EfficiencySpec]:
        """Devices that count heat (and electricity): their COP over periods."""

    async def async_connect(self) -> None:
        """Reach the device(s), learn who they are and what they offer."""

    async def async_fetch(self, keys: frozenset[str]) -> Snapshot:
        """Read the given points (a source may read more)."""

    async def async_write(self, values: Mapping[str, Value]) -> Snapshot:
        """Write points offered as writable; returns everything the device reported back."""

    async def async_read_point(self, key: str) -> Value:
        """Read one point now, not from the last poll."""

    @property
    def private_points(self) -> frozenset[str]:
        """Points whose values identify a household: redacted in every report."""

    def diagnostics(self) -> dict[str, Any]:
        """Source specifics for a bug report, redacted by the source itself."""

    async def async_close(self) -> None:
        """Release the link."""
