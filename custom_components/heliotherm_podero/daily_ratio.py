"""What two counter sums gained since local midnight, and their ratio (a daily COP).

Pure bookkeeping, no Home Assistant: the sensor gives it today's date and the counters, and
stores the baseline across restarts (a restart mid-day keeps the day's figure).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class Baseline:
    """The two sums at the start of a day (or when counting began that day)."""

    day: date
    numerator: float
    denominator: float

    def as_dict(self) -> dict[str, Any]:
        """For Home Assistant's restore state."""
        return {
            "day": self.day.isoformat(),
            "numerator": self.numerator,
            "denominator": self.denominator,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Baseline | None:
        """A stored baseline, or None when it is not one."""
        try:
            return cls(
                date.fromisoformat(str(data["day"])),
                float(data["numerator"]),
                float(data["denominator"]),
            )
        except (KeyError, TypeError, ValueError):
            return None


class DailyRatio:
    """The ratio of today's gains; a new day or a counter that went back starts over."""

    def __init__(self, minimum_gain: float, baseline: Baseline | None = None) -> None:
        self.minimum_gain = minimum_gain
        self.baseline = baseline

    def update(self, today: date, numerator: float, denominator: float) -> float | None:
        """Today's ratio so far; None until the denominator has grown by ``minimum_gain``."""
        base = self.baseline
        if (
            base is None
            or base.day != today
            or numerator < base.numerator
            or denominator < base.denominator
        ):
            # A new day, or a meter that was reset or replaced: count from here.
            self.baseline = base = Baseline(today, numerator, denominator)
        gained = denominator - base.denominator
        if gained < self.minimum_gain:
            return None
        return round((numerator - base.numerator) / gained, 2)
