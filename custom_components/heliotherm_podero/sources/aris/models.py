"""Typed views of the Aris Brain's JSON (ARIS.md section 4).

Sparse by design: a field the Brain leaves out is ``None`` (unknown), never 0. Unknown fields
stay in ``raw``; unknown enum values are kept as the strings they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..jsonvalues import flag, number, text
from ..model import ProtocolError


def codes(raw: Mapping[str, Any], name: str) -> tuple[str, ...] | None:
    """A list of fault codes as strings."""
    value = raw.get(name)
    if not isinstance(value, list):
        return None
    return tuple(str(code) for code in value)


def identifier(raw: Mapping[str, Any], name: str) -> str:
    """The object's id: required."""
    value = raw.get(name)
    if not isinstance(value, str) or not value:
        raise ProtocolError(f"Aris object without {name}")
    return value


@dataclass(frozen=True, slots=True)
class ArisObject:
    """Any object the Brain reports: its id and the whole reply (unknown fields kept)."""

    id: str
    raw: Mapping[str, Any] = field(repr=False)

    def value(self, name: str) -> Any:
        """The raw value of a field, None when absent."""
        return self.raw.get(name)


@dataclass(frozen=True, slots=True)
class Zone(ArisObject):
    """A conditioned area with its own mode and setpoints (the only documented control)."""

    friendly_name: str | None
    temperature: float | None
    humidity: float | None
    co2: float | None
    mode: str | None  # heat / cool / auto / off
    heat_setpoint: float | None
    cool_setpoint: float | None
    active_call: str | None  # heat / cool / none
    supports_heat: bool
    supports_cool: bool

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Zone:
        """Parse one zone object."""
        return cls(
            id=identifier(raw, "zoneId"),
            raw=raw,
            friendly_name=text(raw, "friendlyName"),
            temperature=number(raw, "tempC"),
            humidity=number(raw, "rhPercent"),
            co2=number(raw, "co2Ppm"),
            mode=text(raw, "mode"),
            heat_setpoint=number(raw, "tempHeatSetC"),
            cool_setpoint=number(raw, "tempCoolSetC"),
            active_call=text(raw, "activeCall"),
            supports_heat=flag(raw, "supportsHeat") is not False,
            supports_cool=flag(raw, "supportsCool") is True,
        )

    @property
    def modes(self) -> tuple[str, ...]:
        """The modes this zone accepts: off always, heat/cool/auto as it supports them."""
        modes = ["off"]
        if self.supports_heat:
            modes.append("heat")
        if self.supports_cool:
            modes.append("cool")
        if self.supports_heat and self.supports_cool:
            modes.append("auto")
        return tuple(modes)


@dataclass(frozen=True, slots=True)
class Hcu(ArisObject):
    """The hydronic control unit: the hub, read-only in the public API."""

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Hcu:
        """Parse the HCU object."""
        return cls(id=identifier(raw, "hcuId"), raw=raw)


@dataclass(frozen=True, slots=True)
class HeatPump(ArisObject):
    """An outdoor unit: diagnostics only, driven by its HCU."""

    parent_hcu: str | None
    firmware: str | None

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> HeatPump:
        """Parse one heat pump object."""
        return cls(
            id=identifier(raw, "hpId"),
            raw=raw,
            parent_hcu=text(raw, "parentHcuId"),
            firmware=text(raw, "firmwareVersion"),
        )

    @classmethod
    def unknown(cls, hp_id: str) -> HeatPump:
        """A heat pump the Brain does not answer for: its ID and nothing else."""
        return cls(id=hp_id, raw={}, parent_hcu=None, firmware=None)


@dataclass(frozen=True, slots=True)
class Tank(ArisObject):
    """A DHW or TES tank."""

    @classmethod
    def dhw(cls, raw: Mapping[str, Any]) -> Tank:
        """Parse the hot-water tank."""
        return cls(id=identifier(raw, "dhwId"), raw=raw)

    @classmethod
    def tes(cls, raw: Mapping[str, Any]) -> Tank:
        """Parse the thermal energy storage."""
        return cls(id=identifier(raw, "tesId"), raw=raw)


@dataclass(frozen=True, slots=True)
class Fcu(ArisObject):
    """A fan-coil unit in a zone."""

    friendly_name: str | None

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Fcu:
        """Parse one fan-coil unit."""
        return cls(id=identifier(raw, "fcuId"), raw=raw, friendly_name=text(raw, "friendlyName"))

    @classmethod
    def unknown(cls, fcu_id: str) -> Fcu:
        """A fan coil the Brain does not answer for: its ID and nothing else."""
        return cls(id=fcu_id, raw={}, friendly_name=None)


@dataclass(frozen=True, slots=True)
class Health:
    """``/health``: ok, degraded (cloud down) or unhealthy (control may not work)."""

    status: str | None
    version: str | None
    cloud_connected: bool | None

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Health:
        """Parse the health reply."""
        checks = raw.get("checks")
        cloud = checks.get("cloud") if isinstance(checks, dict) else None
        return cls(
            status=text(raw, "status"),
            version=text(raw, "version"),
            cloud_connected=flag(cloud, "connected") if isinstance(cloud, dict) else None,
        )


@dataclass(frozen=True, slots=True)
class Event:
    """One audit-log entry (shape assumed, ARIS.md 4.10)."""

    type: str | None
    severity: str | None
    device: str | None
    code: str | None
    message: str | None
    time: str | None

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Event:
        """Parse one event."""
        return cls(
            type=text(raw, "type"),
            severity=text(raw, "severity"),
            device=text(raw, "deviceId"),
            code=text(raw, "code"),
            message=text(raw, "message"),
            time=text(raw, "ts"),
        )
