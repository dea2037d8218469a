"""Which field of which Aris object becomes which point (ARIS.md 4.5-4.11)."""

from __future__ import annotations

from ..fields import FieldSpec
from ..model import Category, ValueKind

SETPOINT_MIN = 10.0
SETPOINT_MAX = 30.0
SETPOINT_GAP = 2.2  # the Brain keeps heat and cool setpoints at least this far apart


def _temperature(field: str, name: str, *, enabled: bool = True) -> FieldSpec:
    # One that is off by default is a refrigerant-side detail: diagnostic.
    return FieldSpec(
        field=field,
        name=name,
        unit="°C",
        device_class="temperature",
        precision=1,
        enabled=enabled,
        category=Category.PRIMARY if enabled else Category.DIAGNOSTIC,
    )


def _running(field: str, name: str) -> FieldSpec:
    """Something that runs or not (a heater, a defrost, a charge)."""
    return FieldSpec(
        field=field, name=name, kind=ValueKind.BOOL, device_class="running", state_class=None
    )


def _power(field: str, name: str) -> FieldSpec:
    return FieldSpec(field=field, name=name, unit="kW", device_class="power", precision=1)


_COP = FieldSpec(field="copInstant", name="cop", precision=1)
_FAULTS = (
    FieldSpec(
        field="activeFaults",
        name="active_faults",
        kind=ValueKind.INT,
        faults=True,
        category=Category.DIAGNOSTIC,
    ),
    FieldSpec(  # the codes themselves, "none" while there are none
        field="activeFaults",
        name="fault_codes",
        kind=ValueKind.TEXT,
        state_class=None,
        faults=True,
        category=Category.DIAGNOSTIC,
    ),
    FieldSpec(
        field="activeFaults",
        name="fault",
        kind=ValueKind.BOOL,
        device_class="problem",
        state_class=None,
        faults=True,
    ),
)

HCU_FIELDS = (
    _temperature("supplyTempC", "supply_temperature"),
    _temperature("returnTempC", "return_temperature"),
    _temperature("outdoorTempC", "outdoor_temperature"),
    FieldSpec(
        field="flowRateLpm",
        name="flow_rate",
        unit="L/min",
        device_class="volume_flow_rate",
        precision=1,
    ),
    _power("thermalPowerKw", "thermal_power"),
    _power("electricalPowerKw", "electric_power"),
    _COP,
    FieldSpec(
        field="lifetimeThermalKwh",
        name="heat_energy_total",
        unit="kWh",
        device_class="energy",
        state_class="total_increasing",
        precision=1,
    ),
    FieldSpec(
        field="lifetimeElecKwh",
        name="electric_energy_total",
        unit="kWh",
        device_class="energy",
        state_class="total_increasing",
        precision=1,
    ),
    FieldSpec(
        field="mode",
        name="hcu_mode",
        kind=ValueKind.ENUM,
        state_class=None,
        options=("heat", "cool", "dhw_charge", "idle"),
    ),
    FieldSpec(
        field="state",
        name="hcu_state",
        kind=ValueKind.ENUM,
        state_class=None,
        options=("running", "standby", "defrost", "fault"),
    ),
    FieldSpec(
        field="sourceType",
        name="source_type",
        kind=ValueKind.ENUM,
        state_class=None,
        options=("heat_pump", "district_interface"),
        category=Category.DIAGNOSTIC,
    ),
    _running("backupHeaterActive", "backup_heater"),
    *_FAULTS,
)

HEAT_PUMP_FIELDS = (
    FieldSpec(
        field="compressorSpeedPercent", name="compressor_speed", kind=ValueKind.INT, unit="%"
    ),
    FieldSpec(
        field="compressorHz",
        name="compressor_frequency",
        unit="Hz",
        device_class="frequency",
        precision=0,
    ),
    FieldSpec(field="fanRpm", name="fan_speed", kind=ValueKind.INT, unit="rpm"),
    _running("defrostActive", "defrost"),
    FieldSpec(
        field="highPressureBar",
        name="high_pressure",
        unit="bar",
        device_class="pressure",
        precision=1,
        enabled=False,
        category=Category.DIAGNOSTIC,
    ),
    FieldSpec(
        field="lowPressureBar",
        name="low_pressure",
        unit="bar",
        device_class="pressure",
        precision=1,
        enabled=False,
        category=Category.DIAGNOSTIC,
    ),
    _temperature("compressorDischargeTempC", "discharge_temperature", enabled=False),
    _temperature("compressorSuctionTempC", "suction_gas_temperature", enabled=False),
    _power("thermalPowerKw", "thermal_power"),
    _power("electricalPowerKw", "electric_power"),
    _COP,
    FieldSpec(
        field="acVoltageV",
        name="supply_voltage",
        unit="V",
        device_class="voltage",
        precision=0,
        category=Category.DIAGNOSTIC,
    ),
    FieldSpec(
        field="acCurrentA",
        name="supply_current",
        unit="A",
        device_class="current",
        precision=1,
        category=Category.DIAGNOSTIC,
    ),
    *_FAULTS,
)

