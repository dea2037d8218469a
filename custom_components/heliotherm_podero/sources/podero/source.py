"""Every heat pump of one Podero user behind the generic Source interface.

One list request per poll reads all pumps. The list carries no pending actions (PODERO.md
errata 1), so a pump's detail is read when the list shows it in trouble and otherwise at most
hourly, one pump per poll. A pump missing from the list is looked up by itself: deleted
(``deleted_at``) it goes, otherwise it is kept (unavailable while it cannot be read) for a day.

A PUT sends every field the owner asked for, whatever the last poll showed (the app or the
optimiser may have changed it since), and the object it returns is the pump's new state: no
extra read. Settings it changed that were not sent are reported as side effects.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ..capabilities import DeviceProblem
from ..fields import FieldSpec
from ..jsonvalues import flag, number, redacted, text, timestamp
from ..model import (
    ClimateSpec,
    Device,
    InvalidValue,
    NotFound,
    Point,
    Snapshot,
    Value,
    ValueKind,
    WriteRejected,
    check_write,
    same_value,
    with_reported_option,
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
    HEATING_POLICY,
    INDOOR_ACTUAL,
    INDOOR_TARGET,
    SPACE_COOLING,
    SPACE_HEATING,
    option_key,
)
from .models import ALIASES, PoderoHeatPump, field_value

SCAN_INTERVAL = timedelta(minutes=5)
DETAIL_INTERVAL_S = 3600.0  # a healthy pump's actions are read at most this often
# What names a person or a household, or carries a secret (a cue's link): never in a report.
PRIVATE_FIELDS = frozenset(
    {
        "owner",
        "email",
        "first_name",
        "last_name",
        "external_id",
        "external_user_id",
        "external_device_id",
        "comment",
        "heating_policy_name",
        "resolution_link",
        "authorization_url",
        "embeddable_url",
        "access_token",
    }
)


@dataclass(slots=True)
class _Pump:
    """What is known of one pump: the last object seen and the last detail's actions."""

    pump: PoderoHeatPump
    detail: PoderoHeatPump | None = None
    detail_at: float | None = None


