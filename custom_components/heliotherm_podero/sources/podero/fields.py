"""Which field of a Podero heat pump becomes which point (PODERO.md 7.3-7.5)."""

from __future__ import annotations

import re

from ..fields import FieldSpec, energy, enum, flag, moment, temperature
from ..model import Category, FaultRule, ValueKind

OPTIMIZATION_LEVELS = ("Low", "Mid", "Max")
STEERING_LEVELS = ("min", "low", "mid", "max")
OPERATIONAL_MODES = ("heating", "hot_water", "pool_heating", "cooling", "standby", "off")
STATUSES = ("ok", "warning", "error", "unknown")
# The list page names 10, the update page 21 zones (errata 5): the union; others are kept.
PRICE_ZONES = (
    "AT",
    "AT_HOURLY",
    "BE",
    "CH",
    "DE_LU",
    "EE",
    "HU",
    "IT_CNOR",
    "IT_CSUD",
    "IT_NORD",
    "IT_PUN",
    "IT_SARD",
    "IT_SICI",
    "IT_SUD",
    "PT",
    "RO",
    "SE_1",
    "SE_2",
    "SE_3",
    "SE_4",
    "UK",
)


def option_key(api_value: str) -> str:
    """An API enum value as an option a translation can have: "Hot Water" -> "hot_water"."""
    spelled = api_value.lower().replace("+", " plus")  # "Eco+" -> "eco_plus", not "eco"
    return re.sub(r"[^a-z0-9]+", "_", spelled).strip("_")


def _status(name: str, field: str) -> FieldSpec:
    return enum(name, field, STATUSES, category=Category.DIAGNOSTIC, fault=FaultRule.ERROR)


def _switch(name: str, field: str, *, config: bool = True) -> FieldSpec:
    return flag(
        name, field, writable=True, category=Category.CONFIG if config else Category.PRIMARY
    )


def _setting(name: str, field: str, minimum: float, maximum: float) -> FieldSpec:
    return FieldSpec(
        name=name,
        field=field,
        unit="°C",
        device_class="temperature",
        writable=True,
        minimum=minimum,
        maximum=maximum,
        step=0.5,
        category=Category.CONFIG,
    )


COMFORT_MINIMUM = _setting("comfort_minimum", "minimum_temperature_limit", 5.0, 30.0)
COMFORT_MAXIMUM = _setting("comfort_maximum", "maximum_temperature_limit", 5.0, 30.0)
SPACE_HEATING = _switch("space_heating", "is_space_heating_enabled")
HEATING_POLICY = _switch("heating_policy", "is_heating_policy_enabled")
SPACE_COOLING = _switch("space_cooling", "is_space_cooling_enabled")
AWAY_MINIMUM = _setting(
    "away_minimum_temperature", "away_mode_minimum_temperature_limit", 5.0, 25.0
)


def _diagnostic_text(name: str, field: str, options: tuple[str, ...] = ()) -> FieldSpec:
    """A state or message Podero reports; an option it adds later is shown as it comes."""
    return FieldSpec(
        name=name,
        field=field,
        kind=ValueKind.ENUM if options else ValueKind.TEXT,
        options=options,
        category=Category.DIAGNOSTIC,
    )


INDOOR_ACTUAL = temperature("indoor_temperature", "indoor_actual_temperature")
INDOOR_TARGET = temperature("indoor_target_temperature", "indoor_target_temperature")

FIELDS = (
    FieldSpec(
        name="power",
        field="current_power_consumption_w",
        unit="W",
        device_class="power",
        state_class="measurement",
        precision=0,
    ),
    temperature("outdoor_temperature", "outdoor_temperature"),
    INDOOR_ACTUAL,
    INDOOR_TARGET,
    temperature("inlet_temperature", "inlet_temperature"),
    temperature("outlet_temperature", "outlet_temperature"),
    temperature("hot_water_temperature", "dhw_temperature"),
    energy("consumption_last_day", "consumption_last_day_kwh", state_class=None),
    energy("consumption_last_week", "consumption_last_week_kwh", state_class=None),
    energy("consumption_last_month", "consumption_last_month_kwh", state_class=None),
    enum("steering_level", "current_mode", STEERING_LEVELS),
    enum("operational_mode", "operational_mode", OPERATIONAL_MODES),
    FieldSpec(name="optimization_score", field="optimization_score", state_class="measurement"),
    _status("connection_status", "connection_status"),
    _status("monitoring_status", "monitoring_status"),
    _status("steering_status", "steering_status"),
    moment("pause_until", "pause_power_until"),
    moment("away_start", "away_mode_start"),
    moment("away_end", "away_mode_end"),
    moment("consumption_updated", "consumption_last_updated_at", category=Category.DIAGNOSTIC),
    _diagnostic_text("steering_state", "actual_steering_state", ("unknown",)),
    _diagnostic_text("lifecycle_state", "lifecycle_state", ("authenticated", "error")),
    _diagnostic_text("lifecycle_error", "lifecycle_error"),
    moment("last_state_update", "current_state_last_updated_at", category=Category.DIAGNOSTIC),
    flag("manufacturer_authenticated", "is_authenticated", category=Category.DIAGNOSTIC),
    flag("action_needed", "action_needed", "problem", derived=True, fault=FaultRule.FLAG),
    flag("pause_power_active", "is_pause_power_active", derived=True),
    flag("away_mode_active", "is_away_mode_enabled", derived=True),
    flag("inverter_forced_mode_active", "is_inverter_forced_mode_active", "running"),
    _switch("smart_optimization", "is_smart_optimization_active", config=False),
    SPACE_HEATING,
    _switch("hot_water", "is_hot_water_heating_enabled"),
    _switch("pool_heating", "is_pool_heating_enabled"),
    SPACE_COOLING,
    HEATING_POLICY,
    _switch("trading", "is_trading_enabled"),
    _switch("inverter_forced_mode", "is_inverter_forced_mode_enabled"),
    COMFORT_MINIMUM,
    COMFORT_MAXIMUM,
    _setting("hot_water_standard_temperature", "dhw_standard_temperature", 30.0, 65.0),
    _setting("hot_water_minimum_temperature", "minimum_dhw_temperature_limit", 20.0, 60.0),
    FieldSpec(  # a difference, not a temperature: no unit conversion may apply
        name="indoor_target_offset",
        field="indoor_target_temperature_offset",
        unit="K",
        writable=True,
        minimum=-5.0,
        maximum=5.0,
        step=0.5,
        category=Category.CONFIG,
    ),
    AWAY_MINIMUM,
    enum("optimization_level", "optimization_level", OPTIMIZATION_LEVELS, writable=True),
    enum("price_zone", "price_zone", PRICE_ZONES, writable=True, category=Category.CONFIG),
)
FIELDS_BY_NAME = {spec.name: spec for spec in FIELDS}
# Home Assistant option -> API spelling, for the enums a write may send.
API_OPTIONS = {
    spec.name: {option_key(value): value for value in spec.options}
    for spec in FIELDS
    if spec.kind is ValueKind.ENUM and spec.writable
}
