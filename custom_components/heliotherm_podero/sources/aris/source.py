"""The Aris Brain as a Source: an HCU with heat pumps, zones and tanks, one climate per zone.

Points exist for the fields a system reports (a field seen once stays, across restarts too;
when it goes missing later its value is unknown). Zones and listed heat pumps may come and go
between polls: one missing is kept, unavailable, for a day. A heat pump or fan coil whose ID
the owner typed in stays as long as the ID is in the options; while the Brain answers 404 for
it, its entities are unavailable and a repair issue says so. A failing ``/health`` shows as
the Brain's health, not as a failed poll.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any, ClassVar

from ..capabilities import DeviceProblem
from ..fields import FieldSpec, enum
from ..fields import flag as flag_field
from ..jsonvalues import flag, number, text, timestamp
from ..model import (
    CommunicationError,
    Device,
    EfficiencySpec,
    NotFound,
    Point,
    Snapshot,
    Value,
    ValueKind,
    with_reported_option,
)
from ..polled import FieldKey
from .client import ArisClient
from .commanding import ZoneCommands, ZonesKnown
from .devices import fcu_device, hcu_device, heat_pump_device, tank_device, zone_device
from .fields import (
    DHW_FIELDS,
    FCU_FIELDS,
    HCU_COUNTERS,
    HCU_FIELDS,
    HEAT_PUMP_FIELDS,
    TES_FIELDS,
    ZONE_ACTIVITY,
    ZONE_FIELDS,
)
from .models import ArisObject, Fcu, Health, HeatPump, Zone, codes
from .zones import activity, controls_of, zone_climate

HEALTH_STATES = ("ok", "degraded", "unhealthy", "unreachable")
NO_HEALTH = Health(status="unreachable", version=None, cloud_connected=None)


@dataclass(slots=True)
class _Poll:
    """What one poll builds: the devices and points it found, and their values."""

    known: ZonesKnown = field(default_factory=ZonesKnown)
    snapshot: Snapshot = field(default_factory=Snapshot)


@dataclass(frozen=True, slots=True)
class _Part:
    """One object of an answer: its device, its kind and fields, and whether it answered."""

    device: Device
    kind: str
    obj: ArisObject
    fields: Sequence[FieldSpec]
    slow: bool = False  # read on the slower settings cycle (the tanks)
    answered: bool = True  # False: a typed ID the Brain does not know (404)


class ArisSource(ZoneCommands):
    """One Aris Brain behind the generic Source interface (no capabilities beyond it).

    No documented endpoint lists heat pumps or fan coils: their ids come from the user
    (heat pumps also from the assumed list endpoint where the Brain has it).
    """

    SCAN_INTERVAL: ClassVar[timedelta] = timedelta(seconds=30)  # unless the owner chose another

    _known: ZonesKnown

    def __init__(
        self,
        client: ArisClient,
        *,
        heat_pump_ids: Sequence[str] = (),
        fcu_ids: Sequence[str] = (),
        read_only: bool = False,
    ) -> None:
        super().__init__(known=ZonesKnown(), read_only=read_only)
        self.client = client
        self.heat_pump_ids = _unique(heat_pump_ids)
        self.fcu_ids = _unique(fcu_ids)
        self.hcu_id: str | None = None
        self.heat_pump_list_supported: bool | None = None
        self.health: Health | None = None
        self.polls = 0
        self._unknown_ids: dict[str, str] = {}  # device key -> typed ID the Brain does not know
        self._defrosting = False  # the HCU or a heat pump defrosts (as of the last poll)

    @property
    def efficiency(self) -> Sequence[EfficiencySpec]:
        """The HCU counts, for its lifetime, the heat it gives and the electricity it takes."""
        points = self._known.points
        if self.hcu_id is None:
            return ()
        heat, electricity = (self.field_key(self.hcu_id, name, "hcu") for name in HCU_COUNTERS)
        if heat not in points:
            return ()
        metered = electricity in points
        cop = EfficiencySpec(
            device=self.hcu_key,
            heat_keys=(heat,),
            electricity_keys=(electricity,) if metered else (),
            meters_in_use=metered,
        )
        return (cop,)

    @property
    def hcu_key(self) -> str:
        """The HCU's device key, the root of every other device key."""
        return f"aris_{self.hcu_id}"

    async def async_connect(self) -> None:
        """Read the HCU (the system's identity) and everything there is, once."""
        self.hcu_id = (await self.client.hcu()).id
        await self.async_fetch(frozenset(), full=True)
        self._retire_removed_ids()  # once: what was registered is known only from the start

    async def async_fetch(self, keys: frozenset[str], *, full: bool = False) -> Snapshot:
        """Zones, HCU, heat pumps and health; the tanks too on the slower settings cycle."""
        points = self._known.points
        slow = full or any(points[k].slow for k in keys if k in points)
        poll = _Poll()
        zones, hcu, heat_pumps, fcus, health = await asyncio.gather(
            self.client.zones(),
            self.client.hcu(),
            self._heat_pumps(),
            self._fcus(),
            self._health(),
        )
        self.health = health
        hcu_part = _Part(
            hcu_device(self.hcu_key, health.version or self._known_version()),
            "hcu",
            hcu,
            HCU_FIELDS,
        )
        self._absorb(poll, hcu_part)
        self._absorb_health(poll, health)
        self._unknown_ids = {}
        self._absorb_listed(poll, heat_pumps, fcus)
        # A heat pump that defrosts stops heating the zones that call for heat meanwhile.
        self._defrosting = hcu.raw.get("state") == "defrost" or any(
            flag(pump.raw, "defrostActive") is True for pump in heat_pumps[0]
        )
        for zone in zones:
            self._absorb_zone(poll, zone)
        if slow:
            await self._absorb_tanks(poll)
        else:  # the tanks were not read: they stay as they are
            self._keep_tanks(poll.known)
        self.carry_missing(self._known, poll.known, poll.snapshot)
        self._known = poll.known
        self.polls += 1
        return poll.snapshot

    def _absorb_listed(
        self,
        poll: _Poll,
        heat_pumps: tuple[list[HeatPump], list[str]],
        fcus: tuple[list[Fcu], list[str]],
    ) -> None:
        """The heat pumps and fan coils, and the typed IDs the Brain does not know (404)."""
        listed, unknown = heat_pumps
        for pump, answered in (
            *((pump, True) for pump in listed),
            *((HeatPump.unknown(hp_id), False) for hp_id in unknown),
        ):
            previous = self._known.devices.get(f"{self.hcu_key}_{pump.id}")
            device = heat_pump_device(self.hcu_key, pump, previous)
            self._absorb(poll, _Part(device, "hp", pump, HEAT_PUMP_FIELDS, answered=answered))
        found, unknown_fcus = fcus
        for fcu, answered in (
            *((fcu, True) for fcu in found),
            *((Fcu.unknown(fcu_id), False) for fcu_id in unknown_fcus),
        ):
            previous = self._known.devices.get(f"{self.hcu_key}_{fcu.id}")
            device = fcu_device(self.hcu_key, fcu, previous)
            self._absorb(poll, _Part(device, "fcu", fcu, FCU_FIELDS, answered=answered))

    async def _absorb_tanks(self, poll: _Poll) -> None:
        dhw, tes = await asyncio.gather(self.client.dhw(), self.client.tes())
        for tank, fields, model, translation_key in (
            (dhw, DHW_FIELDS, "Hot water tank", "aris_dhw"),
            (tes, TES_FIELDS, "Buffer tank", "aris_tes"),
        ):
            if tank is not None:
                device = tank_device(self.hcu_key, tank.id, model, translation_key)
                self._absorb(poll, _Part(device, "tank", tank, fields, slow=True))

    def _keep_tanks(self, known: ZonesKnown) -> None:
        for key, point in self._known.points.items():
            if point.slow:
                known.points[key] = point
                known.devices.setdefault(point.device, self._known.devices[point.device])

    def _retire_removed_ids(self) -> None:
        """Typed heat pumps and fan coils that had entities but are no longer in the options.

        The owner removed them: they go at once (an ID still typed in never goes).
        """
        typed = {"hp": set(self.heat_pump_ids), "fcu": set(self.fcu_ids)}
        if self.heat_pump_list_supported:
            del typed["hp"]  # listed by the Brain: they come and go with the list
        for registered in _registered_fields(self._remembered):
            if registered.kind in typed and registered.object_id not in typed[registered.kind]:
                self.mark_deleted(f"{self.hcu_key}_{registered.object_id}")

    def _known_version(self) -> str | None:
        device = self._known.devices.get(self.hcu_key)
        return device.sw_version if device is not None else None

    async def _health(self) -> Health:
        """``/health``, or "unreachable" when it fails while the API may still answer."""
        try:
            return await self.client.health()
        except CommunicationError:
            return NO_HEALTH

    async def _heat_pumps(self) -> tuple[list[HeatPump], list[str]]:
        """The heat pumps, and the typed IDs the Brain answered 404 for."""
        if self.heat_pump_list_supported is not False:  # unknown until the first poll
            listed = await self.client.heat_pumps()
            self.heat_pump_list_supported = listed is not None
            if listed is not None:
                return listed, []
        return await _each(self.heat_pump_ids, self.client.heat_pump)

    async def _fcus(self) -> tuple[list[Fcu], list[str]]:
        """The fan coils, and the typed IDs the Brain answered 404 for."""
        return await _each(self.fcu_ids, self.client.fcu)

    def _absorb(self, poll: _Poll, part: _Part) -> None:
        """Add a part's device, its points (fields seen now or before) and their values.

        An object that did not answer (a typed ID the Brain does not know) keeps the points
        it had, unavailable; the owner is told through ``device_problems``.
        """
        device, obj = part.device, part.obj
        poll.known.devices[device.key] = device
        if not part.answered:
            self._unknown_ids[device.key] = obj.id
        for spec in part.fields:
            key = self.field_key(obj.id, spec.name, part.kind)
            point = self._known.points.get(key)
            absent = spec.field not in obj.raw and not self.remembered(device.key, key)
            if absent and point is None:
                continue  # never reported by this system: no entity
            value = _read(obj.raw, spec)
            if point is None:
                point = spec.point(key, device.key, slow=part.slow)
            poll.known.points[key] = with_reported_option(point, value)
            if part.answered:
                poll.snapshot.values[key] = value
            else:
                poll.snapshot.missing.add(key)

    def _absorb_health(self, poll: _Poll, health: Health) -> None:
        raw: dict[str, Any] = {"status": health.status, "cloud": health.cloud_connected}
        specs = (
            enum("brain_status", "status", HEALTH_STATES),
            flag_field("cloud_connection", "cloud", "connectivity"),
        )
        obj = ArisObject(
            id=self.hcu_id or "hcu", raw={k: v for k, v in raw.items() if v is not None}
        )
        self._absorb(poll, _Part(poll.known.devices[self.hcu_key], "health", obj, specs))
        key = self.field_key(obj.id, "brain_health", "health")
        poll.known.points[key] = Point(
            key=key,
            device=self.hcu_key,
            kind=ValueKind.BOOL,
            translation_key="brain_health",
            device_class="connectivity",
        )
        # ok and degraded (cloud down) still control locally; unhealthy may not.
        poll.snapshot.values[key] = health.status in ("ok", "degraded")

    def _absorb_zone(self, poll: _Poll, zone: Zone) -> None:
        device = zone_device(self.hcu_key, zone)
        controls = controls_of(zone)
        self._absorb(poll, _Part(device, "zone", zone, (*ZONE_FIELDS, *controls)))
        known = poll.known
        for spec in controls:
            key = self.field_key(zone.id, spec.name, "zone")
            if key in known.points:
                known.points[key] = replace(known.points[key], writable=not self._read_only)
        key = self.field_key(zone.id, ZONE_ACTIVITY.name, "zone")
        known.points[key] = self._known.points.get(key) or ZONE_ACTIVITY.point(key, device.key)
        poll.snapshot.values[key] = activity(zone.active_call, defrosting=self._defrosting)
        known.zones[zone.id] = zone

        def key_of(name: str) -> str:
            return self.field_key(zone.id, name, "zone")

        def present(name: str) -> str | None:
            return key if (key := key_of(name)) in known.points else None

        known.climates[zone.id] = zone_climate(device.key, zone, key_of, present)

    async def _read_zone(self, zone_id: str) -> Snapshot:
        zone = await self.client.zone(zone_id)
        poll = _Poll(known=self._known)
        self._absorb_zone(poll, zone)
        return poll.snapshot

    async def async_read_point(self, key: str) -> Value:
        """Read a point's object now (a zone by itself, anything else with a full poll)."""
        found = self.field_of(key)
        if found is not None and found.kind == "zone":
            snapshot = await self._read_zone(found.object_id)
        else:
            snapshot = await self.async_fetch(frozenset({key}), full=True)
        return snapshot.values.get(key)

    def device_problems(self) -> Mapping[str, DeviceProblem]:
        """Heat pumps and fan coils whose typed ID the Brain does not know (404)."""
        return {
            key: DeviceProblem("aris_unknown_id", name=typed_id)
            for key, typed_id in self._unknown_ids.items()
        }

    def diagnostics(self) -> dict[str, Any]:
        """Requests, feature detection, health, the last raw answers (to redact)."""
        return {
            "answers": dict(self.client.answers),
            "unknown_ids": sorted(self._unknown_ids.values()),
            "base_url": self.client.base_url,
            "requests": self.client.requests,
            "polls": self.polls,
            "heat_pump_list_supported": self.heat_pump_list_supported,
            "heat_pump_ids": list(self.heat_pump_ids),
            "fcu_ids": list(self.fcu_ids),
            "health": self.health.status if self.health else None,
            "zones": sorted(self._known.zones),
            "devices": len(self._known.devices),
            "points": len(self._known.points),
        }


