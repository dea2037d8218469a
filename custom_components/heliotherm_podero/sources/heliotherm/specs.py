"""The pump's points as one climate, one water heater and its counted energy (the COP)."""

from __future__ import annotations

from collections.abc import Mapping

from ..model import CircuitSpec, EfficiencySpec, ModeMeters, Point, WaterHeaterSpec
from .catalog import Catalog
from .points import (
    ACTIVITY_KEY,
    DHW_PRIORITY_KEY,
    DHW_TARGET_KEY,
    DHW_TEMPERATURE_KEY,
    ELECTRIC_COUNTER_KEYS,
    HEAT_COUNTER_KEYS,
    OPERATING_MODE_KEY,
    ROOM_SENSOR_KEYS,
    ROOM_SETPOINT_KEY,
    all_in_use,
)


def heating_circuit(pump: str, points: Mapping[str, Point]) -> CircuitSpec:
    """The heating circuit: room setpoint, the room sensor in use, the operating mode."""
    room = next((k for k in ROOM_SENSOR_KEYS if points[k].enabled_by_default), None)
    return CircuitSpec(
        key="heating_circuit",
        device=pump,
        translation_key="heating_circuit",
        target_key=ROOM_SETPOINT_KEY,
        current_key=room,
        mode_key=OPERATING_MODE_KEY,
        action_key=ACTIVITY_KEY,
    )


def hot_water_tank(pump: str) -> WaterHeaterSpec:
    """The hot-water tank: its temperature, the normal temperature, charging or not."""
    return WaterHeaterSpec(
        key="dhw_tank",
        device=pump,
        translation_key="dhw_tank",
        current_key=DHW_TEMPERATURE_KEY,
        target_key=DHW_TARGET_KEY,
        charging_key=DHW_PRIORITY_KEY,
        mode_key=OPERATING_MODE_KEY,
        off_options=("off",),  # "off" stops heating and hot water alike
    )


def counted_energy(pump: str, catalog: Catalog) -> EfficiencySpec:
    """Heat for heating and hot water (MP 52, 54) over electricity for each (MP 53, 55).

    The pump's electricity counters count only where it has the meters fitted (the catalog
    marks them in use); elsewhere the owner's meter divides.
    """
    heating_heat, hot_water_heat = HEAT_COUNTER_KEYS
    heating_electricity, hot_water_electricity = ELECTRIC_COUNTER_KEYS
    return EfficiencySpec(
        device=pump,
        heat_keys=HEAT_COUNTER_KEYS,
        electricity_keys=ELECTRIC_COUNTER_KEYS,
        meters_in_use=all_in_use(catalog, ELECTRIC_COUNTER_KEYS),
        modes=(
            ModeMeters(mode="heating", heat_key=heating_heat, electricity_key=heating_electricity),
            ModeMeters(
                mode="hot_water", heat_key=hot_water_heat, electricity_key=hot_water_electricity
            ),
        ),
    )
