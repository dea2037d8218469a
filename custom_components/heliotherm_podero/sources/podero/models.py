"""Typed views of the Podero heat-pump JSON (PODERO.md section 7.3 and its errata).

Every field may be missing or null, and null means unknown, never false. Both generations of
field names are read; numbers may arrive as numeric strings; ``optimization_level`` and
``current_mode`` are plain strings (an unknown one is kept as it comes).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..jsonvalues import flag, text, timestamp
from ..model import ProtocolError

# The same meaning under an older and a newer name: the first one present wins.
ALIASES: dict[str, tuple[str, ...]] = {
    "dhw_temperature": ("dhw_temperature", "dhw_actual_temperature"),
    "is_pause_power_active": ("is_pause_power_active", "pause_power_active"),
}
STATUS_FIELDS = ("connection_status", "monitoring_status", "steering_status")


def field_value(raw: Mapping[str, Any], name: str) -> Any:
    """The value of ``name``, read under each of its names; None when none is present."""
    for alias in ALIASES.get(name, (name,)):
        if raw.get(alias) is not None:
            return raw[alias]
    return None


@dataclass(frozen=True, slots=True)
class Action:
    """A pending partner action (``reauthenticate``) and the link that resolves it."""

    code: str
    url: str | None

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Action:
        """Parse one item of ``actions``."""
        link = raw.get("resolution_link")
        url = text(link, "url") if isinstance(link, Mapping) else None
        return cls(code=text(raw, "code") or "unknown", url=url)


@dataclass(frozen=True, slots=True)
class PoderoHeatPump:
    """One heat pump as the list, the detail or a PUT returns it; ``raw`` keeps everything."""

    id: str
    raw: Mapping[str, Any]

    @classmethod
    def from_json(cls, raw: Any) -> PoderoHeatPump:
        """Parse one heat pump; an object without an id is a protocol error."""
        if not isinstance(raw, Mapping):
            raise ProtocolError("a heat pump object was expected")
        pump_id = raw.get("id")
        if not isinstance(pump_id, str) or not pump_id:
            raise ProtocolError("a heat pump without id")
        return cls(id=pump_id, raw=raw)

    @property
    def deleted(self) -> bool:
        """Soft-deleted (``deleted_at`` set)."""
        return self.raw.get("deleted_at") is not None

    @property
    def manufacturer(self) -> str | None:
        """From ``device_model``."""
        return text(self._device_model, "manufacturer")

    @property
    def model(self) -> str | None:
        """Model and year, from ``device_model``."""
        model = text(self._device_model, "model")
        year = self._device_model.get("year")
        if model and isinstance(year, int):
            return f"{model} ({year})"
        return model

    @property
    def raw_model(self) -> Mapping[str, Any]:
        """``device_model`` (empty when missing)."""
        return self._device_model

    @property
    def _device_model(self) -> Mapping[str, Any]:
        model = self.raw.get("device_model")
        return model if isinstance(model, Mapping) else {}

    @property
    def in_trouble(self) -> bool:
        """What the list shows of a pump that needs a look at its detail (errata 1)."""
        return flag(self.raw, "is_authenticated") is not True or any(
            self.raw.get(name) == "error" for name in STATUS_FIELDS
        )

    @property
    def actions(self) -> tuple[Action, ...] | None:
        """Pending actions; None when this payload does not carry them (the list)."""
        items = self.raw.get("actions")
        if not isinstance(items, list):
            return None
        return tuple(Action.from_json(item) for item in items if isinstance(item, Mapping))

    @property
    def action_needed(self) -> bool | None:
        """True with a pending action; None when this payload does not say."""
        actions = self.actions
        if actions:
            return True
        return flag(self.raw, "action_needed") if actions is None else False

    def away_active(self, now: datetime) -> bool | None:
        """Away mode is on while enabled and now lies in start..end (an open end if null)."""
        enabled = flag(self.raw, "is_away_mode_enabled")
        if enabled is None:
            return None
        start = timestamp(self.raw, "away_mode_start")
        end = timestamp(self.raw, "away_mode_end")
        if not enabled or (start is None and end is None):
            return False
        return (start is None or start <= now) and (end is None or now < end)

    def pause_active(self, now: datetime) -> bool | None:
        """Paused as Podero reports it (the flag); without a flag, while the time lies ahead.

        A future ``pause_power_until`` beside a flag that says false is not a pause.
        """
        reported = field_value(self.raw, "is_pause_power_active")
        if isinstance(reported, bool):
            return reported
        until = timestamp(self.raw, "pause_power_until")
        if until is not None:
            return until > now
        return False if "pause_power_until" in self.raw else None