def _registered_fields(unique_ids: Iterable[str]) -> list[FieldKey]:
    """The points the registry has entities of, read once at the edge from their unique IDs.

    A unique ID is "<device key>_<kind>.<object>.<field>"; device keys hold no dot and kinds
    no underscore, so the point's key starts after the last underscore before the first dot.
    """
    found: list[FieldKey] = []
    for unique_id in unique_ids:
        dot = unique_id.find(".")
        key = unique_id[unique_id.rfind("_", 0, dot) + 1 :] if dot > 0 else ""
        kind, _, rest = key.partition(".")
        object_id, _, name = rest.rpartition(".")
        if kind and object_id and name:
            found.append(FieldKey(object_id, name, kind))
    return found


def _unique(ids: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i.strip() for i in ids if i.strip()))


def _read(raw: Mapping[str, Any], spec: FieldSpec) -> Value:
    if spec.faults:
        found = codes(raw, spec.field)
        if found is None:
            return None
        if spec.kind is ValueKind.TEXT:
            return ", ".join(found) or "none"
        return bool(found) if spec.kind is ValueKind.BOOL else len(found)
    if spec.kind is ValueKind.BOOL:
        return flag(raw, spec.field)
    if spec.kind in (ValueKind.ENUM, ValueKind.TEXT):
        return text(raw, spec.field)
    if spec.kind is ValueKind.TIMESTAMP:
        return timestamp(raw, spec.field)
    value = number(raw, spec.field)
    if value is not None and spec.kind is ValueKind.INT:
        return round(value)
    return value


async def _each[T](
    ids: Sequence[str], read: Callable[[str], Awaitable[T]]
) -> tuple[list[T], list[str]]:
    """Read each typed ID; those the Brain answers 404 for are returned apart."""
    found: list[T] = []
    unknown: list[str] = []
    for object_id, result in zip(
        ids, await asyncio.gather(*(_or_none(read(i)) for i in ids)), strict=True
    ):
        if result is None:
            unknown.append(object_id)
        else:
            found.append(result)
    return found, unknown


async def _or_none[T](read: Awaitable[T]) -> T | None:
    try:
        return await read
    except NotFound:
        return None
