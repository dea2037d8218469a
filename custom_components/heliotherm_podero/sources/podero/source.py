"""Every heat pump of one Podero user behind the generic Source interface.

One list request per poll reads all pumps. The list carries no pending actions (PODERO.md
errata 1), so a pump's detail is read when the list shows it in trouble and otherwise at most
hourly, one pump per poll. A pump missing from the list is looked up by itself: deleted
(``deleted_at``) it goes, otherwise it is kept (unavailable while it cannot be read) for a day.

What is written, and how, is the steering's (``steering``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from ..capabilities import DeviceProblem
from ..fields import FieldSpec
from ..jsonvalues import flag, number, redacted, text, timestamp
from ..model import (
    ComfortSpec,
    Device,
    NotFound,
    Point,
    Snapshot,
    Value,
    ValueKind,
    with_reported_option,
)
from ..polled import Known
from .client import PoderoClient
from .fields import (
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
from .pumps import PumpState, with_detail
from .steering import PumpSteering, point_of

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


class PoderoSource(PumpSteering):
    """The heat pumps of one Podero user (any number, coming and going)."""

    SCAN_INTERVAL: ClassVar[timedelta] = timedelta(minutes=5)  # unless the owner chose another

    def __init__(
        self,
        client: PoderoClient,
        *,
        read_only: bool = False,
        clock: Callable[[], float] = lambda: time.monotonic(),  # looked up per call
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(known=Known(), read_only=read_only, now=now)
        self.client = client
        self._clock = clock
        self._pumps: dict[str, PumpState] = {}
        self._absent: dict[str, float] = {}  # pumps missing from the list: when last looked up
        self.polls = 0

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
            pump_id: PumpState(with_detail(pump, old.detail), old.detail, old.detail_at)
            if (old := self._pumps.get(pump_id))
            else PumpState(pump)
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
        self._pumps[pump_id] = PumpState(detail, detail, self._clock())

    # -- points --------------------------------------------------------------------------------

    def _absorb(self, state: PumpState, snapshot: Snapshot, seen: Mapping[str, Point]) -> None:
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
            key = self.field_key(pump.id, spec.name)
            reported = spec.derived or _alias_present(pump.raw, spec.field)
            if not reported and key not in seen and not self.remembered(device.key, key):
                continue  # never reported by this pump: no entity
            value = self._value(state, spec, now)
            # Read-only mode keeps the entity types; the writes are refused (read_only_mode).
            point = seen.get(key) or point_of(key, device.key, spec)
            self._known.points[key] = with_reported_option(point, value)
            snapshot.values[key] = value
        self._absorb_climate(pump.id, device.key)

    def _value(self, state: PumpState, spec: FieldSpec, now: datetime) -> Value:
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
        points = self._known.points

        def key(spec: FieldSpec) -> str:
            return self.field_key(pump_id, spec.name)

        mode_key = key(SPACE_HEATING)
        if mode_key not in points:
            return
        has_range = all(key(spec) in points for spec in (COMFORT_MINIMUM, COMFORT_MAXIMUM))
        self._known.climates[pump_id] = ComfortSpec(
            key="climate",
            device=device,
            translation_key=None,
            mode_key=mode_key,  # space heating in use: shown, never steered
            target_key=_present(points, key(INDOOR_TARGET)),
            minimum_key=key(COMFORT_MINIMUM) if has_range else None,
            maximum_key=key(COMFORT_MAXIMUM) if has_range else None,
            current_key=_present(points, key(INDOOR_ACTUAL)),
            band_key=_present(points, key(HEATING_POLICY)),
            cooling_key=_present(points, key(SPACE_COOLING)),
        )

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
        field = self.field_of(key)
        if field is None:
            return None
        pump_id = field.object_id
        if pump_id in self._pumps:
            await self._read_detail(pump_id)
        state = self._pumps.get(pump_id)
        spec = FIELDS_BY_NAME.get(field.name)
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


def _alias_present(raw: Mapping[str, Any], name: str) -> bool:
    return any(alias in raw for alias in ALIASES.get(name, (name,)))


def _present(points: Mapping[str, Point], key: str) -> str | None:
    return key if key in points else None