ZONE_MODES = ("off", "heat", "cool", "auto")
ZONE_FIELDS = (
    _temperature("tempC", "zone_temperature"),
    FieldSpec(
        field="rhPercent", name="humidity", kind=ValueKind.INT, unit="%", device_class="humidity"
    ),
    FieldSpec(
        field="co2Ppm", name="co2", kind=ValueKind.INT, unit="ppm", device_class="carbon_dioxide"
    ),
    FieldSpec(
        field="activeCall",
        name="active_call",
        kind=ValueKind.ENUM,
        state_class=None,
        options=("heat", "cool", "none"),
        enabled=False,
    ),
)
# The zone's controls (also shown by its climate entity, so disabled as separate entities).
ZONE_MODE = FieldSpec(
    field="mode",
    name="zone_mode",
    kind=ValueKind.ENUM,
    state_class=None,
    options=ZONE_MODES,
    enabled=False,
)
ZONE_HEAT_SETPOINT = FieldSpec(
    field="tempHeatSetC",
    name="heat_setpoint",
    unit="°C",
    device_class="temperature",
    state_class=None,
    enabled=False,
    minimum=SETPOINT_MIN,
    maximum=SETPOINT_MAX,
    step=0.1,
)
ZONE_COOL_SETPOINT = FieldSpec(
    field="tempCoolSetC",
    name="cool_setpoint",
    unit="°C",
    device_class="temperature",
    state_class=None,
    enabled=False,
    minimum=SETPOINT_MIN,
    maximum=SETPOINT_MAX,
    step=0.1,
)
ZONE_CONTROLS = (ZONE_MODE, ZONE_HEAT_SETPOINT, ZONE_COOL_SETPOINT)

_TANK_COMMON = (
    _temperature("tempTopC", "tank_top_temperature"),
    _temperature("tempMidC", "tank_middle_temperature"),
    _temperature("tempBottomC", "tank_bottom_temperature"),
    FieldSpec(field="stateOfChargePercent", name="state_of_charge", kind=ValueKind.INT, unit="%"),
)
DHW_FIELDS = (
    *_TANK_COMMON,
    _temperature("dhwDeliveryTempC", "delivery_temperature"),
    _running("heatingActive", "charging"),
    _running("isSanitizing", "sanitizing"),
    _running("backupHeaterActive", "backup_heater"),
    _running("recircPumpActive", "circulation_pump"),
)
TES_FIELDS = (
    *_TANK_COMMON,
    FieldSpec(
        field="mode",
        name="tes_mode",
        kind=ValueKind.ENUM,
        state_class=None,
        options=("heat", "cool", "idle"),
    ),
    _running("chargeActive", "charging"),
    _running("dischargeActive", "discharging"),
)

FCU_FIELDS = (
    FieldSpec(
        field="mode",
        name="fcu_mode",
        kind=ValueKind.ENUM,
        state_class=None,
        options=("heat", "cool", "idle", "inhibit"),
    ),
    FieldSpec(field="fanPercent", name="fan_level", kind=ValueKind.INT, unit="%"),
    _temperature("roomTempC", "room_temperature"),
    FieldSpec(
        field="rhPercent", name="humidity", kind=ValueKind.INT, unit="%", device_class="humidity"
    ),
    _temperature("supplyTempC", "supply_temperature"),
    _temperature("returnTempC", "return_temperature"),
    FieldSpec(
        field="filterLastChangedTs",
        name="filter_last_changed",
        kind=ValueKind.TIMESTAMP,
        device_class="timestamp",
        state_class=None,
        category=Category.DIAGNOSTIC,
    ),
    *_FAULTS,
)
