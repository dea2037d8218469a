"""One field description for the HTTP backends: a JSON field (or a derived value) as a point.

The Aris Brain and Podero both describe their points as tables of ``FieldSpec``; one
conversion turns a spec into the ``Point`` the upper floor shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import Category, FaultRule, Point, ValueKind

NUMERIC = (ValueKind.FLOAT, ValueKind.INT)


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldSpec:
    """One field shown as one point; ``name`` is also the translation key.

    ``state_class`` applies to numbers only (a figure that resets sets it to None);
    ``derived`` values are computed by the source and present whenever their object is;
    ``faults`` marks a list of fault codes, shown as a count (INT), "any" (BOOL) or the
    codes (TEXT).
    """

    name: str
    field: str
    kind: ValueKind = ValueKind.FLOAT
    unit: str | None = None
    device_class: str | None = None
    state_class: str | None = "measurement"
    options: tuple[str, ...] = ()
    enabled: bool = True
    category: Category = Category.PRIMARY
    precision: int | None = None
    writable: bool = False
    minimum: float | None = None
    maximum: float | None = None
    step: float | None = None
    derived: bool = False
    faults: bool = False
    fault: FaultRule | None = None  # how the point tells of active faults (fault events)

    def point(
        self,
        key: str,
        device: str,
        *,
        options: tuple[str, ...] | None = None,
        slow: bool = False,
    ) -> Point:
        """The point of this field on ``device`` (``options`` as the entities see them)."""
        return Point(
            key=key,
            device=device,
            kind=self.kind,
            translation_key=self.name,
            unit=self.unit,
            device_class=self.device_class,
            state_class=self.state_class if self.kind in NUMERIC else None,
            options=self.options if options is None else options,
            writable=self.writable,
            enabled_by_default=self.enabled,
            category=self.category,
            precision=self.precision,
            minimum=self.minimum,
            maximum=self.maximum,
            step=self.step,
            slow=slow,
            fault=self.fault,
        )


def temperature(name: str, field: str, *, enabled: bool = True) -> FieldSpec:
    """A temperature in °C; one off by default is a detail for diagnosis."""
    return FieldSpec(
        name=name,
        field=field,
        unit="°C",
        device_class="temperature",
        precision=1,
        enabled=enabled,
        category=Category.PRIMARY if enabled else Category.DIAGNOSTIC,
    )


def power(name: str, field: str) -> FieldSpec:
    """A power in kW."""
    return FieldSpec(name=name, field=field, unit="kW", device_class="power", precision=1)


def energy(name: str, field: str, state_class: str | None = "total_increasing") -> FieldSpec:
    """Energy in kWh: a meter reading that only grows, or a period's total (no state class)."""
    return FieldSpec(
        name=name,
        field=field,
        unit="kWh",
        device_class="energy",
        state_class=state_class,
        precision=1,
    )


def enum(name: str, field: str, options: tuple[str, ...], **more: Any) -> FieldSpec:
    """One of a set of states (an option the server adds later is shown as it comes)."""
    return FieldSpec(name=name, field=field, kind=ValueKind.ENUM, options=options, **more)


def flag(name: str, field: str, device_class: str | None = None, **more: Any) -> FieldSpec:
    """Something true or false (running, a problem, a connection)."""
    return FieldSpec(name=name, field=field, kind=ValueKind.BOOL, device_class=device_class, **more)


def moment(name: str, field: str, **more: Any) -> FieldSpec:
    """A point in time (unknown while the field is null)."""
    return FieldSpec(
        name=name, field=field, kind=ValueKind.TIMESTAMP, device_class="timestamp", **more
    )
