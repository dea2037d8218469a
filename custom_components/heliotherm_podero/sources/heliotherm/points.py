"""Which Heliotherm data points become which entities, and how they are described.

The curated set is what a heat-pump owner needs; everything else in the catalog is the long
tail, created disabled. Writable in Home Assistant means curated here, or expert mode; the
triggers below are never writable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Category, FaultRule, Point, ValueKind
from .catalog import Catalog, CatalogPoint, DataType

OPERATING_MODES = (
    "off",
    "automatic",
    "cooling",
    "summer",
    "continuous",
    "setback",
    "holiday",
    "party",
)
OPERATING_MODE_KEY = "sp_13"
ROOM_SETPOINT_KEY = "sp_69"
ROOM_SENSOR_KEYS = ("mp_16", "mp_17", "mp_18", "mp_19")
HOLIDAY_MODE = OPERATING_MODES.index("holiday")

FAULT_COUNT_KEY = "fault_count"
FAULT_FLAG_KEY = "mp_31"  # "Stoerung": the pump is in a fault state
LAST_FAULT_KEY = "last_fault"
LAST_FAULT_CODE_KEY = "last_fault_code"
LAST_FAULT_TIME_KEY = "last_fault_time"
COP_KEY = "cop"
# What the pump does now, derived from compressor, hot-water priority and operating mode.
ACTIVITY_KEY = "activity"
ACTIVITIES = ("heating", "hot_water", "cooling", "defrost", "idle", "off")
COMPRESSOR_KEY = "mp_30"
DHW_PRIORITY_KEY = "mp_25"
# Air units reverse their cycle to defrost: the four-way valve on while not cooling.
FOUR_WAY_VALVE_KEY = "mp_32"
DHW_TEMPERATURE_KEY = "mp_2"
DHW_TARGET_KEY = "sp_83"
# Heat and electricity for heating and for hot water: the pairs a daily COP compares.
HEAT_COUNTER_KEYS = ("mp_52", "mp_54")
ELECTRIC_COUNTER_KEYS = ("mp_53", "mp_55")
ELECTRIC_POWER_KEY = "mp_83"  # W
THERMAL_POWER_KEY = "mp_89"  # kW
FAULT_KEYS = frozenset({FAULT_COUNT_KEY, LAST_FAULT_KEY, LAST_FAULT_CODE_KEY, LAST_FAULT_TIME_KEY})


@dataclass(frozen=True, slots=True)
class Curated:
    """How one curated point is shown."""

    translation_key: str
    device_class: str | None = None
    state_class: str | None = None
    writable: bool = False
    category: Category = Category.PRIMARY
    enabled: bool = True


_TEMP = "temperature"
_MEAS = "measurement"
_TOTAL = "total_increasing"
_DIAG = Category.DIAGNOSTIC
_CONFIG = Category.CONFIG

CURATED: dict[str, Curated] = {
    # temperatures and pressures
    "mp_0": Curated("outdoor_temperature", _TEMP, _MEAS),
    "mp_1": Curated("outdoor_temperature_delayed", _TEMP, _MEAS),
    "mp_2": Curated("dhw_temperature", _TEMP, _MEAS),
    "mp_3": Curated("flow_temperature", _TEMP, _MEAS),
    "mp_4": Curated("return_temperature", _TEMP, _MEAS),
    "mp_5": Curated("buffer_temperature", _TEMP, _MEAS),
    "mp_6": Curated("source_inlet_temperature", _TEMP, _MEAS),
    "mp_7": Curated("source_outlet_temperature", _TEMP, _MEAS),
    "mp_8": Curated("compressor_base_temperature", _TEMP, _MEAS, enabled=False),
    "mp_9": Curated("suction_gas_temperature", _TEMP, _MEAS),
    "mp_11": Curated("fresh_water_temperature", _TEMP, _MEAS),
    "mp_12": Curated("evaporation_temperature", _TEMP, _MEAS),
    "mp_13": Curated("condensation_temperature", _TEMP, _MEAS),
    "mp_15": Curated("hot_gas_temperature", _TEMP, _MEAS),
    "mp_16": Curated("room_temperature_1", _TEMP, _MEAS),
    "mp_17": Curated("room_temperature_2", _TEMP, _MEAS),
    "mp_18": Curated("room_temperature_3", _TEMP, _MEAS),
    "mp_19": Curated("room_temperature_4", _TEMP, _MEAS),
    "mp_20": Curated("low_pressure", "pressure", _MEAS),
    "mp_21": Curated("high_pressure", "pressure", _MEAS),
    "mp_57": Curated("heating_target_temperature", _TEMP, _MEAS),
    "mp_63": Curated("mixing_circuit_1_flow_temperature", _TEMP, _MEAS, enabled=False),
    "mp_69": Curated("mixing_circuit_2_flow_temperature", _TEMP, _MEAS, enabled=False),
    # demand, counters, energy, power
    "mp_41": Curated("compressor_starts", None, _TOTAL),
    "mp_50": Curated("fresh_water_pump_output", None, _MEAS),
    # codes 0-5 and 0-11 whose meaning Heliotherm does not document: there for experts only
    "mp_56": Curated("compressor_demand", None, _MEAS, category=_DIAG, enabled=False),
    "mp_90": Curated("compressor_speed_target", None, _MEAS, enabled=False),
    "mp_52": Curated("heat_energy_heating", "energy", _TOTAL),
    "mp_53": Curated("electric_energy_heating", "energy", _TOTAL),
    "mp_54": Curated("heat_energy_dhw", "energy", _TOTAL),
    "mp_55": Curated("electric_energy_dhw", "energy", _TOTAL),
    "mp_75": Curated("electric_energy_total", "energy", _TOTAL),
    "mp_84": Curated("heat_energy_total", "energy", _TOTAL),
    "mp_83": Curated("electric_power", "power", _MEAS),
    "mp_89": Curated("thermal_power", "power", _MEAS),
    # states
    "mp_22": Curated("heating_circuit_pump", "running"),
    "mp_24": Curated("source_pump", "running"),
    "mp_25": Curated("dhw_priority", "running"),
    "mp_29": Curated("circulation_pump", "running"),
    "mp_30": Curated("compressor", "running"),
    "mp_31": Curated("fault", "problem"),
    "mp_36": Curated("main_switch", "power"),
    "mp_37": Curated("utility_lock", None),
    "mp_38": Curated("fresh_water_flow_switch", None),
    "sp_10": Curated("compressor_state", None, None, category=_DIAG, enabled=False),
    # operating hours and switching counters
    "sp_153": Curated("heating_pump_hours", "duration", _TOTAL, category=_DIAG),
    "sp_155": Curated("heating_pump_starts", None, _TOTAL, category=_DIAG),
    "sp_162": Curated("source_pump_hours", "duration", _TOTAL, category=_DIAG),
    "sp_164": Curated("source_pump_starts", None, _TOTAL, category=_DIAG),
    "sp_165": Curated("dhw_charging_hours", "duration", _TOTAL, category=_DIAG),
    "sp_167": Curated("dhw_charging_starts", None, _TOTAL, category=_DIAG),
    "sp_168": Curated("circulation_pump_hours", "duration", _TOTAL, category=_DIAG),
    "sp_170": Curated("circulation_pump_starts", None, _TOTAL, category=_DIAG),
    "sp_171": Curated("compressor_hours_dhw", "duration", _TOTAL, category=_DIAG),
    "sp_172": Curated("compressor_hours_heating", "duration", _TOTAL, category=_DIAG),
    "sp_173": Curated("compressor_hours_total", "duration", _TOTAL, category=_DIAG),
    "sp_174": Curated("compressor_current_runtime", "duration", _MEAS, category=_DIAG),
    "sp_375": Curated("compressor_starts_dhw", None, _TOTAL, category=_DIAG),
    "sp_3": Curated("property_number", category=_DIAG, enabled=False),
    # the settings a user may change
    "sp_13": Curated("operating_mode", "enum", writable=True, category=_CONFIG),
    "sp_69": Curated("room_setpoint", _TEMP, writable=True, category=_CONFIG),
    "sp_71": Curated("heating_raise", None, writable=True, category=_CONFIG),
    "sp_72": Curated("heating_setback", None, writable=True, category=_CONFIG),
    "sp_76": Curated("heating_limit", _TEMP, writable=True, category=_CONFIG),
    "sp_80": Curated("heating_curve_upper", _TEMP, writable=True, category=_CONFIG),
    "sp_81": Curated("heating_curve_zero", _TEMP, writable=True, category=_CONFIG),
    "sp_82": Curated("heating_curve_lower", _TEMP, writable=True, category=_CONFIG),
    "sp_83": Curated("dhw_normal_temperature", _TEMP, writable=True, category=_CONFIG),
    "sp_84": Curated("dhw_normal_hysteresis", None, writable=True, category=_CONFIG),
    "sp_85": Curated("dhw_minimum_temperature", _TEMP, writable=True, category=_CONFIG),
    "sp_86": Curated("dhw_minimum_hysteresis", None, writable=True, category=_CONFIG),
}

_UNIT_CLASS = {
    "°C": _TEMP,
    "bar": "pressure",
    "kWh": "energy",
    "W": "power",
    "kW": "power",
    "V": "voltage",
    "A": "current",
    "Hz": "frequency",
    "h": "duration",
    "min": "duration",
    "s": "duration",
    "d": "duration",
    "ms": "duration",
}


def _kind(point: CatalogPoint) -> ValueKind:
    if point.key == OPERATING_MODE_KEY:
        return ValueKind.ENUM
    return {
        DataType.BOOL: ValueKind.BOOL,
        DataType.INT: ValueKind.INT,
        DataType.FLOAT: ValueKind.FLOAT,
    }[point.data_type]


# Not offered at all: the software version (shown on the device), values whose meaning
# Heliotherm does not document (internal enthalpies, type and bit-field codes, dummies), encoded
# dates, and the portal pairing code. Triggers (catalog.TRIGGER_KEYS) are never entities either.
HIDDEN_KEYS = frozenset(
    {
        "sp_9",
        *(f"mp_{n}" for n in (10, 40, 42, 96, 97, 98, 99, 100, 101, 102)),
        *(f"sp_{n}" for n in (1, 4, 5, 25, 141, 151, 265, 288, 289, 290, 291, 329, 349, 353)),
        *(f"sp_{n}" for n in (395, 396, 397, 398, 399, 401, 415)),
    }
)


def describe(point: CatalogPoint, *, expert: bool) -> Point | None:
    """The Point for one catalog row, or None when it is not offered at all.

    Read-only mode does not change what a point is (its entity keeps its platform and entity
    ID); the client refuses the writes.
    """
    curated = CURATED.get(point.key)
    if point.key in HIDDEN_KEYS or point.is_trigger:
        return None  # triggers: not even in expert mode (the client refuses them anyway)
    writable = point.writable
    if curated is not None:
        writable = writable and (curated.writable or expert)
        enabled = curated.enabled and point.in_use
    else:
        writable = writable and expert
        enabled = False
    step = 1.0 if point.data_type is not DataType.FLOAT else 10.0**-point.decimals
    device_class = curated.device_class if curated else _UNIT_CLASS.get(point.unit or "")
    if device_class == "duration" and point.unit == "ms":
        device_class = None
    if point.data_type is DataType.BOOL:
        device_class = curated.device_class if curated else None
    state_class = curated.state_class if curated else None
    if state_class is None and point.data_type is not DataType.BOOL and curated is None:
        state_class = "measurement" if point.point_type == "MP" else None
    category = curated.category if curated else Category.DIAGNOSTIC
    if writable and category is Category.DIAGNOSTIC:
        category = Category.CONFIG
    if not writable and category is Category.CONFIG:
        category = Category.DIAGNOSTIC
    return Point(
        key=point.key,
        kind=_kind(point),
        # The long tail is named by its key: sp_123 in translations/*.json (scripts/translations)
        translation_key=curated.translation_key if curated else point.key,
        unit=point.unit,
        device_class=device_class,
        state_class=state_class,
        minimum=point.minimum,
        maximum=point.maximum,
        step=step,
        options=OPERATING_MODES if point.key == OPERATING_MODE_KEY else (),
        writable=writable,
        enabled_by_default=enabled,
        category=category,
        slow=point.point_type == "SP",
        # Hours and switching counts grow by one an hour at most: read with the counters
        counter=point.point_type == "SP" and (state_class == _TOTAL or point.unit == "h"),
        fault=FaultRule.FLAG if point.key == FAULT_FLAG_KEY else None,
    )


def all_in_use(catalog: Catalog, keys: Iterable[str]) -> bool:
    """Whether the pump uses every one of these points (a meter is fitted, US=1)."""
    return all((entry := catalog.by_key(key)) is not None and entry.in_use for key in keys)


def describe_all(catalog: Catalog, *, expert: bool) -> dict[str, Point]:
    """Every offered point: curated ones, the long tail, the fault list and a derived COP."""
    points: dict[str, Point] = {}
    for entry in catalog:
        point = describe(entry, expert=expert)
        if point is not None:
            points[point.key] = point
    points[FAULT_COUNT_KEY] = Point(
        key=FAULT_COUNT_KEY,
        kind=ValueKind.INT,
        translation_key="fault_count",
        state_class="measurement",  # a ring buffer: the count stops at its size, never a total
        category=Category.DIAGNOSTIC,
        slow=True,
    )
    points[LAST_FAULT_KEY] = Point(
        key=LAST_FAULT_KEY, kind=ValueKind.TEXT, translation_key="last_fault", slow=True
    )
    points[LAST_FAULT_CODE_KEY] = Point(
        key=LAST_FAULT_CODE_KEY,
        kind=ValueKind.INT,
        translation_key="last_fault_code",
        category=Category.DIAGNOSTIC,
        slow=True,
    )
    points[LAST_FAULT_TIME_KEY] = Point(
        key=LAST_FAULT_TIME_KEY,
        kind=ValueKind.TIMESTAMP,
        translation_key="last_fault_time",
        device_class="timestamp",
        category=Category.DIAGNOSTIC,
        slow=True,
    )
    points[ACTIVITY_KEY] = Point(
        key=ACTIVITY_KEY, kind=ValueKind.ENUM, translation_key="activity", options=ACTIVITIES
    )
    points[COP_KEY] = Point(
        key=COP_KEY,
        kind=ValueKind.FLOAT,
        translation_key="cop",
        state_class="measurement",
        enabled_by_default=all_in_use(catalog, (ELECTRIC_POWER_KEY, THERMAL_POWER_KEY)),
    )
    return points
