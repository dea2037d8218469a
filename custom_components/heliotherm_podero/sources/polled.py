"""The part of a source that rebuilds its devices, points and climates on every poll.

The Aris Brain and Podero both learn what exists from each reply (devices come and go); they
keep it in a ``Known`` and expose it through the ``Source`` properties of ``PolledSource``.

A device missing from one reply is not gone: servers leave things out for a moment (a cloud
sync, an answer cut short). Such a device is carried over, its points shown unavailable, until
it comes back, the source learns it was deleted, or it has been missing from every successful
poll for ``GRACE`` (``devices_gone`` then names it, and only then the upper floor removes it).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from .model import ClimateSpec, Device, EfficiencySpec, Point, Snapshot, Value, WaterHeaterSpec

GRACE = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class FieldKey:
    """A point of an HTTP source as data: the object it belongs to and its field's name.

    Made once where the point is made; its text is the point's key ("zone.living_room.mode"
    for the Brain, "<pump id>.optimization_level" for Podero), and the source finds the
    parts again by that key (``PolledSource.field_of``), never by splitting it.
    """

    object_id: str
    name: str
    kind: str = ""  # the Brain's object kind ("zone", "hp", ...); Podero has none

    def __str__(self) -> str:
        parts = (self.kind, self.object_id, self.name) if self.kind else (self.object_id, self.name)
        return ".".join(parts)


@dataclass(slots=True)
class Known:
    """Devices, points and climates as of the last poll."""

    devices: dict[str, Device] = field(default_factory=dict)
    points: dict[str, Point] = field(default_factory=dict)
    climates: dict[str, ClimateSpec] = field(default_factory=dict)


class PolledSource[K: Known](ABC):
    """``read_only``, ``devices``, ``points`` and ``climates`` from the last poll's ``Known``.

    Also what keeps entities through a hiccup: points registered before (``remember``), and
    devices missing for less than ``GRACE`` (``carry_missing``, ``devices_gone``).

    The contract: a subclass passes what it knows at first (``known``) and whether it may
    write (``read_only``) to the constructor, keeps ``_known`` up to date in its
    ``async_fetch``, and implements the abstract members below.
    """

    def __init__(
        self,
        *,
        known: K,
        read_only: bool,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._known: K = known
        self._read_only = read_only
        self._now = now
        self._remembered: frozenset[str] = frozenset()
        self._missing_since: dict[str, datetime] = {}
        self._deleted: set[str] = set()  # device keys the server says are gone for good
        self._fields: dict[str, FieldKey] = {}  # every point key made, and what it names

    @abstractmethod
    async def async_fetch(self, keys: frozenset[str]) -> Snapshot:
        """Read everything there is (a reply carries every device); ``_known`` follows."""

    @abstractmethod
    async def async_write(self, values: Mapping[str, Value]) -> Snapshot:
        """Write points offered as writable; everything the server reported (``confirmed``)."""

    async def async_connect(self) -> None:
        """Reach the server and learn what it offers: a first poll."""
        await self.async_fetch(frozenset())

    async def async_read_point(self, key: str) -> Value:
        """Read one point now, not from the last poll: a poll (an answer carries them all)."""
        return (await self.async_fetch(frozenset({key}))).values.get(key)

    @abstractmethod
    def diagnostics(self) -> dict[str, Any]:
        """Source specifics for a bug report (the raw answers to redact)."""

    async def async_close(self) -> None:  # noqa: B027 - the same for every HTTP source
        """Nothing to release: an HTTP source's session belongs to Home Assistant."""

    @property
    def read_only(self) -> bool:
        """True when every write is refused."""
        return self._read_only

    @property
    def devices(self) -> Mapping[str, Device]:
        """Every device of the last poll."""
        return self._known.devices

    @property
    def points(self) -> Mapping[str, Point]:
        """Every point of every device."""
        return self._known.points

    @property
    def climates(self) -> Sequence[ClimateSpec]:
        """One climate per zone or heat pump that has one."""
        return tuple(self._known.climates.values())

    @property
    def private_points(self) -> frozenset[str]:
        """None: what identifies a household is in the raw answers, redacted there."""
        return frozenset()

    @property
    def water_heaters(self) -> Sequence[WaterHeaterSpec]:
        """None: the Brain's tanks report no setpoint, Podero no tank."""
        return ()

    @property
    def efficiency(self) -> Sequence[EfficiencySpec]:
        """None by default: Podero counts no heat (the Brain's HCU does: its own source)."""
        return ()

    def field_key(self, object_id: str, name: str, kind: str = "") -> str:
        """The key of a point of ``object_id`` (made once, its parts kept)."""
        key = FieldKey(object_id, name, kind)
        text = str(key)
        self._fields.setdefault(text, key)
        return text

    def field_of(self, key: str) -> FieldKey | None:
        """What a point key names (None: no point of this source has that key)."""
        return self._fields.get(key)

    # -- keeping entities through a hiccup -----------------------------------------------------

    def remember(self, unique_ids: Iterable[str]) -> None:
        """Points whose entities exist already: offered even while their field is absent."""
        self._remembered = frozenset(unique_ids)

    def remembered(self, device: str, key: str) -> bool:
        """Whether the point ``key`` of ``device`` had an entity before (see ``remember``)."""
        return f"{device}_{key}" in self._remembered

    def mark_deleted(self, device: str) -> None:
        """The server says ``device`` is gone for good (not carried, removed at once)."""
        self._deleted.add(device)

    def carry_missing(self, previous: Known, current: Known, snapshot: Snapshot) -> None:
        """Carry devices of ``previous`` that ``current`` lacks, while within the grace.

        Their points stay (their entities too) and are listed in ``snapshot.missing``, so the
        upper floor shows them unavailable instead of a stale value.
        """
        now = self._now()
        for key in current.devices:
            self._missing_since.pop(key, None)
            self._deleted.discard(key)
        for key, device in previous.devices.items():
            if key in current.devices or key in self._deleted:
                continue
            since = self._missing_since.setdefault(key, now)
            if now - since >= GRACE:
                continue
            current.devices[key] = device
            for point in previous.points.values():
                if point.device == key:
                    current.points[point.key] = point
                    snapshot.missing.add(point.key)
                    snapshot.values.pop(point.key, None)
            for climate_key, climate in previous.climates.items():
                if climate.device == key:
                    current.climates[climate_key] = climate

    def devices_gone(self, registered: Iterable[str]) -> frozenset[str]:
        """Of the ``registered`` device keys, those to remove now.

        Deleted ones at once; any other that this source does not offer once it has been
        missing for ``GRACE`` (counted from now for a device not seen since a restart).
        """
        now = self._now()
        gone: set[str] = set()
        for key in registered:
            if key in self._known.devices:
                continue
            since = self._missing_since.setdefault(key, now)
            if key in self._deleted or now - since >= GRACE:
                gone.add(key)
        return frozenset(gone)
