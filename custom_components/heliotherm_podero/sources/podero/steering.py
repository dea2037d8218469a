"""Steering Podero's pumps: a PUT with every field asked for, its answer taken as the pump's.

A PUT sends every field the owner asked for, whatever the last poll showed (the app or the
optimiser may have changed it since), and the object it returns is the pump's new state: no
extra read. Settings it changed that were not sent are reported as side effects. Away mode
and the power pause are PUTs of their own fields, each checked in the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from ..fields import FieldSpec
from ..jsonvalues import flag, number, text, timestamp
from ..model import (
    InvalidValue,
    NotFound,
    Point,
    Snapshot,
    Value,
    ValueKind,
    WriteRejected,
    check_write,
    confirmed,
    same_value,
)
from ..polled import Known, PolledSource
from .client import PoderoClient
from .fields import (
    API_OPTIONS,
    AWAY_MINIMUM,
    COMFORT_MAXIMUM,
    COMFORT_MINIMUM,
    FIELDS,
    FIELDS_BY_NAME,
    option_key,
)
from .pumps import PumpState, with_detail


class PumpSteering(PolledSource[Known]):
    """The writes of the Podero source (points, away mode, the power pause)."""

    client: PoderoClient
    _pumps: dict[str, PumpState]
    _clock: Callable[[], float]

    @staticmethod
    def device_key(pump_id: str) -> str:
        """The device key of a pump."""
        return f"podero_{pump_id}"

    def _absorb(self, state: PumpState, snapshot: Snapshot, seen: Mapping[str, Point]) -> None:
        """Take a pump's state into the known points (the source reads it by key)."""
        raise NotImplementedError

    # -- writes --------------------------------------------------------------------------------

    async def async_write(self, values: Mapping[str, Value]) -> Snapshot:
        """One PUT with every given field; the returned pump is the answer, and checked."""
        pump_id = self._pump_of(values)
        body = self._put_body(pump_id, values)
        return confirmed(values, await self._put(pump_id, body))

    def _pump_of(self, values: Mapping[str, Value]) -> str:
        if self._read_only:
            raise InvalidValue("read_only_mode")
        fields = [self.field_of(key) for key in values]
        pump_ids = {field.object_id for field in fields if field is not None}
        for key in values:
            point = self._known.points.get(key)
            if point is None or not point.writable or len(pump_ids) != 1:
                raise InvalidValue("read_only_point", point=key)
        return pump_ids.pop()

    def _put_body(self, pump_id: str, values: Mapping[str, Value]) -> dict[str, Any]:
        """Every given field, each checked; a comfort band must keep minimum <= maximum.

        Nothing is left out because the last poll showed the same value: that may be old.
        """
        state = self._pumps.get(pump_id)
        if state is None:
            raise InvalidValue("device_gone")
        body: dict[str, Any] = {}
        for key, value in values.items():
            field = self.field_of(key)
            assert field is not None  # checked writable in _pump_of: a point of this source
            spec = FIELDS_BY_NAME[field.name]
            body[spec.field] = _checked(spec, self._known.points[key], value)
        low = body.get(COMFORT_MINIMUM.field, number(state.pump.raw, COMFORT_MINIMUM.field))
        high = body.get(COMFORT_MAXIMUM.field, number(state.pump.raw, COMFORT_MAXIMUM.field))
        if low is not None and high is not None and low > high:
            raise InvalidValue("comfort_band", minimum=low, maximum=high)
        return body

    async def _put(self, pump_id: str, body: Mapping[str, Any]) -> Snapshot:
        """PUT ``body`` and take the reply as the pump's state, for every field it carries.

        Settings the reply shows changed although ``body`` did not name them (a server that
        applies its schema's defaults to unsent fields) are listed as side effects.
        """
        state = self._pumps.get(pump_id)
        if state is None:
            raise InvalidValue("device_gone")
        try:
            pump = await self.client.update_heat_pump(pump_id, body)
        except NotFound:
            raise InvalidValue("device_gone") from None
        pump = with_detail(pump, state.detail)
        changed = _changed_settings(state.pump.raw, pump.raw, body)
        if pump.actions is not None or pump.action_needed is False:
            state = PumpState(pump, pump, self._clock())
        else:  # no actions in the reply (an older shape): the last detail's actions stay
            state = PumpState(pump, state.detail, state.detail_at)
        self._pumps[pump_id] = state
        snapshot = Snapshot(side_effects=tuple(self.field_key(pump_id, name) for name in changed))
        self._absorb(state, snapshot, self._known.points)  # read by key only, no iteration
        return snapshot

    def _require_pump(self, device: str) -> str:
        if self._read_only:
            raise InvalidValue("read_only_mode")
        for pump_id in self._pumps:
            if self.device_key(pump_id) == device:
                return pump_id
        raise InvalidValue("device_gone")

    async def async_set_away(
        self, device: str, start: datetime, end: datetime, minimum_temperature: float | None
    ) -> Snapshot:
        """Enable away mode from ``start`` to ``end`` (aware), with a floor if given."""
        pump_id = self._require_pump(device)
        body: dict[str, Any] = {
            "is_away_mode_enabled": True,
            "away_mode_start": _iso(start),
            "away_mode_end": _iso(end),
        }
        if minimum_temperature is not None:
            point = self._known.points.get(self.field_key(pump_id, AWAY_MINIMUM.name))
            body[AWAY_MINIMUM.field] = _checked(
                AWAY_MINIMUM, point or point_of("", device, AWAY_MINIMUM), minimum_temperature
            )
        snapshot = await self._put(pump_id, body)
        pump = self._pumps[pump_id].pump
        if flag(pump.raw, "is_away_mode_enabled") is not True or timestamp(
            pump.raw, "away_mode_end"
        ) != end.astimezone(UTC).replace(microsecond=0):
            raise WriteRejected(
                self.field_key(pump_id, "away_mode_active"),
                _iso(end),
                text(pump.raw, "away_mode_end"),
            )
        return snapshot

    async def async_clear_away(self, device: str) -> Snapshot:
        """Disable away mode and forget its period."""
        pump_id = self._require_pump(device)
        snapshot = await self._put(
            pump_id,
            {"is_away_mode_enabled": False, "away_mode_start": None, "away_mode_end": None},
        )
        if flag(self._pumps[pump_id].pump.raw, "is_away_mode_enabled") is not False:
            raise WriteRejected(self.field_key(pump_id, "away_mode_active"), False, True)
        return snapshot

    async def async_pause_power(self, device: str, until: datetime) -> Snapshot:
        """Pause the pump until ``until``: the flag and the time, as Podero's own body has."""
        pump_id = self._require_pump(device)
        body: dict[str, Any] = {"is_pause_power_active": True, "pause_power_until": _iso(until)}
        snapshot = await self._put(pump_id, body)
        key = self.field_key(pump_id, "pause_power_active")
        if snapshot.values.get(key) is not True:
            raise WriteRejected(key, True, snapshot.values.get(key))
        return snapshot

    async def async_resume_power(self, device: str) -> Snapshot:
        """End a pause now: the flag off and no time."""
        pump_id = self._require_pump(device)
        body: dict[str, Any] = {"is_pause_power_active": False, "pause_power_until": None}
        snapshot = await self._put(pump_id, body)
        key = self.field_key(pump_id, "pause_power_active")
        if snapshot.values.get(key) is not False:
            raise WriteRejected(key, False, snapshot.values.get(key))
        return snapshot


