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
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from ..capabilities import DeviceProblem
from ..fields import FieldSpec, enum
from ..fields import flag as flag_field
from ..jsonvalues import flag, number, text, timestamp
from ..model import (
    ClimateSpec,
    CommunicationError,
    Device,
    EfficiencySpec,
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
from .client import ArisClient
from .fields import (
    DHW_FIELDS,
    FCU_FIELDS,
    HCU_COUNTERS,
    HCU_FIELDS,
    HEAT_PUMP_FIELDS,
    SETPOINT_GAP,
    SETPOINT_MAX,
    SETPOINT_MIN,
    TES_FIELDS,
    ZONE_ACTIVITY,
    ZONE_COOL_SETPOINT,
    ZONE_FIELDS,
    ZONE_HEAT_SETPOINT,
    ZONE_MODE,
)
from .models import ArisObject, Fcu, Health, HeatPump, Zone, codes

MANUFACTURER = "Aris Comfort"
SCAN_INTERVAL = timedelta(seconds=30)
HEALTH_STATES = ("ok", "degraded", "unhealthy", "unreachable")
NO_HEALTH = Health(status="unreachable", version=None, cloud_connected=None)
# The Brain applies a command in its control loop, sometimes late: re-read after each of these
# pauses (about 3 s in all) before a command counts as not applied.
CONFIRM_DELAYS = (0.25, 0.5, 0.75, 1.5)


@dataclass(slots=True)
class _Known(Known):
    """What every source knows, and the zones (their commands need the last zone read)."""

    zones: dict[str, Zone] = field(default_factory=dict)


class ArisSource(PolledSource):
    """One Aris Brain behind the generic Source interface (no capabilities beyond it).

    No documented endpoint lists heat pumps or fan coils: their ids come from the user
    (heat pumps also from the assumed list endpoint where the Brain has it).
    """

    _known: _Known

    def __init__(
        self,
        client: ArisClient,
        *,
        heat_pump_ids: Sequence[str] = (),
        fcu_ids: Sequence[str] = (),
        read_only: bool = False,
    ) -> None:
        super().__init__()
        self.client = client
        self.heat_pump_ids = _unique(heat_pump_ids)
        self.fcu_ids = _unique(fcu_ids)
        self._read_only = read_only
        self.hcu_id: str | None = None
        self.heat_pump_list_supported: bool | None = None
        self.health: Health | None = None
        self.polls = 0
        self._known = _Known()
        self._unknown_ids: dict[str, str] = {}  # device key -> typed ID the Brain does not know
        self._defrosting = False  # the HCU or a heat pump defrosts (as of the last poll)

    @property
    def default_scan_interval(self) -> timedelta:
        """Every 30 seconds: zones, HCU, heat pumps and health (the tanks less often)."""
        return SCAN_INTERVAL

    @property
    def efficiency(self) -> Sequence[EfficiencySpec]:
        """The HCU counts, for its lifetime, the heat it gives and the electricity it takes."""
        points = self._known.points
        heat, electricity = (f"hcu.{self.hcu_id}.{name}" for name in HCU_COUNTERS)
        if self.hcu_id is None or heat not in points:
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
        known = _Known()
        snapshot = Snapshot()
        (
            zones,
            hcu,
            (heat_pumps, unknown_pumps),
            (fcus, unknown_fcus),
            health,
        ) = await asyncio.gather(
            self.client.zones(),
            self.client.hcu(),
            self._heat_pumps(),
            self._fcus(),
            self._health(),
        )
        self.health = health
        hcu_device = Device(
            key=self.hcu_key,
            translation_key="aris_hcu",
            manufacturer=MANUFACTURER,
            model="Hydronic control unit",
            model_key="aris_hcu",
            sw_version=health.version or self._known_version(),
        )
        self._absorb(known, snapshot, hcu_device, "hcu", hcu, HCU_FIELDS)
        self._absorb_health(known, snapshot, health)
        self._unknown_ids = {}
        for pump, answered in (
            *((pump, True) for pump in heat_pumps),
            *((HeatPump.unknown(hp_id), False) for hp_id in unknown_pumps),
        ):
            previous = self._known.devices.get(f"{self.hcu_key}_{pump.id}")
            device = Device(
                key=f"{self.hcu_key}_{pump.id}",
                name=pump.id,
                translation_key="aris_heat_pump",  # "Heat pump hp_outdoor_1"
                manufacturer=MANUFACTURER,
                model="Heat pump (outdoor unit)",
                model_key="aris_heat_pump",
                sw_version=pump.firmware or (previous.sw_version if previous else None),
                via_device=self.hcu_key,
            )
            self._absorb(known, snapshot, device, "hp", pump, HEAT_PUMP_FIELDS, answered=answered)
        for fcu, answered in (
            *((fcu, True) for fcu in fcus),
            *((Fcu.unknown(fcu_id), False) for fcu_id in unknown_fcus),
        ):
            previous = self._known.devices.get(f"{self.hcu_key}_{fcu.id}")
            device = Device(
                key=f"{self.hcu_key}_{fcu.id}",
                name=fcu.friendly_name or (previous.name if previous else None) or fcu.id,
                manufacturer=MANUFACTURER,
                model="Fan coil unit",
                model_key="aris_fan_coil",
                via_device=self.hcu_key,
            )
            self._absorb(known, snapshot, device, "fcu", fcu, FCU_FIELDS, answered=answered)
        # A heat pump that defrosts stops heating the zones that call for heat meanwhile.
        self._defrosting = hcu.raw.get("state") == "defrost" or any(
            flag(pump.raw, "defrostActive") is True for pump in heat_pumps
        )
        for zone in zones:
            self._absorb_zone(known, snapshot, zone)
        if slow:
            dhw, tes = await asyncio.gather(self.client.dhw(), self.client.tes())
            for tank, fields, model, translation_key in (
                (dhw, DHW_FIELDS, "Hot water tank", "aris_dhw"),
                (tes, TES_FIELDS, "Buffer tank", "aris_tes"),
            ):
                if tank is not None:
                    device = Device(
                        key=f"{self.hcu_key}_{tank.id}",
                        name=tank.id,
                        translation_key=translation_key,  # one of each per Brain
                        manufacturer=MANUFACTURER,
                        model=model,
                        model_key=translation_key,
                        via_device=self.hcu_key,
                    )
                    self._absorb(known, snapshot, device, "tank", tank, fields, slow=True)
        else:  # the tanks were not read: they stay as they are
            for key, point in self._known.points.items():
                if point.slow:
                    known.points[key] = point
                    known.devices.setdefault(point.device, self._known.devices[point.device])
        self.carry_missing(self._known, known, snapshot)
        self._known = known
        self.polls += 1
        return snapshot

    def _retire_removed_ids(self) -> None:
        """Typed heat pumps and fan coils that had entities but are no longer in the options.

        The owner removed them: they go at once (an ID still typed in never goes).
        """
        typed = {"hp": set(self.heat_pump_ids), "fcu": set(self.fcu_ids)}
        if self.heat_pump_list_supported:
            del typed["hp"]  # listed by the Brain: they come and go with the list
        for unique_id in self._remembered:
            for kind, ids in typed.items():
                marker = f"_{kind}."
                if marker not in unique_id:
                    continue
                object_id = unique_id.split(marker, 1)[1].rsplit(".", 1)[0]
                if object_id not in ids:
                    self.mark_deleted(f"{self.hcu_key}_{object_id}")

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

    def _absorb(
        self,
        known: _Known,
        snapshot: Snapshot,
        device: Device,
        kind: str,
        obj: ArisObject,
        fields: Sequence[FieldSpec],
        *,
        slow: bool = False,
        answered: bool = True,
    ) -> None:
        """Add ``obj``'s device, its points (fields seen now or before) and their values.

        An object that did not answer (a typed ID the Brain does not know) keeps the points
        it had, unavailable; the owner is told through ``device_problems``.
        """
        known.devices[device.key] = device
        if not answered:
            self._unknown_ids[device.key] = obj.id
        for spec in fields:
            key = f"{kind}.{obj.id}.{spec.name}"
            point = self._known.points.get(key)
            absent = spec.field not in obj.raw and not self.remembered(device.key, key)
            if absent and point is None:
                continue  # never reported by this system: no entity
            value = _read(obj.raw, spec)
            if point is None:
                point = spec.point(key, device.key, slow=slow)
            known.points[key] = with_reported_option(point, value)
            if answered:
                snapshot.values[key] = value
            else:
                snapshot.missing.add(key)

    def _absorb_health(self, known: _Known, snapshot: Snapshot, health: Health) -> None:
        raw: dict[str, Any] = {"status": health.status, "cloud": health.cloud_connected}
        specs = (
            enum("brain_status", "status", HEALTH_STATES),
            flag_field("cloud_connection", "cloud", "connectivity"),
        )
        obj = ArisObject(
            id=self.hcu_id or "hcu", raw={k: v for k, v in raw.items() if v is not None}
        )
        self._absorb(known, snapshot, known.devices[self.hcu_key], "health", obj, specs)
        key = f"health.{obj.id}.brain_health"
        known.points[key] = Point(
            key=key,
            device=self.hcu_key,
            kind=ValueKind.BOOL,
            translation_key="brain_health",
            device_class="connectivity",
        )
        # ok and degraded (cloud down) still control locally; unhealthy may not.
        snapshot.values[key] = health.status in ("ok", "degraded")

    def _absorb_zone(self, known: _Known, snapshot: Snapshot, zone: Zone) -> None:
        device = Device(
            key=f"{self.hcu_key}_{zone.id}",
            name=zone.friendly_name or zone.id,
            manufacturer=MANUFACTURER,
            model="Zone",
            model_key="aris_zone",
            via_device=self.hcu_key,
        )
        writable = not self._read_only
        controls = [replace(ZONE_MODE, options=zone.modes)]
        if zone.supports_heat:
            controls.append(ZONE_HEAT_SETPOINT)
        if zone.supports_cool:
            controls.append(ZONE_COOL_SETPOINT)
        self._absorb(known, snapshot, device, "zone", zone, (*ZONE_FIELDS, *controls))
        for spec in controls:
            key = f"zone.{zone.id}.{spec.name}"
            if key in known.points:
                known.points[key] = replace(known.points[key], writable=writable)
        activity = f"zone.{zone.id}.{ZONE_ACTIVITY.name}"
        known.points[activity] = self._known.points.get(activity) or ZONE_ACTIVITY.point(
            activity, device.key
        )
        snapshot.values[activity] = _activity(zone.active_call, defrosting=self._defrosting)
        known.zones[zone.id] = zone
        prefix = f"zone.{zone.id}."
        modes = {"off": "off", "heat": "heat", "cool": "cool", "heat_cool": "auto"}
        known.climates[zone.id] = ClimateSpec(
            key="climate",
            device=device.key,
            translation_key=None,
            mode_key=prefix + ZONE_MODE.name,
            hvac_modes={ha: option for ha, option in modes.items() if option in zone.modes},
            heat_target_key=_present(known, prefix + ZONE_HEAT_SETPOINT.name),
            cool_target_key=_present(known, prefix + ZONE_COOL_SETPOINT.name),
            current_key=_present(known, prefix + "zone_temperature"),
            humidity_key=_present(known, prefix + "humidity"),
            action_key=prefix + ZONE_ACTIVITY.name,
            actions={
                "heating": "heating",
                "cooling": "cooling",
                "idle": "idle",
                "defrost": "defrosting",
            },
            min_gap=SETPOINT_GAP,
        )

    async def async_write(self, values: Mapping[str, Value]) -> Snapshot:
        """Send one zone command with every given value; the re-read zone is the answer.

        Mode and setpoints are checked first (the zone's modes, 10-30 C, and for a pair the
        2.2 C gap); a single setpoint may make the Brain move the other one, which the
        re-read shows.
        """
        zone, command = self._zone_command(values)
        await self.client.command_zone(zone.id, command)
        snapshot = await self._read_zone(zone.id)
        for delay in CONFIRM_DELAYS:  # applied late: read again a few times
            if _unconfirmed(snapshot, values) is None:
                break
            await asyncio.sleep(delay)
            snapshot = await self._read_zone(zone.id)
        if (refused := _unconfirmed(snapshot, values)) is not None:
            raise WriteRejected(refused, values[refused], snapshot.values.get(refused))
        return snapshot

    def _zone_command(self, values: Mapping[str, Value]) -> tuple[Zone, dict[str, Any]]:
        if self._read_only:
            raise InvalidValue("read_only_mode")
        zone_ids = {key.split(".")[1] for key in values if key.startswith("zone.")}
        for key in values:
            point = self._known.points.get(key)
            if point is None or not point.writable or len(zone_ids) != 1:
                raise InvalidValue("read_only_point", point=key)
        zone = self._known.zones.get(zone_ids.pop())
        if zone is None:  # missing from the last poll: kept, but not commanded
            raise InvalidValue("device_gone")
        command: dict[str, Any] = {}
        for key, value in values.items():
            name = key.rsplit(".", 1)[1]
            point = self._known.points.get(key)
            if name == ZONE_MODE.name:
                command["mode"] = check_write(point, key, value, options=zone.modes)
                continue
            number = check_write(point, key, value)
            assert isinstance(number, int | float)  # a setpoint is a number point
            command["tempHeatSetC" if name == ZONE_HEAT_SETPOINT.name else "tempCoolSetC"] = round(
                float(number), 1
            )
        heat, cool = command.get("tempHeatSetC"), command.get("tempCoolSetC")
        if heat is not None and cool is not None and cool - heat < SETPOINT_GAP - 1e-9:
            raise InvalidValue("setpoint_gap", heat=heat, cool=cool, gap=SETPOINT_GAP)
        return zone, command

    async def _read_zone(self, zone_id: str) -> Snapshot:
        zone = await self.client.zone(zone_id)
        snapshot = Snapshot()
        self._absorb_zone(self._known, snapshot, zone)
        return snapshot

    async def async_read_point(self, key: str) -> Value:
        """Read a point's object now (a zone by itself, anything else with a full poll)."""
        if key.startswith("zone."):
            snapshot = await self._read_zone(key.split(".")[1])
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

    async def async_close(self) -> None:
        """Nothing to release: the session belongs to Home Assistant."""


def _unique(ids: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i.strip() for i in ids if i.strip()))


