"""The Brain's devices: its control unit (HCU) and what hangs under it.

The heat pumps, fan coils, tanks and zones. Each model's words come from the translations
where known (``model_key``).
"""

from __future__ import annotations

from ..model import Device
from .models import Fcu, HeatPump, Zone

MANUFACTURER = "Aris Comfort"


def hcu_device(hcu_key: str, sw_version: str | None) -> Device:
    """The hydronic control unit: the root of every other device."""
    return Device(
        key=hcu_key,
        translation_key="aris_hcu",
        manufacturer=MANUFACTURER,
        model="Hydronic control unit",
        model_key="aris_hcu",
        sw_version=sw_version,
    )


def heat_pump_device(hcu_key: str, pump: HeatPump, previous: Device | None) -> Device:
    """An outdoor unit, named by its ID ("Heat pump hp_outdoor_1"); its firmware kept."""
    return Device(
        key=f"{hcu_key}_{pump.id}",
        name=pump.id,
        translation_key="aris_heat_pump",
        manufacturer=MANUFACTURER,
        model="Heat pump (outdoor unit)",
        model_key="aris_heat_pump",
        sw_version=pump.firmware or (previous.sw_version if previous else None),
        via_device=hcu_key,
    )


def fcu_device(hcu_key: str, fcu: Fcu, previous: Device | None) -> Device:
    """A fan coil, by the name the system gives it (kept while it answers without one)."""
    return Device(
        key=f"{hcu_key}_{fcu.id}",
        name=fcu.friendly_name or (previous.name if previous else None) or fcu.id,
        manufacturer=MANUFACTURER,
        model="Fan coil unit",
        model_key="aris_fan_coil",
        via_device=hcu_key,
    )


def tank_device(hcu_key: str, tank_id: str, model: str, translation_key: str) -> Device:
    """The hot-water or the buffer tank (one of each per Brain)."""
    return Device(
        key=f"{hcu_key}_{tank_id}",
        name=tank_id,
        translation_key=translation_key,
        manufacturer=MANUFACTURER,
        model=model,
        model_key=translation_key,
        via_device=hcu_key,
    )


def zone_device(hcu_key: str, zone: Zone) -> Device:
    """A zone, by the name the owner gave it in the Aris app."""
    return Device(
        key=f"{hcu_key}_{zone.id}",
        name=zone.friendly_name or zone.id,
        manufacturer=MANUFACTURER,
        model="Zone",
        model_key="aris_zone",
        via_device=hcu_key,
    )
