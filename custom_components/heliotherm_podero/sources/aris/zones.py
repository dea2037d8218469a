"""A zone: its controls, its climate, its command and when a command counts as applied.

The command is checked before anything is sent; the Brain applies it in its control loop,
sometimes late, or with its 2.2 C gap rule at the setpoint limits.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from ..fields import FieldSpec
from ..model import (
    InvalidValue,
    Point,
    Snapshot,
    Value,
    ZoneSpec,
    as_number,
    check_write,
    same_value,
)
from .fields import (
    SETPOINT_GAP,
    SETPOINT_MAX,
    SETPOINT_MIN,
    ZONE_ACTIVITY,
    ZONE_COOL_SETPOINT,
    ZONE_HEAT_SETPOINT,
    ZONE_MODE,
)
from .models import Zone

SETPOINT_FIELDS = {ZONE_HEAT_SETPOINT.name: "tempHeatSetC", ZONE_COOL_SETPOINT.name: "tempCoolSetC"}


def controls_of(zone: Zone) -> list[FieldSpec]:
    """What a zone can be told: its modes, and the setpoints of what it supports."""
    controls = [replace(ZONE_MODE, options=zone.modes)]
    if zone.supports_heat:
        controls.append(ZONE_HEAT_SETPOINT)
    if zone.supports_cool:
        controls.append(ZONE_COOL_SETPOINT)
    return controls


def zone_climate(
    device: str, zone: Zone, key: Callable[[str], str], present: Callable[[str], str | None]
) -> ZoneSpec:
    """The zone as a climate: ``key`` names a field's point, ``present`` only if it exists."""
    return ZoneSpec(
        key="climate",
        device=device,
        translation_key=None,
        mode_key=key(ZONE_MODE.name),
        modes=tuple(zone.modes),
        heat_target_key=present(ZONE_HEAT_SETPOINT.name),
        cool_target_key=present(ZONE_COOL_SETPOINT.name),
        current_key=present("zone_temperature"),
        humidity_key=present("humidity"),
        action_key=key(ZONE_ACTIVITY.name),
        min_gap=SETPOINT_GAP,
    )


def activity(call: str | None, *, defrosting: bool) -> str | None:
    """A zone's activity from its call (heat, cool, none); unknown without one."""
    if call == "heat":
        return "defrost" if defrosting else "heating"
    return {"cool": "cooling", "none": "idle"}.get(call or "")


def zone_command(
    zone: Zone, asked: Mapping[str, tuple[str, Point | None, Value]]
) -> dict[str, Any]:
    """The command of the values ``asked`` (field name -> key, point, value), each checked.

    A mode must be one of the zone's, a setpoint within the point's limits, and a pair of
    setpoints at least the Brain's gap apart.
    """
    command: dict[str, Any] = {}
    for name, (key, point, value) in asked.items():
        if name == ZONE_MODE.name:
            command["mode"] = check_write(point, key, value, options=zone.modes)
            continue
        number = check_write(point, key, value)
        assert isinstance(number, int | float)  # a setpoint is a number point
        command[SETPOINT_FIELDS[name]] = round(float(number), 1)
    heat, cool = command.get("tempHeatSetC"), command.get("tempCoolSetC")
    if heat is not None and cool is not None and cool - heat < SETPOINT_GAP - 1e-9:
        raise InvalidValue("setpoint_gap", heat=heat, cool=cool, gap=SETPOINT_GAP)
    return command


def unconfirmed(
    snapshot: Snapshot, values: Mapping[str, Value], setpoints: Mapping[str, str]
) -> str | None:
    """The first written key the zone does not show yet, or None when all are there.

    ``setpoints`` names the zone's setpoint keys by field name. A setpoint the Brain moved by
    its documented 2.2 C gap rule (the other setpoint at its limit) counts as applied: the
    zone shows both setpoints as the Brain holds them.
    """
    for key, requested in values.items():
        reported = snapshot.values.get(key)
        if same_value(requested, reported) or _gap_moved(key, requested, snapshot, setpoints):
            continue
        return key
    return None


def _gap_moved(
    key: str, requested: Value, snapshot: Snapshot, setpoints: Mapping[str, str]
) -> bool:
    heat_key = setpoints.get(ZONE_HEAT_SETPOINT.name, "")
    cool_key = setpoints.get(ZONE_COOL_SETPOINT.name, "")
    wanted = as_number(requested)
    heat = as_number(snapshot.values.get(heat_key))
    cool = as_number(snapshot.values.get(cool_key))
    if wanted is None or heat is None or cool is None:
        return False
    if abs(cool - heat - SETPOINT_GAP) > 0.05:
        return False
    if key == heat_key:  # cool could not go higher, so heat came down
        return cool >= SETPOINT_MAX - 0.05 and heat < wanted
    if key == cool_key:  # heat could not go lower, so cool went up
        return heat <= SETPOINT_MIN + 0.05 and cool > wanted
    return False
