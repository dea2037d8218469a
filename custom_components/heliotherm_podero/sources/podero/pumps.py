"""What the Podero source knows of each pump: the last object seen and the last detail."""

from __future__ import annotations

from dataclasses import dataclass

from .models import PoderoHeatPump


@dataclass(slots=True)
class PumpState:
    """What is known of one pump: the last object seen and the last detail's actions."""

    pump: PoderoHeatPump
    detail: PoderoHeatPump | None = None
    detail_at: float | None = None


def with_detail(pump: PoderoHeatPump, detail: PoderoHeatPump | None) -> PoderoHeatPump:
    """The listed pump, with the fields only the detail has (the score) from the last detail."""
    if detail is None:
        return pump
    extra = {k: v for k, v in detail.raw.items() if k not in pump.raw and k != "actions"}
    return PoderoHeatPump(pump.id, {**extra, **pump.raw}) if extra else pump
