"""Which platform shows a point (the nibe_heatpump idea): decided in one place."""

from __future__ import annotations

from homeassistant.const import Platform

from .sources.model import Point, ValueKind


def platform_for(point: Point) -> Platform:
    """Writable bool -> switch, with options -> select, number -> number; else sensors."""
    if point.writable:
        if point.options:
            return Platform.SELECT
        if point.kind is ValueKind.BOOL:
            return Platform.SWITCH
        return Platform.NUMBER
    if point.kind is ValueKind.BOOL:
        return Platform.BINARY_SENSOR
    return Platform.SENSOR
