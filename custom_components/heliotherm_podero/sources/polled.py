"""The part of a source that rebuilds its devices, points and climates on every poll.

The Aris Brain and Podero both learn what exists from each reply (devices come and go); they
keep it in a ``Known`` and expose it through the ``Source`` properties of ``PolledSource``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .model import ClimateSpec, DailyRatioSpec, Device, Point, WaterHeaterSpec


@dataclass(slots=True)
class Known:
    """Devices, points and climates as of the last poll."""

    devices: dict[str, Device] = field(default_factory=dict)
    points: dict[str, Point] = field(default_factory=dict)
    climates: dict[str, ClimateSpec] = field(default_factory=dict)


class PolledSource:
    """``read_only``, ``devices``, ``points`` and ``climates`` from the last poll's ``Known``."""

    _known: Known
    _read_only: bool

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
    def water_heaters(self) -> Sequence[WaterHeaterSpec]:
        """None: the Brain's tanks report no setpoint, Podero no tank."""
        return ()

    @property
    def daily_ratios(self) -> Sequence[DailyRatioSpec]:
        """None: the Brain reports its COP itself, Podero no energy counters."""
        return ()
