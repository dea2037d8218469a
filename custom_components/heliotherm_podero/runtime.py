"""The entry's runtime data: the coordinator and the helpers that listen to it.

The coordinator knows none of the helpers: the wear guard hears of every write and poll
through the coordinator's listeners, the away plan writes through the coordinator's door.
"""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry

from .away import AwayModeManager
from .coordinator import HeatPumpCoordinator
from .cop import EfficiencyTracker
from .faults import FaultTracker
from .schedules import ProgramCoordinator
from .sources.model import Source
from .wear import WearGuard


@dataclass(slots=True, kw_only=True)
class HeatPumpRuntime:
    """What a loaded entry holds: coordinator, wear guard, faults, COP, away plan, programs."""

    coordinator: HeatPumpCoordinator
    wear: WearGuard
    faults: FaultTracker
    efficiency: EfficiencyTracker
    away: AwayModeManager | None = None
    programs: ProgramCoordinator | None = None  # time programs, where the source has them

    @property
    def source(self) -> Source:
        """The coordinator's source."""
        return self.coordinator.source


type HeatPumpConfigEntry = ConfigEntry[HeatPumpRuntime]
