"""Which field of which Aris object becomes which point (ARIS.md 4.5-4.11)."""

from __future__ import annotations

from ..fields import FieldSpec, energy, enum, flag, moment, power, temperature
from ..model import Category, FaultRule, ValueKind

SETPOINT_MIN = 10.0
SETPOINT_MAX = 30.0
SETPOINT_GAP = 2.2  # the Brain keeps heat and cool setpoints at least this far apart


def _refrigerant_pressure(name: str, field: str) -> FieldSpec:
    """A refrigerant-side pressure in bar: a detail for diagnosis, off by default."""
    return FieldSpec(
        name=name,
        field=field,
        unit="bar",
        device_class="pressure",
        precision=1,
        enabled=False,
        category=Category.DIAGNOSTIC,
    )


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
        fault=FaultRule.CODES,
        category=Category.DIAGNOSTIC,
    ),
    flag("fault", "activeFaults", "problem", faults=True),
)

# The HCU's lifetime heat and electricity counters (their COP over periods).
HCU_COUNTERS = ("heat_energy_total", "electric_energy_total")
HCU_FIELDS = (
    temperature("supply_temperature", "supplyTempC"),
    temperature("return_temperature", "returnTempC"),
    temperature("outdoor_temperature", "outdoorTempC"),
    FieldSpec(
        field="flowRateLpm",
        name="flow_rate",
        unit="L/min",
        device_class="volume_flow_rate",
        precision=1,
    ),
    power("thermal_power", "thermalPowerKw"),
    power("electric_power", "electricalPowerKw"),
    _COP,
    energy("heat_energy_total", "lifetimeThermalKwh"),
    energy("electric_energy_total", "lifetimeElecKwh"),
    enum("hcu_mode", "mode", ("heat", "cool", "dhw_charge", "idle")),
    enum("hcu_state", "state", ("running", "standby", "defrost", "fault")),
    enum(
        "source_type",
        "sourceType",
        ("heat_pump", "district_interface"),
        category=Category.DIAGNOSTIC,
    ),
    flag("backup_heater", "backupHeaterActive", "running"),
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
    flag("defrost", "defrostActive", "running"),
    _refrigerant_pressure("high_pressure", "highPressureBar"),
    _refrigerant_pressure("low_pressure", "lowPressureBar"),
    temperature("discharge_temperature", "compressorDischargeTempC", enabled=False),
    temperature("suction_gas_temperature", "compressorSuctionTempC", enabled=False),
    power("thermal_power", "thermalPowerKw"),
    power("electric_power", "electricalPowerKw"),
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
    temperature("zone_temperature", "tempC"),
    FieldSpec(
        field="rhPercent", name="humidity", kind=ValueKind.INT, unit="%", device_class="humidity"
    ),
    FieldSpec(
        field="co2Ppm", name="co2", kind=ValueKind.INT, unit="ppm", device_class="carbon_dioxide"
    ),
    enum("active_call", "activeCall", ("heat", "cool", "none"), enabled=False),
)
# What a zone's heating does now: its call, and "defrost" while it calls for heat and a heat
# pump defrosts (the climate's action reads it). Derived by the source.
ZONE_ACTIVITY = enum(
    "activity",
    "activeCall",
    ("heating", "cooling", "idle", "defrost"),
    derived=True,
    enabled=False,
    category=Category.DIAGNOSTIC,
)


def _setpoint(name: str, field: str) -> FieldSpec:
    """A zone setpoint, inside the limits the Brain keeps (a setting: no state class)."""
    return FieldSpec(
        name=name,
        field=field,
        unit="°C",
        device_class="temperature",
        state_class=None,
        enabled=False,
        minimum=SETPOINT_MIN,
        maximum=SETPOINT_MAX,
        step=0.1,
    )


# The zone's controls (also shown by its climate entity, so disabled as separate entities).
ZONE_MODE = enum("zone_mode", "mode", ZONE_MODES, enabled=False)
ZONE_HEAT_SETPOINT = _setpoint("heat_setpoint", "tempHeatSetC")
ZONE_COOL_SETPOINT = _setpoint("cool_setpoint", "tempCoolSetC")
ZONE_CONTROLS = (ZONE_MODE, ZONE_HEAT_SETPOINT, ZONE_COOL_SETPOINT)

_TANK_COMMON = (
    temperature("tank_top_temperature", "tempTopC"),
    temperature("tank_middle_temperature", "tempMidC"),
    temperature("tank_bottom_temperature", "tempBottomC"),
    FieldSpec(field="stateOfChargePercent", name="state_of_charge", kind=ValueKind.INT, unit="%"),
)
DHW_FIELDS = (
    *_TANK_COMMON,
    temperature("delivery_temperature", "dhwDeliveryTempC"),
    flag("charging", "heatingActive", "running"),
    flag("sanitizing", "isSanitizing", "running"),
    flag("backup_heater", "backupHeaterActive", "running"),
    flag("circulation_pump", "recircPumpActive", "running"),
)
TES_FIELDS = (
    *_TANK_COMMON,
    enum("tes_mode", "mode", ("heat", "cool", "idle")),
    flag("charging", "chargeActive", "running"),
    flag("discharging", "dischargeActive", "running"),
)

FCU_FIELDS = (
    enum("fcu_mode", "mode", ("heat", "cool", "idle", "inhibit")),
    FieldSpec(field="fanPercent", name="fan_level", kind=ValueKind.INT, unit="%"),
    temperature("room_temperature", "roomTempC"),
    FieldSpec(
        field="rhPercent", name="humidity", kind=ValueKind.INT, unit="%", device_class="humidity"
    ),
    temperature("supply_temperature", "supplyTempC"),
    temperature("return_temperature", "returnTempC"),
    moment("filter_last_changed", "filterLastChangedTs", category=Category.DIAGNOSTIC),
    *_FAULTS,
)