class PoderoSource(PolledSource):
    """The heat pumps of one Podero user (any number, coming and going)."""

    def __init__(
        self,
        client: PoderoClient,
        *,
        read_only: bool = False,
        clock: Callable[[], float] = lambda: time.monotonic(),  # looked up per call
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(now=now)
        self.client = client
        self._read_only = read_only
        self._clock = clock
        self._pumps: dict[str, _Pump] = {}
        self._absent: dict[str, float] = {}  # pumps missing from the list: when last looked up
        self._known = Known()
        self.polls = 0

    @property
    def default_scan_interval(self) -> timedelta:
        """Every 5 minutes: Podero itself reads the pumps' clouds every 5 to 15 minutes."""
        return SCAN_INTERVAL

    async def async_connect(self) -> None:
        """Read every pump once."""
        await self.async_fetch(frozenset())

    async def async_fetch(self, keys: frozenset[str]) -> Snapshot:
        """The list (one request), the pumps it left out, then the details that are due."""
        listed: dict[str, PoderoHeatPump] = {}
        for pump in await self.client.heat_pumps():
            if pump.deleted:
                self.mark_deleted(self.device_key(pump.id))
            else:
                listed[pump.id] = pump
        for pump_id in (self._pumps.keys() | self._absent.keys()) - listed.keys():
            found = await self._look_up_absent(pump_id)
            if found is not None:
                listed[pump_id] = found
        self._pumps = {
            pump_id: _Pump(_with_detail(pump, old.detail), old.detail, old.detail_at)
            if (old := self._pumps.get(pump_id))
            else _Pump(pump)
            for pump_id, pump in listed.items()
        }
        for pump_id in self._details_due():
            await self._read_detail(pump_id)
        previous = self._known
        self._known = Known()
        snapshot = Snapshot()
        for state in self._pumps.values():
            self._absorb(state, snapshot, previous.points)
        self.carry_missing(previous, self._known, snapshot)
        # A pump no longer carried (deleted, or missing for a day) is no longer looked for.
        self._absent = {
            pump_id: checked
            for pump_id, checked in self._absent.items()
            if self.device_key(pump_id) in self._known.devices
        }
        self.polls += 1
        return snapshot

    async def _look_up_absent(self, pump_id: str) -> PoderoHeatPump | None:
        """A pump the list left out, read by itself (at once, then hourly); None if not found.

        Deleted, it is marked so and goes; found and not deleted, the list was incomplete.
        """
        now = self._clock()
        checked = self._absent.get(pump_id)
        if checked is not None and now - checked < DETAIL_INTERVAL_S:
            return None
        self._absent[pump_id] = now
        try:
            pump = await self.client.heat_pump(pump_id, include_deleted=True)
        except NotFound:
            return None  # unknown for now: kept for a day
        del self._absent[pump_id]  # found: deleted for good, or left out of the list
        if pump.deleted:
            self.mark_deleted(self.device_key(pump_id))
            return None
        return pump

    def _details_due(self) -> list[str]:
        """Pumps in trouble or with an open action, and the oldest-read healthy one if due.

        A pump with an open action is read until the action is gone, even when the list
        already looks fine; a healthy pump at most hourly, one per poll.
        """
        now = self._clock()
        due = [
            pump_id
            for pump_id, state in self._pumps.items()
            if state.pump.in_trouble or (state.detail is not None and state.detail.action_needed)
        ]
        healthy = [
            (state.detail_at if state.detail_at is not None else float("-inf"), pump_id)
            for pump_id, state in self._pumps.items()
            if pump_id not in due
        ]
        if healthy:
            oldest_at, oldest = min(healthy)
            if oldest_at == float("-inf") or now - oldest_at >= DETAIL_INTERVAL_S:
                due.append(oldest)
        return due

    async def _read_detail(self, pump_id: str) -> None:
        try:
            detail = await self.client.heat_pump(pump_id)
        except NotFound:
            return  # the list has it: a detail's 404 is a hiccup, the listed state stays
        if detail.deleted:
            del self._pumps[pump_id]
            self.mark_deleted(self.device_key(pump_id))
            return
        self._pumps[pump_id] = _Pump(detail, detail, self._clock())

    # -- points --------------------------------------------------------------------------------

    @staticmethod
    def device_key(pump_id: str) -> str:
        """The device key of a pump."""
        return f"podero_{pump_id}"

    def _absorb(self, state: _Pump, snapshot: Snapshot, seen: Mapping[str, Point]) -> None:
        """Add the pump's device, its points (fields reported now or before) and values."""
        pump = state.pump
        name = " ".join(part for part in (pump.manufacturer, text(pump.raw_model, "model")) if part)
        device = Device(
            key=self.device_key(pump.id),
            name=name or None,
            translation_key=None if name else "podero_heat_pump",
            manufacturer=pump.manufacturer,
            model=pump.model,
        )
        self._known.devices[device.key] = device
        now = self._now()
        for spec in FIELDS:
            key = f"{pump.id}.{spec.name}"
            reported = spec.derived or _alias_present(pump.raw, spec.field)
            if not reported and key not in seen and not self.remembered(device.key, key):
                continue  # never reported by this pump: no entity
            value = self._value(state, spec, now)
            # Read-only mode keeps the entity types; the writes are refused (read_only_mode).
            point = seen.get(key) or _point(key, device.key, spec)
            self._known.points[key] = with_reported_option(point, value)
            snapshot.values[key] = value
        self._absorb_climate(pump.id, device.key)

    def _value(self, state: _Pump, spec: FieldSpec, now: datetime) -> Value:
        raw = state.pump.raw
        if spec.name == "action_needed":
            if state.detail is None:
                return None  # not read yet: unknown
            return state.detail.action_needed
        if spec.name == "pause_power_active":
            return state.pump.pause_active(now)
        if spec.name == "away_mode_active":
            return state.pump.away_active(now)
        value = field_value(raw, spec.field)
        if spec.kind is ValueKind.BOOL:
            return value if isinstance(value, bool) else None
        if spec.kind is ValueKind.TIMESTAMP:
            return timestamp({spec.field: value}, spec.field)
        if spec.kind is ValueKind.TEXT:
            return value if isinstance(value, str) and value else None
        if spec.kind is ValueKind.ENUM:
            if not isinstance(value, str) or not value.strip():
                return None
            return option_key(value)  # "Hot Water", "Mid", "DE_LU": keys a translation can have
        found = number({spec.field: value}, spec.field)
        return round(found, 2) if found is not None else None

    def _absorb_climate(self, pump_id: str, device: str) -> None:
        prefix = f"{pump_id}."
        points = self._known.points
        mode_key = prefix + SPACE_HEATING.name
        if mode_key not in points:
            return
        has_range = all(prefix + spec.name in points for spec in (COMFORT_MINIMUM, COMFORT_MAXIMUM))
        self._known.climates[pump_id] = ClimateSpec(
            key="climate",
            device=device,
            translation_key=None,
            mode_key=mode_key,
            # Shown, never set: the flag is the installation's use, not a switch to steer.
            hvac_modes={"heat": True, "off": False},
            fixed_mode=True,
            target_key=_present(points, prefix + INDOOR_TARGET.name),
            heat_target_key=prefix + COMFORT_MINIMUM.name if has_range else None,
            cool_target_key=prefix + COMFORT_MAXIMUM.name if has_range else None,
            current_key=_present(points, prefix + INDOOR_ACTUAL.name),
            range_mode="heat",
            range_switch_key=_present(points, prefix + HEATING_POLICY.name),
            cooling_key=_present(points, prefix + SPACE_COOLING.name),
        )

    # -- writes --------------------------------------------------------------------------------

    async def async_write(self, values: Mapping[str, Value]) -> Snapshot:
        """One PUT with every given field; the returned pump is the answer, and checked."""
        pump_id = self._pump_of(values)
        body = self._put_body(pump_id, values)
        snapshot = await self._put(pump_id, body)
        for key, requested in values.items():
            reported = snapshot.values.get(key)
            if not same_value(requested, reported):
                raise WriteRejected(key, requested, reported)
        return snapshot

    def _pump_of(self, values: Mapping[str, Value]) -> str:
        if self._read_only:
            raise InvalidValue("read_only_mode")
        pump_ids = {key.split(".", 1)[0] for key in values}
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
            spec = FIELDS_BY_NAME[key.split(".", 1)[1]]
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
        pump = _with_detail(pump, state.detail)
        changed = _changed_settings(state.pump.raw, pump.raw, body)
        if pump.actions is not None or pump.action_needed is False:
            state = _Pump(pump, pump, self._clock())
        else:  # no actions in the reply (an older shape): the last detail's actions stay
            state = _Pump(pump, state.detail, state.detail_at)
        self._pumps[pump_id] = state
        snapshot = Snapshot(side_effects=tuple(f"{pump_id}.{name}" for name in changed))
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
            point = self._known.points.get(f"{pump_id}.{AWAY_MINIMUM.name}")
            body[AWAY_MINIMUM.field] = _checked(
                AWAY_MINIMUM, point or _point("", device, AWAY_MINIMUM), minimum_temperature
            )
        snapshot = await self._put(pump_id, body)
        pump = self._pumps[pump_id].pump
        if flag(pump.raw, "is_away_mode_enabled") is not True or timestamp(
            pump.raw, "away_mode_end"
        ) != end.astimezone(UTC).replace(microsecond=0):
            raise WriteRejected(
                f"{pump_id}.away_mode_active", _iso(end), text(pump.raw, "away_mode_end")
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
            raise WriteRejected(f"{pump_id}.away_mode_active", False, True)
        return snapshot

    async def async_pause_power(self, device: str, until: datetime) -> Snapshot:
        """Pause the pump until ``until``: the flag and the time, as Podero's own body has."""
        pump_id = self._require_pump(device)
        body: dict[str, Any] = {"is_pause_power_active": True, "pause_power_until": _iso(until)}
        snapshot = await self._put(pump_id, body)
        key = f"{pump_id}.pause_power_active"
        if snapshot.values.get(key) is not True:
            raise WriteRejected(key, True, snapshot.values.get(key))
        return snapshot

    async def async_resume_power(self, device: str) -> Snapshot:
        """End a pause now: the flag off and no time."""
        pump_id = self._require_pump(device)
        body: dict[str, Any] = {"is_pause_power_active": False, "pause_power_until": None}
        snapshot = await self._put(pump_id, body)
        key = f"{pump_id}.pause_power_active"
        if snapshot.values.get(key) is not False:
            raise WriteRejected(key, False, snapshot.values.get(key))
        return snapshot

    # -- the rest of the Source interface ------------------------------------------------------

    def device_problems(self) -> Mapping[str, DeviceProblem]:
        """Pumps whose detail lists an action, or that lost their manufacturer link."""
        problems: dict[str, DeviceProblem] = {}
        for pump_id, state in self._pumps.items():
            actions = state.detail.actions if state.detail is not None else None
            if actions:
                problems[self.device_key(pump_id)] = DeviceProblem(
                    "podero_action_needed", link=actions[0].url
                )
            elif flag(state.pump.raw, "is_authenticated") is False:
                problems[self.device_key(pump_id)] = DeviceProblem("podero_not_authenticated")
        return problems

    async def async_read_point(self, key: str) -> Value:
        """Read the pump's detail now."""
        pump_id = key.split(".", 1)[0]
        if pump_id in self._pumps:
            await self._read_detail(pump_id)
        state = self._pumps.get(pump_id)
        spec = FIELDS_BY_NAME.get(key.split(".", 1)[-1])
        if state is None or spec is None:
            return None
        return self._value(state, spec, self._now())

    def diagnostics(self) -> dict[str, Any]:
        """Request counts, pumps, which are in trouble, the last raw answers (to redact)."""
        return {
            "answers": redacted(self.client.answers, PRIVATE_FIELDS),
            "absent": len(self._absent),
            "base_url": self.client.base_url,
            "requests": dict(self.client.requests),
            "polls": self.polls,
            "pumps": len(self._pumps),
            "in_trouble": sum(1 for s in self._pumps.values() if s.pump.in_trouble),
            "details_read": sum(1 for s in self._pumps.values() if s.detail is not None),
            "points": len(self._known.points),
        }

    async def async_close(self) -> None:
        """Nothing to release: the session belongs to Home Assistant."""


def _with_detail(pump: PoderoHeatPump, detail: PoderoHeatPump | None) -> PoderoHeatPump:
    """The listed pump, with the fields only the detail has (the score) from the last detail."""
    if detail is None:
        return pump
    extra = {k: v for k, v in detail.raw.items() if k not in pump.raw and k != "actions"}
    return PoderoHeatPump(pump.id, {**extra, **pump.raw}) if extra else pump


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


def _alias_present(raw: Mapping[str, Any], name: str) -> bool:
    return any(alias in raw for alias in ALIASES.get(name, (name,)))


def _present(points: Mapping[str, Point], key: str) -> str | None:
    return key if key in points else None


def _point(key: str, device: str, spec: FieldSpec) -> Point:
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
