"""The Heliotherm client as a Source: identity, points, one poll, verified writes."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import ClassVar

from ..model import (
    ClimateSpec,
    Device,
    EfficiencySpec,
    InvalidValue,
    Point,
    Snapshot,
    Value,
    WaterHeaterSpec,
    WriteRejected,
)
from .catalog import CatalogPoint, PointType, PointValue
from .client import HeliothermClient
from .errors import PointNotFound
from .extras import PollStatistics, PumpExtras, PumpIdentity, read_identity
from .points import (
    ACTIVITY_KEY,
    COMPRESSOR_KEY,
    COP_KEY,
    DHW_PRIORITY_KEY,
    ELECTRIC_POWER_KEY,
    FAULT_COUNT_KEY,
    FAULT_KEYS,
    FOUR_WAY_VALVE_KEY,
    LAST_FAULT_CODE_KEY,
    LAST_FAULT_KEY,
    LAST_FAULT_TIME_KEY,
    OPERATING_MODE_KEY,
    ROOM_SENSOR_KEYS,
    THERMAL_POWER_KEY,
    describe_all,
)
from .specs import counted_energy, heating_circuit, hot_water_tank

# The fault list's last entry is read again after this even if the count stayed (seconds).
LAST_FAULT_REFRESH = 3600.0
PRIVATE_POINTS = frozenset({"sp_3"})  # the property number the installer entered


class HeliothermSource(PumpExtras):
    """A Heliotherm pump behind the generic Source interface: one device, one climate.

    Capabilities (``extras``): time programs, clock, fault list, away mode (holiday mode),
    any parameter, a write counter; the climate, the tank and the COP are ``specs``.
    """

    SCAN_INTERVAL: ClassVar[timedelta] = timedelta(seconds=30)  # unless the owner chose another

    away_mode_key = OPERATING_MODE_KEY
    away_option = "holiday"
    home_option = "automatic"

    def __init__(self, client: HeliothermClient, *, expert: bool = False) -> None:
        self.client = client
        self.identity: PumpIdentity | None = None
        self.poll_stats = PollStatistics()
        self._points = describe_all(client.catalog, expert=expert)
        self._devices: dict[str, Device] = {}
        self._mode: Value = None  # the operating mode last read or written: a slow point
        self._last_fault: tuple[int, float, dict[str, Value]] | None = None  # count, when, values

    @property
    def devices(self) -> Mapping[str, Device]:
        """The pump, once it has told its serial number."""
        return self._devices

    @property
    def points(self) -> Mapping[str, Point]:
        """Every point offered by this pump."""
        return self._points

    @property
    def read_only(self) -> bool:
        """True when the client refuses every write."""
        return self.client.read_only

    async def async_connect(self) -> None:
        """Identify the pump (its settings' own limits come with the first poll)."""
        self.identity = identity = await read_identity(self.client)
        device = str(identity.serial_number)
        self._devices = {
            device: Device(
                key=device,
                # "Heliotherm {name}": the entry's title, so two pumps never share a name
                translation_key="heliotherm_heat_pump",
                name=device,
                manufacturer="Heliotherm",
                # What the pump reports of itself: its type codes are undocumented (PROTOCOL.md),
                # the software generation tells firmwares with other point numbers apart.
                model=f"Heliotherm SW {identity.software_version}",
                serial_number=device,
                sw_version=f"{identity.software_version} (build {identity.build})",
            )
        }
        # Unique IDs are "<serial number>_<key>", as they always were.
        self._points = {key: replace(p, device=device) for key, p in self._points.items()}
        await self._find_room_sensors()

    async def _find_room_sensors(self) -> None:
        """Offer the room sensors this pump uses (US=1), and the climate reads the first.

        The catalog's flags are those of one reference pump; which of the four sensor inputs
        an installation wires differs, and a sensor not wired reads a plausible default.
        """
        for key in ROOM_SENSOR_KEYS:
            point, entry = self._points.get(key), self.client.catalog.by_key(key)
            if point is None or entry is None:
                continue
            try:
                record = await self.client.read_record(entry.point_type, entry.number)
            except PointNotFound:
                continue
            self._points[key] = replace(point, enabled_by_default=record.in_use)

    async def async_fetch(self, keys: frozenset[str]) -> Snapshot:
        """One poll: login, one MR for the MP points, records for SP points, fault summary.

        Polls and commands take turns on the link (the coordinator's turn), so a command's
        read-back never sits between a poll's reads.
        """
        started = time.monotonic()
        trips_before = self.client.stats.round_trips
        snapshot = Snapshot()
        await self.client.ensure_session()
        wanted = keys - self.poll_stats.absent_points
        if COP_KEY in wanted:
            wanted |= {ELECTRIC_POWER_KEY, THERMAL_POWER_KEY}
        if ACTIVITY_KEY in wanted:  # more items of the one fast query; the mode is kept
            wanted |= {COMPRESSOR_KEY, DHW_PRIORITY_KEY, FOUR_WAY_VALVE_KEY}
        catalog = self.client.catalog
        entries = [entry for key in wanted if (entry := catalog.by_key(key)) is not None]
        measurements = {e.number: e.key for e in entries if e.point_type is PointType.MP}
        if measurements:
            for number, value in (await self._fast_query(sorted(measurements))).items():
                snapshot.values[measurements[number]] = value
        await self._read_settings([e for e in entries if e.point_type is PointType.SP], snapshot)
        if wanted & FAULT_KEYS:
            await self._read_faults(snapshot)
        if any(self._points[k].slow for k in wanted if k in self._points):
            snapshot.extra["clock"] = await self.client.get_clock()
            # When it was read (epoch seconds): the drift is measured against this, not "now".
            snapshot.extra["clock_read_at"] = time.time()
        if COP_KEY in wanted:
            snapshot.values[COP_KEY] = _cop(snapshot.values)
        if OPERATING_MODE_KEY in snapshot.values:
            self._mode = snapshot.values[OPERATING_MODE_KEY]
        if ACTIVITY_KEY in wanted:
            snapshot.values[ACTIVITY_KEY] = _activity(snapshot.values, self._mode)
        self.poll_stats.polls += 1
        self.poll_stats.last_duration_s = round(time.monotonic() - started, 3)
        self.poll_stats.last_round_trips = self.client.stats.round_trips - trips_before
        return snapshot

    async def _read_settings(self, settings: list[CatalogPoint], snapshot: Snapshot) -> None:
        """One record each, in key order; the pump's own limits of a writable one taken up."""
        for setting in sorted(settings, key=lambda e: e.key):
            key = setting.key
            try:
                record = await self.client.read_record(PointType.SP, setting.number)
            except PointNotFound:
                self.poll_stats.absent_points.add(key)
                continue
            snapshot.values[key] = self._to_value(key, record.value)
            point = self._points.get(key)
            if point is not None and point.writable and record.has_limits:
                # The pump's own limits (they may be narrower than the catalog's)
                self._points[key] = replace(
                    point, minimum=float(record.minimum), maximum=float(record.maximum)
                )

    async def _fast_query(self, numbers: list[int]) -> dict[int, PointValue]:
        try:
            return await self.client.fast_query(numbers)
        except PointNotFound:
            # Some number is unknown to this firmware: find it once, then never ask again.
            found = await self.client.probe((PointType.MP, n) for n in numbers)
            values: dict[int, PointValue] = {}
            for (point_type, number), record in found.items():
                if record is None:
                    self.poll_stats.absent_points.add(
                        self.client.catalog_point(point_type, number).key
                    )
                else:
                    values[number] = record.value
            return values

    async def _read_faults(self, snapshot: Snapshot) -> None:
        """The fault count (ALS); the last entry (ALC) only when the count moved.

        The list is a ring buffer: once full, its count stays put while entries are replaced,
        so the last entry is read again after LAST_FAULT_REFRESH as well.
        """
        count = await self.client.fault_count()
        snapshot.values[FAULT_COUNT_KEY] = count
        now = time.monotonic()
        if (
            self._last_fault is not None
            and self._last_fault[0] == count
            and now - self._last_fault[1] < LAST_FAULT_REFRESH
        ):
            snapshot.values.update(self._last_fault[2])
            return
        values: dict[str, Value] = {LAST_FAULT_KEY: None}
        if count:
            last = await self.client.last_fault(expected_index=count - 1)
            values = {
                LAST_FAULT_KEY: last.message,
                LAST_FAULT_CODE_KEY: last.code,
                LAST_FAULT_TIME_KEY: last.time,
            }
        self._last_fault = (count, now, values)
        snapshot.values.update(values)

    @property
    def _pump(self) -> str | None:
        """The pump's device key, once it has told its serial number."""
        return next(iter(self._devices), None)

    async def async_write(self, values: Mapping[str, Value]) -> Snapshot:
        """Write points one by one; returns the values the pump reported back."""
        snapshot = Snapshot()
        for key, value in values.items():
            snapshot.values[key] = await self.async_write_point(key, value)
        return snapshot

    async def async_write_point(
        self, key: str, value: Value, *, any_setting: bool = False
    ) -> Value:
        """Write one point; returns the value the pump reports back.

        Without ``any_setting`` only points offered as writable entities are accepted; with it
        (the administrators' set_parameter) any writable catalog point, still never a trigger.
        """
        point = self._points.get(key)
        entry = self._catalog_entry(key)
        if not any_setting and (point is None or not point.writable):
            raise InvalidValue("read_only_point", point=key)
        raw: object = value
        if point is not None and point.options and isinstance(value, str):
            if value not in point.options:
                raise InvalidValue("invalid_option", value=value, options=", ".join(point.options))
            raw = point.options.index(value)
        try:
            reported = await self.client.write(entry.point_type, entry.number, raw)
        except WriteRejected as err:
            reported_raw = err.reported
            assert isinstance(reported_raw, bool | int | float)
            raise WriteRejected(key, value, self._to_value(key, reported_raw)) from err
        confirmed = self._to_value(key, reported)
        if key == OPERATING_MODE_KEY:
            self._mode = confirmed
        return confirmed

    async def async_read_point(self, key: str) -> Value:
        """Read one point from the pump now (not from the last poll)."""
        if key == FAULT_COUNT_KEY:
            return await self.client.fault_count()
        entry = self._catalog_entry(key)
        return self._to_value(key, await self.client.read_value(entry.point_type, entry.number))

    @property
    def climates(self) -> Sequence[ClimateSpec]:
        """The heating circuit: room setpoint, the room sensor in use, the operating mode."""
        pump = self._pump
        return (heating_circuit(pump, self._points),) if pump is not None else ()

    @property
    def water_heaters(self) -> Sequence[WaterHeaterSpec]:
        """The hot-water tank: its temperature, the normal temperature, charging or not."""
        pump = self._pump
        return (hot_water_tank(pump),) if pump is not None else ()

    @property
    def efficiency(self) -> Sequence[EfficiencySpec]:
        """Heat over electricity for heating and hot water (the COP over periods)."""
        pump = self._pump
        return (counted_energy(pump, self.client.catalog),) if pump is not None else ()

    @property
    def private_points(self) -> frozenset[str]:
        """The property number the installer entered (it names the house)."""
        return PRIVATE_POINTS

    async def async_close(self) -> None:
        """Release the serial port."""
        await self.client.close()


def _activity(values: dict[str, Value], mode: Value) -> str | None:
    """Heating / hot_water / cooling / defrost / idle / off; unknown while the compressor is."""
    if mode == "off":
        return "off"
    compressor = values.get(COMPRESSOR_KEY)
    if not isinstance(compressor, bool):
        return None
    if not compressor:
        return "idle"
    if mode != "cooling" and values.get(FOUR_WAY_VALVE_KEY) is True:
        return "defrost"
    if values.get(DHW_PRIORITY_KEY) is True:
        return "hot_water"
    return "cooling" if mode == "cooling" else "heating"


def _cop(values: dict[str, Value]) -> float | None:
    electric, thermal = values.get(ELECTRIC_POWER_KEY), values.get(THERMAL_POWER_KEY)
    if not isinstance(electric, int | float) or not isinstance(thermal, int | float):
        return None
    if electric <= 0:
        return None
    return round(float(thermal) * 1000.0 / float(electric), 2)