def _activity(call: str | None, *, defrosting: bool) -> str | None:
    """A zone's activity from its call (heat, cool, none); unknown without one."""
    if call == "heat":
        return "defrost" if defrosting else "heating"
    return {"cool": "cooling", "none": "idle"}.get(call or "")


def _present(known: _Known, key: str) -> str | None:
    return key if key in known.points else None


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


def _float(value: Value) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _unconfirmed(snapshot: Snapshot, values: Mapping[str, Value]) -> str | None:
    """The first written key the zone does not show yet, or None when all are there.

    A setpoint the Brain moved by its documented 2.2 C gap rule (the other setpoint at its
    limit) counts as applied: the zone shows both setpoints as the Brain holds them.
    """
    for key, requested in values.items():
        reported = snapshot.values.get(key)
        if same_value(requested, reported) or _gap_moved(key, requested, snapshot):
            continue
        return key
    return None


def _gap_moved(key: str, requested: Value, snapshot: Snapshot) -> bool:
    prefix, _, name = key.rpartition(".")
    wanted = _float(requested)
    heat = _float(snapshot.values.get(f"{prefix}.{ZONE_HEAT_SETPOINT.name}"))
    cool = _float(snapshot.values.get(f"{prefix}.{ZONE_COOL_SETPOINT.name}"))
    if wanted is None or heat is None or cool is None:
        return False
    if abs(cool - heat - SETPOINT_GAP) > 0.05:
        return False
    if name == ZONE_HEAT_SETPOINT.name:  # cool could not go higher, so heat came down
        return cool >= SETPOINT_MAX - 0.05 and heat < wanted
    if name == ZONE_COOL_SETPOINT.name:  # heat could not go lower, so cool went up
        return heat <= SETPOINT_MIN + 0.05 and cool > wanted
    return False