# Settings a PUT can change, by API field: the point that shows each, and the default the
# write schema gives the field when a body leaves it out (PODERO.md 7.4 and errata 3-4).
SETTINGS: dict[str, tuple[str, Any]] = {
    **{
        spec.field: (spec.name, False)
        for spec in FIELDS
        if spec.writable and spec.kind is ValueKind.BOOL
    },
    "optimization_level": ("optimization_level", "Mid"),
    "price_zone": ("price_zone", "AT"),
    "is_away_mode_enabled": ("away_mode_active", True),
    "away_mode_start": ("away_start", None),
    "away_mode_end": ("away_end", None),
    "is_pause_power_active": ("pause_power_active", False),
    "pause_power_until": ("pause_until", None),
}


def _changed_settings(
    before: Mapping[str, Any], after: Mapping[str, Any], body: Mapping[str, Any]
) -> list[str]:
    """Points of settings ``body`` did not send that ``after`` shows reset to their default.

    Only a change to the schema's default counts: a change made in the app since the last
    poll shows too (the reply is the truth), but is no side effect of this write.
    """
    changed: list[str] = []
    for api_field, (name, default) in SETTINGS.items():
        if api_field in body or api_field not in before or api_field not in after:
            continue
        old, new = before[api_field], after[api_field]
        if new == default and not same_value(old, new):
            changed.append(name)
    return changed


def point_of(key: str, device: str, spec: FieldSpec) -> Point:
    """The point of a pump's field: its options as the entities see them."""
    return spec.point(key, device, options=tuple(option_key(v) for v in spec.options))


def _checked(spec: FieldSpec, point: Point, value: Value) -> Value:
    """The value as the API wants it, or InvalidValue before anything is sent."""
    if spec.kind is ValueKind.ENUM:
        api_values = API_OPTIONS[spec.name]  # known values only
        return api_values[str(check_write(point, point.key, value, options=tuple(api_values)))]
    checked = check_write(point, point.key, value)
    if spec.kind is ValueKind.BOOL:
        return checked
    assert isinstance(checked, int | float)  # the other fields are number points
    return round(float(checked), 1)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
