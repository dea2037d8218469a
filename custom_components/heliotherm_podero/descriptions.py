"""From a source's ``Point`` to Home Assistant: the platform that shows it and its description.

One room for the whole mapping: the platform (writable bool -> switch, options -> select, other
writable -> number; read-only bool -> binary sensor, the rest -> sensor, the nibe_heatpump idea),
and the ``EntityDescription`` with device and state class, unit, display precision, category and
enabled default, typed from the point's hints. The platforms only pick the entity class.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.binary_sensor import (  # type: ignore[attr-defined,unused-ignore]
    BinarySensorDeviceClass,
    BinarySensorEntityDescription,
)
from homeassistant.components.number import (
    NumberDeviceClass,
    NumberEntityDescription,
    NumberMode,
)
from homeassistant.components.select import SelectEntityDescription
from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.components.switch import SwitchEntityDescription
from homeassistant.const import EntityCategory, Platform
from homeassistant.helpers.entity import EntityDescription

from .sources.model import Category, Point, ValueKind

_CATEGORIES = {
    Category.PRIMARY: None,
    Category.CONFIG: EntityCategory.CONFIG,
    Category.DIAGNOSTIC: EntityCategory.DIAGNOSTIC,
}
TEMPERATURE = "temperature"


def platform_for(point: Point) -> Platform:
    """The platform that shows a point."""
    if point.writable:
        if point.options:
            return Platform.SELECT
        if point.kind is ValueKind.BOOL:
            return Platform.SWITCH
        return Platform.NUMBER
    if point.kind is ValueKind.BOOL:
        return Platform.BINARY_SENSOR
    return Platform.SENSOR


def describe(point: Point) -> EntityDescription:
    """The point's entity description on its platform."""
    common: dict[str, Any] = {
        "key": point.key,
        "entity_category": _CATEGORIES[point.category],
        "entity_registry_enabled_default": point.enabled_by_default,
    }
    if point.translation_key:
        common["translation_key"] = point.translation_key
    else:
        common["name"] = point.name
    platform = platform_for(point)
    if platform is Platform.SENSOR:
        return SensorEntityDescription(**common, **_sensor(point))
    if platform is Platform.NUMBER:
        return NumberEntityDescription(**common, **_number(point))
    if platform is Platform.BINARY_SENSOR:
        device_class = BinarySensorDeviceClass(point.device_class) if point.device_class else None
        return BinarySensorEntityDescription(**common, device_class=device_class)
    if platform is Platform.SELECT:
        return SelectEntityDescription(**common, options=list(point.options))
    return SwitchEntityDescription(**common)


def _sensor(point: Point) -> dict[str, Any]:
    device_class = SensorDeviceClass(point.device_class) if point.device_class else None
    if point.kind is ValueKind.ENUM:
        device_class = SensorDeviceClass.ENUM
    if point.device_class == TEMPERATURE and point.unit == "K":
        device_class = None  # a temperature difference, not a temperature
    precision = point.precision
    if precision is None and point.kind is ValueKind.FLOAT and point.step:
        precision = decimals_of(point.step)
    return {
        "native_unit_of_measurement": point.unit,
        "device_class": device_class,
        "state_class": SensorStateClass(point.state_class) if point.state_class else None,
        "suggested_display_precision": precision,
        "options": list(point.options) if point.kind is ValueKind.ENUM else None,
    }


def _number(point: Point) -> dict[str, Any]:
    temperature = point.device_class == TEMPERATURE and point.unit == "°C"
    return {
        "native_unit_of_measurement": point.unit,
        "native_min_value": point.minimum,
        "native_max_value": point.maximum,
        "native_step": point.step or None,
        "mode": NumberMode.BOX,
        "device_class": NumberDeviceClass.TEMPERATURE if temperature else None,
    }


def decimals_of(step: float) -> int:
    """Decimals shown for a step such as 0.1 (1) or 0.01 (2)."""
    return len(f"{step:.6f}".rstrip("0").partition(".")[2])
